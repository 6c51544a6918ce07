/**
 * Loads and validates everything in content/ at start-up. A mistake in a content file stops the
 * service with a message naming the file and the field, so an editor can fix it without reading code.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import {
  aboutSchema,
  directoryFileSchema,
  indicatorsFileSchema,
  INDICATOR_CODES,
  LEVELS,
  MISSING_REASON_PLACEHOLDERS,
  pathwaysFileSchema,
  quizFileSchema,
  REASON_PLACEHOLDERS,
  REQUIRED_AUDIENCES,
  ROUTE_IDS,
  routesFileSchema,
  scenarioSchema,
  screeningFileSchema,
  slangFileSchema,
  SUBJECT_KINDS,
  type Content,
  type Directory,
  type IndicatorCode,
  type RouteId,
  type RouteRef,
  type Scenario,
  type ScreeningFile,
} from './content.schema.ts';

export interface ContentIssue {
  /** The file, as a path under the content directory given to loadContent, e.g. content/routes.yaml. */
  file: string;
  /** The field path inside the file, e.g. indicators[3].source. */
  field: string;
  message: string;
}

/** Content that fails validation. The message lists every problem as `file: field: message`. */
export class ContentError extends Error {
  override name = 'ContentError';
  constructor(readonly issues: ContentIssue[]) {
    super(issues.map((i) => `${i.file}: ${i.field}: ${i.message}`).join('\n'));
  }
}

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return (
    path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') ||
    '(whole file)'
  );
}

/** Editors read these messages: a missing field says "Required" rather than zod's type wording. */
const friendlyError = (iss: { code?: string; input?: unknown }): string | undefined =>
  iss.code === 'invalid_type' && iss.input === undefined ? 'Required' : undefined;

class Collector {
  readonly issues: ContentIssue[] = [];
  add(file: string, field: string, message: string): void {
    this.issues.push({ file, field, message });
  }
}

function readYaml(dir: string, rel: string, out: Collector): unknown {
  const file = join(dir, rel);
  if (!existsSync(file)) {
    out.add(file, '(file)', 'File is missing');
    return undefined;
  }
  try {
    return parseYaml(readFileSync(file, 'utf8'), { prettyErrors: true }) as unknown;
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? `line ${err.linePos[0].line}` : '(file)';
    out.add(file, where, `Not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    return undefined;
  }
}

function parseFile<S extends z.ZodType>(dir: string, rel: string, schema: S, out: Collector): z.output<S> | undefined {
  const data = readYaml(dir, rel, out);
  if (data === undefined && out.issues.some((i) => i.file === join(dir, rel))) return undefined;
  const res = schema.safeParse(data, { error: friendlyError });
  if (!res.success) {
    for (const iss of res.error.issues) {
      if (iss.code === 'unrecognized_keys') {
        for (const key of iss.keys) out.add(join(dir, rel), fieldPath([...iss.path, key]), 'Unknown field (check the spelling)');
      } else out.add(join(dir, rel), fieldPath(iss.path), iss.message);
    }
    return undefined;
  }
  return res.data;
}

function yamlFilesIn(dir: string, sub: string): string[] {
  const full = join(dir, sub);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort()
    .map((n) => join(sub, n));
}

/** Checks the links inside one scenario: unique ids, `next` targets, reachability, a way to finish. */
function checkScenario(s: Scenario, file: string, out: Collector): void {
  const index = new Map<string, number>();
  s.steps.forEach((step, i) => {
    if (index.has(step.id)) out.add(file, `steps[${i}].id`, `Step id "${step.id}" is used twice`);
    else index.set(step.id, i);
  });
  s.steps.forEach((step, i) => {
    if (step.type !== 'question') return;
    const choiceIds = new Set<string>();
    step.choices.forEach((c, j) => {
      if (choiceIds.has(c.id)) out.add(file, `steps[${i}].choices[${j}].id`, `Choice id "${c.id}" is used twice in this step`);
      choiceIds.add(c.id);
      if (!index.has(c.next)) out.add(file, `steps[${i}].choices[${j}].next`, `"${c.next}" is not a step in this scenario`);
      if (c.next === step.id) out.add(file, `steps[${i}].choices[${j}].next`, 'A choice must not lead back to the same step');
    });
    if (!step.choices.some((c) => c.rating === 'best')) out.add(file, `steps[${i}].choices`, 'At least one choice must be rated "best"');
  });
  // Reachability from the first step, breadth first.
  const first = s.steps[0];
  if (!first) return;
  const seen = new Set<string>([first.id]);
  const queue: string[] = [first.id];
  while (queue.length) {
    const step = s.steps[index.get(queue.shift() ?? '') ?? -1];
    if (step?.type !== 'question') continue;
    for (const c of step.choices) {
      if (index.has(c.next) && !seen.has(c.next)) {
        seen.add(c.next);
        queue.push(c.next);
      }
    }
  }
  s.steps.forEach((step, i) => {
    if (!seen.has(step.id)) out.add(file, `steps[${i}].id`, `Step "${step.id}" cannot be reached from the first step`);
  });
  if (!s.steps.some((step) => step.type === 'ending')) out.add(file, 'steps', 'A scenario needs at least one ending step');
  // Every question must lead to an ending somehow, or a reader could be stuck going round.
  const canFinish = new Set(s.steps.filter((st) => st.type === 'ending').map((st) => st.id));
  let grew = true;
  while (grew) {
    grew = false;
    for (const st of s.steps) {
      if (st.type === 'question' && !canFinish.has(st.id) && st.choices.some((c) => canFinish.has(c.next))) {
        canFinish.add(st.id);
        grew = true;
      }
    }
  }
  s.steps.forEach((step, i) => {
    if (seen.has(step.id) && !canFinish.has(step.id)) out.add(file, `steps[${i}].id`, `From step "${step.id}" no choice ever reaches an ending`);
  });
}

/** Local directories with made-up contacts must use Ofcom's drama ranges and example web addresses. */
const DRAMA_PHONE = /^(07700 ?900\d{3}|0(113|114|115|116|117|118|121|131|141|151|161) ?496 ?0\d{3}|020 ?7946 ?0\d{3}|01632 ?960\d{3})$/;
const NATIONAL_NUMBERS = new Set(['999', '101', '61016', '0800 555 111', '0800 1111', '0808 800 5000']);

function checkDirectory(d: Directory, file: string, out: Collector): void {
  if (!d.illustrative) return;
  if (!d.notice) out.add(file, 'notice', 'Required when illustrative is true (the page must say the contacts are examples)');
  d.contacts.forEach((c, i) => {
    if (!DRAMA_PHONE.test(c.phone) && !NATIONAL_NUMBERS.has(c.phone))
      out.add(file, `contacts[${i}].phone`, `"${c.phone}" is not in an Ofcom drama range (illustrative directories use made-up numbers only)`);
    if (c.web.startsWith('https://') && !/^https:\/\/(www\.)?example\.(org|com|net)(\/|$)/.test(c.web))
      out.add(file, `contacts[${i}].web`, 'Illustrative directories use example.org web addresses only');
  });
}

function checkScreening(s: ScreeningFile, file: string, out: Collector): void {
  const expected = ['low', 'medium', 'high'];
  s.bands.forEach((b, i) => {
    if (b.level !== expected[i]) out.add(file, `bands[${i}].level`, `Expected "${expected[i]}" (bands run low, medium, high)`);
    const prev = s.bands[i - 1];
    if (i === 0 && b.min !== 0) out.add(file, `bands[0].min`, 'The low band must start at 0');
    if (prev && b.min <= prev.min) out.add(file, `bands[${i}].min`, 'Each band must start above the one before');
  });
  const vulnIds = new Set<string>();
  s.vulnerabilities.forEach((v, i) => {
    if (vulnIds.has(v.id)) out.add(file, `vulnerabilities[${i}].id`, `"${v.id}" is listed twice`);
    vulnIds.add(v.id);
  });
  const checkTemplate = (field: string, template: string, allowed: readonly string[]): void => {
    for (const m of template.matchAll(/\{([a-z_]+)\}/g)) {
      if (!allowed.includes(m[1] ?? '')) out.add(file, field, `Unknown placeholder {${m[1]}}; allowed: ${allowed.map((a) => `{${a}}`).join(', ') || 'none'}`);
    }
  };
  for (const [key, template] of Object.entries(s.reasons) as Array<[keyof ScreeningFile['reasons'], string]>) {
    checkTemplate(`reasons.${key}`, template, REASON_PLACEHOLDERS[key]);
  }
  s.rules.missing_episodes.forEach((m, i) => checkTemplate(`rules.missing_episodes[${i}].reason`, m.reason, MISSING_REASON_PLACEHOLDERS));
  for (const level of LEVELS) {
    for (const kind of SUBJECT_KINDS) {
      const plan = s.route_plan[level][kind];
      plan.forEach((entry, i) => {
        entry.if?.vulnerabilities_any?.forEach((v, j) => {
          if (!vulnIds.has(v)) out.add(file, `route_plan.${level}.${kind}[${i}].if.vulnerabilities_any[${j}]`, `"${v}" is not a vulnerability id`);
        });
        if (plan.findIndex((e) => e.id === entry.id) !== i) out.add(file, `route_plan.${level}.${kind}[${i}].id`, `"${entry.id}" is listed twice`);
      });
      // Emergency puts 999 first (issue 4; DOMAIN.md: someone in immediate danger -> 999).
      if (level === 'emergency' && (plan[0]?.id !== '999' || plan[0].if))
        out.add(file, `route_plan.emergency.${kind}[0].id`, 'Emergency must always start with "999"');
    }
  }
}

/**
 * Reads and validates every content file under `dir`; throws ContentError naming each bad file
 * and field. Call once at start-up and keep the result: content does not change while running.
 */
export function loadContent(dir = 'content'): Content {
  const out = new Collector();
  const f = (rel: string): string => join(dir, rel);

  const about = parseFile(dir, 'awareness/about.yaml', aboutSchema, out);
  const indicatorsFile = parseFile(dir, 'awareness/indicators.yaml', indicatorsFileSchema, out);
  const slang = parseFile(dir, 'awareness/slang.yaml', slangFileSchema, out);
  const pathwaysFile = parseFile(dir, 'awareness/pathways.yaml', pathwaysFileSchema, out);
  const quiz = parseFile(dir, 'awareness/quiz.yaml', quizFileSchema, out);
  const routesFile = parseFile(dir, 'routes.yaml', routesFileSchema, out);
  const screeningFile = parseFile(dir, 'screening.yaml', screeningFileSchema, out);
  const scenarioFiles = yamlFilesIn(dir, 'awareness/scenarios');
  if (scenarioFiles.length < 4) out.add(f('awareness/scenarios'), '(folder)', `At least 4 scenarios are needed; found ${scenarioFiles.length}`);
  const scenarios: Array<{ file: string; scenario: Scenario }> = [];
  for (const rel of scenarioFiles) {
    const s = parseFile(dir, rel, scenarioSchema, out);
    if (s) scenarios.push({ file: f(rel), scenario: s });
  }
  const directoryFiles = yamlFilesIn(dir, 'directory');
  if (directoryFiles.length === 0) out.add(f('directory'), '(folder)', 'At least one local directory is needed');
  const directories: Directory[] = [];
  for (const rel of directoryFiles) {
    const d = parseFile(dir, rel, directoryFileSchema, out);
    if (d) {
      checkDirectory(d, f(rel), out);
      directories.push(d);
    }
  }

  // Cross-file checks. Each runs only when the files it needs parsed, so one mistake gives one message.
  const pathwayIds = new Set(pathwaysFile?.pathways.map((p) => p.id) ?? []);
  const scenarioIds = new Set(scenarios.map((s) => s.scenario.id));

  if (indicatorsFile) {
    const file = f('awareness/indicators.yaml');
    const seen = new Set<string>();
    indicatorsFile.indicators.forEach((ind, i) => {
      if (seen.has(ind.code)) out.add(file, `indicators[${i}].code`, `"${ind.code}" is listed twice`);
      seen.add(ind.code);
      if (pathwaysFile)
        ind.audiences.forEach((a, j) => {
          if (!pathwayIds.has(a)) out.add(file, `indicators[${i}].audiences[${j}]`, `"${a}" is not a pathway id in awareness/pathways.yaml`);
        });
    });
    for (const code of INDICATOR_CODES) {
      if (!seen.has(code)) out.add(file, 'indicators', `Missing the sign "${code}" (every code in the indicator taxonomy needs an entry)`);
    }
  }

  if (pathwaysFile) {
    const file = f('awareness/pathways.yaml');
    const seen = new Set<string>();
    pathwaysFile.pathways.forEach((p, i) => {
      if (seen.has(p.id)) out.add(file, `pathways[${i}].id`, `"${p.id}" is listed twice`);
      seen.add(p.id);
      p.scenarios.forEach((s, j) => {
        if (!scenarioIds.has(s)) out.add(file, `pathways[${i}].scenarios[${j}]`, `"${s}" is not a scenario id`);
      });
    });
    for (const a of REQUIRED_AUDIENCES) if (!seen.has(a)) out.add(file, 'pathways', `Missing the pathway "${a}"`);
  }

  const seenScenario = new Map<string, string>();
  for (const { file, scenario } of scenarios) {
    const other = seenScenario.get(scenario.id);
    if (other) out.add(file, 'id', `Scenario id "${scenario.id}" is also used by ${other}`);
    seenScenario.set(scenario.id, file);
    checkScenario(scenario, file, out);
    if (pathwaysFile)
      scenario.audiences.forEach((a, j) => {
        if (!pathwayIds.has(a)) out.add(file, `audiences[${j}]`, `"${a}" is not a pathway id in awareness/pathways.yaml`);
      });
  }

  if (quiz) {
    const file = f('awareness/quiz.yaml');
    const qIds = new Set<string>();
    quiz.questions.forEach((q, i) => {
      if (qIds.has(q.id)) out.add(file, `questions[${i}].id`, `"${q.id}" is used twice`);
      qIds.add(q.id);
      const optionIds = q.options.map((o) => o.id);
      if (new Set(optionIds).size !== optionIds.length) out.add(file, `questions[${i}].options`, 'Option ids must be different');
      if (!optionIds.includes(q.answer)) out.add(file, `questions[${i}].answer`, `"${q.answer}" is not one of the option ids (${optionIds.join(', ')})`);
    });
  }

  const routeMap = new Map<RouteId, RouteRef>();
  if (routesFile) {
    const file = f('routes.yaml');
    routesFile.routes.forEach((r, i) => {
      if (routeMap.has(r.id)) out.add(file, `routes[${i}].id`, `"${r.id}" is listed twice`);
      routeMap.set(r.id, { id: r.id, label: r.label, contact: r.contact });
    });
    // Route ids are referenced everywhere (scenarios, pathways, screening), so all must exist.
    for (const id of ROUTE_IDS) if (!routeMap.has(id)) out.add(file, 'routes', `Missing the route "${id}"`);
  }

  if (screeningFile) checkScreening(screeningFile, f('screening.yaml'), out);

  if (out.issues.length || !about || !indicatorsFile || !slang || !pathwaysFile || !quiz || !routesFile || !screeningFile) {
    throw new ContentError(out.issues);
  }

  const byCode = new Map(indicatorsFile.indicators.map((i) => [i.code, i]));
  const indicators = INDICATOR_CODES.map((c) => byCode.get(c)).filter((i) => i !== undefined);
  const signTitles = Object.fromEntries(indicators.map((i) => [i.code, i.title])) as Record<IndicatorCode, string>;
  const routes = Object.fromEntries(routeMap) as Record<RouteId, RouteRef>;

  return {
    about,
    indicators,
    slang,
    pathways: pathwaysFile.pathways,
    scenarios: scenarios.map((s) => s.scenario),
    quiz,
    routes: routesFile.routes,
    directories,
    screening: { ...screeningFile, routes, signTitles },
  };
}
