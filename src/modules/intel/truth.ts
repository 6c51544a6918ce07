/**
 * `lookout bench intel --truth FILE`: how well the intelligence picture recovers a simulated
 * world (`lookout simulate`). FILE is the main JSONL file; its ground truth is read from
 * FILE.truth.jsonl (or pass the truth file itself and the main file is found beside it).
 *
 * 1. Only the product-facing records are loaded (reports, referrals, staff notes), through the
 *    real services (src/modules/simulate/load.ts) into a scratch database (own PostgreSQL schema
 *    or temporary PGlite folder, dropped afterwards). World and truth records are never loaded.
 * 2. The product works a simulated day at a time: the day's records are loaded, every job is run
 *    to completion (triage intake, intel extraction and linking, suggestions), then an analyst
 *    reviews the register. The register starts empty and the product only suggests numbers for
 *    lines already in it, so the evaluator plays the analyst, as the product is used today:
 *    - a brand (line name entity) mentioned in at least BRAND_MIN_SOURCES sources that is not in
 *      the register yet is added as a line, with the number most often mentioned beside it
 *      (from the co-occurrence links) unless that number is already current on another line;
 *    - every pending "new number" and "number change" suggestion is ACCEPTED, unread
 *      ("several towns" suggestions are left: accepting one only sets a watch);
 *    - a vehicle, handle or postcode mentioned together with a line's brand or numbers in at
 *      least LINK_MIN_SOURCES sources (the co-occurrence links), and on no line yet, is linked to
 *      the line it is most often mentioned with (register "link to a line").
 *    The figures therefore measure extraction + linking + suggestions with an analyst who trusts
 *    the product completely; a careful analyst would reject some suggestions.
 * 3. What the product concluded is read back: the register's lines and numbers, the mentions of
 *    phones and line names in each report, and the number-change suggestions.
 *
 * Scoring:
 * - A report is assigned to the register line whose brand it mentions (score 2), or whose
 *   numbers or linked vehicles, handles and postcodes it mentions (score 1 each); highest score
 *   wins, ties to the older line; no match means unassigned.
 * - A register line is matched to the true line with the highest score: 2 if the brands are the
 *   same, plus 1 for each number the two share over their lifetimes; no shared brand or number
 *   means it matches no true line (its reports count as wrong).
 * - Assignment precision = correct / assigned; recall = correct / reports truly about a line
 *   (duplicates included, as the product sees them).
 * - Number changes: a detected change is (replaced number -> new number) from each number-change
 *   suggestion ("number_change_*"); the register's view ("register_number_change_*") takes each
 *   line's numbers in the order they were added and counts each consecutive pair; true changes are the world's number_change records dated within the simulated
 *   streams (a change before the first report cannot be seen). Precision and recall over pairs.
 * A ratio with nothing to divide by is reported as 0 (and the counts are printed beside it).
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { StaffActor } from '../../auth/access.ts';
import { loadConfig, type Config } from '../../config.ts';
import type { Container } from '../../container.ts';
import { createStreamLoader } from '../simulate/load.ts';
import { openScratch } from '../simulate/scratch.ts';
import type { NumberChangeRecord, SimBatch, StreamRecord, StreamTruthRecord } from '../simulate/types.ts';
import { createLineSchema } from './intel.schema.ts';

export const BRAND_MIN_SOURCES = 2;
export const LINK_MIN_SOURCES = 2;

export interface TruthFiles {
  main: string;
  truth: string;
}

/** FILE (main) -> FILE.truth.jsonl; a *.truth.jsonl file -> the main file beside it. */
export function resolveTruthFiles(file: string): TruthFiles {
  if (file.endsWith('.truth.jsonl') && existsSync(file.slice(0, -'.truth.jsonl'.length))) return { main: file.slice(0, -'.truth.jsonl'.length), truth: file };
  return { main: file, truth: `${file}.truth.jsonl` };
}

async function* jsonLines(file: string): AsyncGenerator<Record<string, unknown>> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n += 1;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`${file}:${n}: not a JSON line`);
    }
  }
}

/** The hidden answers the scores need, read from the main file (never loaded into the product). */
export interface WorldAnswers {
  brands: Map<string, string>;
  numbers: Map<string, Set<string>>;
  /** Stream records by simulated day, in file order. */
  days: Map<string, StreamRecord[]>;
}

export async function readWorld(main: string): Promise<WorldAnswers> {
  const brands = new Map<string, string>();
  const numbers = new Map<string, Set<string>>();
  const days = new Map<string, StreamRecord[]>();
  for await (const r of jsonLines(main)) {
    if (r.kind === 'line') brands.set(String(r.id), String(r.brand).toLowerCase());
    else if (r.kind === 'line_number') {
      const set = numbers.get(String(r.line_id)) ?? new Set<string>();
      set.add(String(r.number));
      numbers.set(String(r.line_id), set);
    } else if (r.kind === 'report' || r.kind === 'referral' || r.kind === 'note') {
      const rec = r as unknown as StreamRecord;
      const day = rec.at.slice(0, 10);
      const list = days.get(day) ?? [];
      list.push(rec);
      days.set(day, list);
    }
  }
  if (days.size === 0) throw new Error(`${main}: no reports, referrals or notes (is this a lookout simulate main file?)`);
  return { brands, numbers, days };
}

export interface TruthAnswers {
  reportLine: Map<string, string | null>;
  changes: NumberChangeRecord[];
}

export async function readTruth(file: string): Promise<TruthAnswers> {
  const reportLine = new Map<string, string | null>();
  const changes: NumberChangeRecord[] = [];
  for await (const r of jsonLines(file)) {
    if (r.kind === 'stream_truth' && r.record_kind === 'report') {
      const t = r as unknown as StreamTruthRecord;
      reportLine.set(t.record_id, t.line_id);
    } else if (r.kind === 'number_change') changes.push(r as unknown as NumberChangeRecord);
  }
  if (reportLine.size === 0) throw new Error(`${file}: no stream_truth records for reports (is this a lookout simulate truth file?)`);
  return { reportLine, changes };
}

/** What the product concluded, in simulated ids. */
export interface ProductView {
  lines: { id: number; brand: string; numbers: string[]; linked: string[] }[];
  /** Simulated report id -> the phones, line names and other entities (`type:value`) intel found in it. */
  reportEntities: Map<string, { phones: string[]; brands: string[]; others: string[] }>;
  /** (replaced -> new) from every number-change suggestion, whatever its status. */
  changes: { from: string; to: string }[];
  /** (number -> the next number added) on each register line, in the order they were added. */
  registerChanges: { from: string; to: string }[];
  firstDay: string;
  lastDay: string;
  counts: { reports: number; referrals: number; notes: number; suggestionsAccepted: number; linesCreated: number; entitiesLinked: number };
  seconds: number;
}

const analyst = (agencyId: string): StaffActor => ({
  kind: 'staff',
  userId: 'truth-evaluator',
  name: 'Truth evaluator (auto-accepting analyst)',
  email: 'truth-evaluator@lookout.invalid',
  agencyId,
  roles: ['analyst'],
  correlationId: 'bench-truth',
});

/** The analyst's daily review (see the header): new brands become lines, suggestions are accepted. */
async function review(c: Container, actor: StaffActor, counts: ProductView['counts']): Promise<void> {
  const { db } = c.platform;
  const register = c.services.intel.register;
  const { rows: brands } = await db.query<{ id: number; value: string }>(
    `SELECT e.id, e.value FROM entities e JOIN mentions m ON m.entity_id = e.id
     WHERE e.type = 'line_name' AND m.owner_agency_id = $1
       AND NOT EXISTS (SELECT 1 FROM deal_lines l WHERE l.owner_agency_id = $1 AND l.brand = e.value)
     GROUP BY e.id, e.value HAVING count(DISTINCT (m.source_type, m.source_id)) >= $2 ORDER BY e.id`,
    [actor.agencyId, BRAND_MIN_SOURCES],
  );
  for (const b of brands) {
    const { rows: phones } = await db.query<{ value: string }>(
      `SELECT p.value FROM entity_links k JOIN entities p ON p.id = CASE WHEN k.a = $2 THEN k.b ELSE k.a END
       WHERE k.owner_agency_id = $1 AND (k.a = $2 OR k.b = $2) AND p.type = 'phone'
         AND NOT EXISTS (SELECT 1 FROM deal_line_numbers n JOIN deal_lines l ON l.id = n.line_id WHERE l.owner_agency_id = $1 AND n.number = p.value AND n.active_to IS NULL)
       ORDER BY k.count DESC, p.value LIMIT 1`,
      [actor.agencyId, b.id],
    );
    const parsed = createLineSchema.safeParse({ brand: b.value, ...(phones[0] ? { number: phones[0].value } : {}) });
    if (!parsed.success) continue;
    await register.createLine(actor, parsed.data);
    counts.linesCreated += 1;
  }
  const { rows: links } = await db.query<{ line_id: number; entity_id: number }>(
    `SELECT DISTINCT ON (x.entity_id) x.line_id, x.entity_id FROM (
       SELECT l.id AS line_id, o.id AS entity_id, sum(k.count) AS n
       FROM deal_lines l
       JOIN entities s ON (s.type = 'line_name' AND s.value = l.brand)
                       OR (s.type = 'phone' AND s.value IN (SELECT n.number FROM deal_line_numbers n WHERE n.line_id = l.id))
       JOIN entity_links k ON k.owner_agency_id = $1 AND (k.a = s.id OR k.b = s.id)
       JOIN entities o ON o.id = CASE WHEN k.a = s.id THEN k.b ELSE k.a END
       WHERE l.owner_agency_id = $1 AND o.type IN ('vehicle', 'handle', 'postcode')
         AND NOT EXISTS (SELECT 1 FROM deal_line_entities d WHERE d.entity_id = o.id)
       GROUP BY l.id, o.id HAVING sum(k.count) >= $2) x
     ORDER BY x.entity_id, x.n DESC, x.line_id`,
    [actor.agencyId, LINK_MIN_SOURCES],
  );
  for (const k of links) {
    await register.linkEntity(actor, k.line_id, k.entity_id);
    counts.entitiesLinked += 1;
  }
  for (;;) {
    const pending = (await register.listSuggestions(actor, 'pending')).filter((s) => s.kind === 'new_number' || s.kind === 'number_change');
    if (pending.length === 0) break;
    for (const s of pending) {
      await register.decideSuggestion(actor, s.id, 'accept');
      counts.suggestionsAccepted += 1;
    }
  }
}

/** Loads the world's streams a day at a time into a scratch database and reads back the product's conclusions. */
export async function runProduct(world: WorldAnswers, config: Config, log: (line: string) => void = () => undefined): Promise<ProductView> {
  const began = performance.now();
  const scratch = await openScratch(config, { prefix: 'bench_truth', poolSize: 8 });
  const c = scratch.container;
  try {
    const toSim = new Map<string, string>();
    const loader = await createStreamLoader(c.services, { concurrency: 4, onLoaded: (simId, kind, id) => kind === 'report' && toSim.set(id, simId) });
    const actor = analyst(await c.services.reporting.resolveReceivingAgency());
    const counts = { reports: 0, referrals: 0, notes: 0, suggestionsAccepted: 0, linesCreated: 0, entitiesLinked: 0 };
    const dayKeys = [...world.days.keys()].sort();
    let done = 0;
    for (const day of dayKeys) {
      const batch: SimBatch = { records: world.days.get(day)!, truth: [] };
      await loader.load([batch]);
      while ((await c.platform.jobs.drain(100_000)) > 0);
      await review(c, actor, counts);
      done += 1;
      if (done % 10 === 0 || done === dayKeys.length) log(`  truth: ${done}/${dayKeys.length} simulated days loaded and reviewed (${loader.counts.reports} reports)`);
    }
    Object.assign(counts, { reports: loader.counts.reports, referrals: loader.counts.referrals, notes: loader.counts.notes });

    const lines: ProductView['lines'] = [];
    const registerChanges: ProductView['registerChanges'] = [];
    for (const l of await c.services.intel.register.listLines(actor, {})) {
      const detail = await c.services.intel.register.getLine(actor, l.id);
      const ordered = [...detail.numbers].sort((a, b) => a.id - b.id).map((n) => n.number);
      lines.push({ id: l.id, brand: l.brand, numbers: ordered, linked: detail.entities.map((e) => `${e.type}:${e.value}`) });
      for (let i = 1; i < ordered.length; i++) registerChanges.push({ from: ordered[i - 1]!, to: ordered[i]! });
    }
    const reportEntities = new Map<string, { phones: string[]; brands: string[]; others: string[] }>();
    const { rows } = await c.platform.db.query<{ source_id: string; type: string; value: string }>(
      `SELECT DISTINCT m.source_id, e.type, e.value FROM mentions m JOIN entities e ON e.id = m.entity_id
       WHERE m.source_type = 'report' AND e.type IN ('phone', 'line_name', 'vehicle', 'handle', 'postcode')`,
    );
    for (const r of rows) {
      const simId = toSim.get(r.source_id);
      if (!simId) continue;
      const e = reportEntities.get(simId) ?? { phones: [], brands: [], others: [] };
      if (r.type === 'phone') e.phones.push(r.value);
      else if (r.type === 'line_name') e.brands.push(r.value);
      else e.others.push(`${r.type}:${r.value}`);
      reportEntities.set(simId, e);
    }
    const changes: ProductView['changes'] = [];
    for (const status of ['pending', 'accepted', 'rejected'] as const) {
      for (const s of await c.services.intel.register.listSuggestions(actor, status)) {
        if (s.detail.kind === 'number_change') for (const from of s.detail.replaces) changes.push({ from, to: s.detail.number });
      }
    }
    return { lines, reportEntities, changes, registerChanges, firstDay: dayKeys[0]!, lastDay: dayKeys[dayKeys.length - 1]!, counts, seconds: (performance.now() - began) / 1000 };
  } finally {
    await scratch.drop();
  }
}

export interface TruthScores {
  assignment_precision: number;
  assignment_recall: number;
  reports_about_a_line: number;
  reports_assigned: number;
  reports_assigned_correctly: number;
  number_change_precision: number;
  number_change_recall: number;
  number_changes_true: number;
  number_changes_detected: number;
  number_changes_correct: number;
  /** The same pairs read from the register (a line's numbers in the order they were added). */
  register_number_change_precision: number;
  register_number_change_recall: number;
  register_number_changes: number;
  register_lines: number;
  register_lines_matched: number;
  true_lines: number;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** Scores the product's conclusions against the world's answers and a truth file (see the header). */
export function scoreProduct(view: ProductView, world: Pick<WorldAnswers, 'brands' | 'numbers'>, truth: TruthAnswers): TruthScores {
  // Register line -> true line.
  const matched = new Map<number, string | null>();
  for (const l of view.lines) {
    let best: string | null = null;
    let bestScore = 0;
    for (const [lineId, brand] of world.brands) {
      const nums = world.numbers.get(lineId) ?? new Set<string>();
      const s = (brand === l.brand ? 2 : 0) + l.numbers.filter((n) => nums.has(n)).length;
      if (s > bestScore) {
        best = lineId;
        bestScore = s;
      }
    }
    matched.set(l.id, best);
  }
  let about = 0;
  let assigned = 0;
  let correct = 0;
  for (const [simId, trueLine] of truth.reportLine) {
    if (trueLine) about += 1;
    const e = view.reportEntities.get(simId);
    let line: number | null = null;
    if (e) {
      let bestScore = 0;
      for (const l of view.lines) {
        const s = (e.brands.includes(l.brand) ? 2 : 0) + e.phones.filter((p) => l.numbers.includes(p)).length + e.others.filter((x) => l.linked.includes(x)).length;
        if (s > bestScore) {
          bestScore = s;
          line = l.id;
        }
      }
    }
    if (line === null) continue;
    assigned += 1;
    if (trueLine && matched.get(line) === trueLine) correct += 1;
  }
  const trueChanges = new Set(truth.changes.filter((c) => c.date >= view.firstDay && c.date <= view.lastDay).map((c) => `${c.old_number}>${c.new_number}`));
  const detected = new Set(view.changes.map((c) => `${c.from}>${c.to}`));
  const hit = [...detected].filter((d) => trueChanges.has(d)).length;
  const inRegister = new Set(view.registerChanges.map((c) => `${c.from}>${c.to}`));
  const registerHit = [...inRegister].filter((d) => trueChanges.has(d)).length;
  return {
    assignment_precision: ratio(correct, assigned),
    assignment_recall: ratio(correct, about),
    reports_about_a_line: about,
    reports_assigned: assigned,
    reports_assigned_correctly: correct,
    number_change_precision: ratio(hit, detected.size),
    number_change_recall: ratio(hit, trueChanges.size),
    number_changes_true: trueChanges.size,
    number_changes_detected: detected.size,
    number_changes_correct: hit,
    register_number_change_precision: ratio(registerHit, inRegister.size),
    register_number_change_recall: ratio(registerHit, trueChanges.size),
    register_number_changes: inRegister.size,
    register_lines: view.lines.length,
    register_lines_matched: [...matched.values()].filter((m) => m !== null).length,
    true_lines: world.brands.size,
  };
}

/** The evaluator `lookout bench intel --truth FILE` calls (registered in ./bench.ts). */
export async function truthFigures(file: string, log: (line: string) => void, config: Config = loadConfig()): Promise<Record<string, number | string>> {
  const files = resolveTruthFiles(file);
  for (const f of [files.main, files.truth]) if (!existsSync(f)) throw new Error(`--truth: ${f} does not exist (write one with lookout simulate --out FILE)`);
  const world = await readWorld(files.main);
  const truth = await readTruth(files.truth);
  log(`  truth: ${files.main} (${world.brands.size} lines, ${world.days.size} days); answers from ${files.truth}`);
  const view = await runProduct(world, config, log);
  const s = scoreProduct(view, world, truth);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  log(`  truth: report-to-line assignment precision ${pct(s.assignment_precision)} (${s.reports_assigned_correctly}/${s.reports_assigned}), recall ${pct(s.assignment_recall)} (${s.reports_assigned_correctly}/${s.reports_about_a_line})`);
  log(`  truth: number-change detection precision ${pct(s.number_change_precision)} (${s.number_changes_correct}/${s.number_changes_detected}), recall ${pct(s.number_change_recall)} (${s.number_changes_correct}/${s.number_changes_true})`);
  log(
    `  truth: number changes as the register shows them (a line's numbers in the order added): precision ${pct(s.register_number_change_precision)}, recall ${pct(s.register_number_change_recall)} (${s.register_number_changes} in the register)`,
  );
  log(
    `  truth: register ${s.register_lines} lines (${s.register_lines_matched} matched to one of ${s.true_lines} true lines); analyst auto-accepted ${view.counts.suggestionsAccepted} suggestions, added ${view.counts.linesCreated} lines and linked ${view.counts.entitiesLinked} vehicles, handles and postcodes; ${view.seconds.toFixed(1)} s`,
  );
  const figures: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(s)) figures[`truth_${k}`] = typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v;
  figures.truth_method = 'day by day; analyst adds brands seen in 2+ sources, links vehicles/handles/postcodes co-mentioned 2+ times, auto-accepts number suggestions (src/modules/intel/truth.ts)';
  return figures;
}
