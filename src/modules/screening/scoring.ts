/**
 * The "I'm worried about someone" scorer: a pure function of the answers and the screening
 * content (content/screening.yaml). No clock, no I/O, so the web pages, the CLI and the tests all
 * get the same answer from the same input.
 *
 * The rules follow local child exploitation screening tools as summarised in ../shared/DOMAIN.md
 * "How real screening tools score": severity points summed into RAG bands; any single high sign
 * means act now; a child under 13 or a person with a learning disability is never low once any
 * sign is present; three or more missing episodes in 30 days means at least high; danger now means 999.
 */
import { LEVELS, type Level, type RouteCondition, type RouteRef, type ScreeningRules } from '../awareness/content.schema.ts';
import type { ScreenInput } from './screen.schema.ts';

export type Band = 'low' | 'medium' | 'high';

/** What the checker says: the level, the reasons that produced it, and the routes in order. */
export interface ScreenResult {
  level: Level;
  /** Plain-English sentences, in the order the rules were applied. */
  reasons: string[];
  routes: RouteRef[];
  /** Severity points times weights, plus vulnerability points once any sign is present. */
  score: number;
  /** The band the score alone falls in, before any rule raised the level. */
  band: Band;
}

const rank = (l: Level): number => LEVELS.indexOf(l);

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
    const v = values[key];
    return v === undefined ? whole : String(v);
  });
}

const pointsText = (n: number): string => (n === 1 ? '1 point' : `${n} points`);

/** Rounds away floating-point noise from 0.5 weights (1.5 + 1.5 + ...). */
const tidy = (n: number): number => Math.round(n * 100) / 100;

/**
 * Scores one validated input (see parseScreenInput). The level can only be raised by the rules,
 * never lowered, so adding a sign or a vulnerability never makes the result less serious.
 */
export function score(input: ScreenInput, rules: ScreeningRules): ScreenResult {
  const reasons: string[] = [];
  let level: Level = 'low';
  const raise = (to: Level): void => {
    if (rank(to) > rank(level)) level = to;
  };
  const title = (code: string): string => rules.signTitles[code as keyof ScreeningRules['signTitles']] ?? code;
  const { subject, signs } = input;
  const anySign = signs.length > 0;

  // Vulnerabilities ticked, plus those worked out from the age (under 13).
  const vulnerabilities = rules.vulnerabilities.filter(
    (v) => subject.vulnerabilities.includes(v.id) || (v.derived_age_under !== undefined && subject.age < v.derived_age_under),
  );

  // 1. Danger now: 999, whatever else is true (DOMAIN.md "Where a concern goes").
  if (input.danger_now) {
    raise('emergency');
    reasons.push(rules.reasons.danger_now);
  }
  for (const s of signs) {
    if (rules.rules.emergency_signs.includes(s.code)) {
      raise('emergency');
      reasons.push(fill(rules.reasons.emergency_sign, { sign: title(s.code) }));
    }
  }

  // 2. Points: each sign's severity points times its weight; vulnerabilities add points only once
  // there is a sign, because they are not signs of exploitation themselves (DOMAIN.md).
  const signPoints = signs.reduce((sum, s) => sum + rules.severity_points[s.severity] * (rules.weights[s.code] ?? 1), 0);
  const vulnerabilityPoints = anySign ? vulnerabilities.reduce((sum, v) => sum + v.points, 0) : 0;
  const total = tidy(signPoints + vulnerabilityPoints);
  let band: Band = 'low';
  for (const b of rules.bands) if (total >= b.min) band = b.level;
  raise(band);

  if (anySign) {
    reasons.push(fill(rules.reasons.signs_chosen, { signs: signs.map((s) => `${title(s.code)} (${s.severity})`).join(', ') }));
    if (vulnerabilityPoints > 0) {
      const names = vulnerabilities.filter((v) => v.points > 0).map((v) => v.label);
      reasons.push(fill(rules.reasons.vulnerabilities_added, { vulnerabilities: names.join(', '), points: pointsText(tidy(vulnerabilityPoints)) }));
    }
    const minOf = (l: Band): number => rules.bands.find((b) => b.level === l)?.min ?? 0;
    reasons.push(fill(rules.reasons.score, { score: total, points: pointsText(total), band, medium_min: minOf('medium'), high_min: minOf('high') }));
  }

  // 3. Any single high sign means act now, whatever the total.
  for (const s of signs) {
    if (s.severity === 'high') {
      raise(rules.rules.any_high_sign_level);
      reasons.push(fill(rules.reasons.high_sign, { sign: title(s.code), level: rules.rules.any_high_sign_level }));
    }
  }

  // 4. Under 13, or a learning disability: never low once any sign is present.
  if (anySign) {
    for (const v of vulnerabilities) {
      if (!v.never_low) continue;
      raise(rules.rules.never_low_level);
      reasons.push(fill(rules.reasons.never_low, { vulnerability: v.label, level: rules.rules.never_low_level }));
    }
  }

  // 5. Missing episodes in the last 30 days: the highest threshold that applies to this kind.
  const missingRule = [...rules.rules.missing_episodes]
    .sort((a, b) => b.at_least - a.at_least)
    .find((r) => input.missing_episodes_30d >= r.at_least && r.kinds.includes(subject.kind));
  if (missingRule) {
    raise(missingRule.level);
    const n = input.missing_episodes_30d;
    const times = n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
    reasons.push(fill(missingRule.reason, { times, count: n, at_least: missingRule.at_least, level: missingRule.level }));
  }

  // Nothing else to say: no signs, no danger, no missing rule that applies.
  if (reasons.length === 0) reasons.push(rules.reasons.no_signs);

  // 6. Routes for the final level and kind, in the content's order.
  const signCodes = new Set<string>(signs.map((s) => s.code));
  const vulnerabilityIds = new Set(vulnerabilities.map((v) => v.id));
  const holds = (c: RouteCondition): boolean =>
    (c.on_train === true && input.on_train) ||
    (c.signs_any?.some((code) => signCodes.has(code)) ?? false) ||
    (c.vulnerabilities_any?.some((id) => vulnerabilityIds.has(id)) ?? false);
  const routes: RouteRef[] = [];
  for (const entry of rules.route_plan[level][subject.kind]) {
    if (entry.if && !holds(entry.if)) continue;
    const r = rules.routes[entry.id];
    routes.push({ id: r.id, label: r.label, contact: r.contact });
    if (entry.reason) reasons.push(entry.reason);
  }

  return { level, reasons, routes, score: total, band };
}
