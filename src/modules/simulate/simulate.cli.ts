/**
 * `lookout simulate`: writes a synthetic county-lines world and the streams that reveal it as JSONL,
 * with the ground truth in a separate file. The only part of the simulator that does I/O.
 */
import { createWriteStream, existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import cliProgress from 'cli-progress';
import type { Command } from '../../cli/main.ts';
import { createSimulation, DEFAULT_START, validateOptions } from './simulate.ts';
import type { SimulateOptions } from './simulate.ts';
import { mergePlaces, parseFallbackPlaces, parseGazetteer } from './places.ts';
import type { PlaceSeed } from './places.ts';
import { Rng } from './rng.ts';

const USAGE = `Usage: lookout simulate --seed N --lines L --days D --reports R --out FILE [--truth FILE] [--start YYYY-MM-DD] [--db [--bulk]]

Writes a fictional county-lines world (places, lines, numbers, people, addresses, vehicles,
handles, journeys, arrests, missing episodes) and the reports, referrals and staff notes that
reveal it, one JSON record per line. Ground truth goes to --truth (default <out>.truth.jsonl).
The same options always give byte-identical files. Only Ofcom drama-range numbers are used.

--db        also loads the reports, referrals and staff notes into the configured database
            (DATABASE_URL, or PGlite in ./data) through the services, one report per transaction.
--bulk      with --db: reports go through the bulk path instead (sealed, tokenised and receipted
            exactly as the service does, committed 1,000 per transaction with their follow-on
            jobs); referrals and notes still go through the services. Use it above ~10,000 reports.
`;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Reads the shared gazetteer if present, enriched by (or falling back to) content/simulation/places.yaml. */
export function readPlaceSeeds(root: string = ROOT): PlaceSeed[] {
  const fallbackFile = resolve(root, 'content/simulation/places.yaml');
  const fallback = parseFallbackPlaces(parseYaml(readFileSync(fallbackFile, 'utf8')), fallbackFile);
  const gazetteerFile = resolve(root, 'content/gazetteer/places.json');
  if (!existsSync(gazetteerFile)) return mergePlaces([], fallback);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(gazetteerFile, 'utf8'));
  } catch (err) {
    throw new Error(`${gazetteerFile}: not valid JSON (${(err as Error).message})`);
  }
  return mergePlaces(parseGazetteer(data), fallback);
}

interface ParsedArgs {
  options: Omit<SimulateOptions, 'places'>;
  out: string;
  truth: string;
  db: boolean;
  bulk: boolean;
}

function fail(message: string): number {
  process.stderr.write(`lookout simulate: ${message}\n`);
  return 2;
}

/** Whole numbers only: "10", not "1e1", "ten" or "3.5". */
function toInt(raw: string | undefined): number {
  if (raw === undefined) return Number.NaN;
  return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
}

/** Parses and checks the arguments; returns an error message naming the option, or the plan. */
export function parseSimulateArgs(argv: string[]): ParsedArgs | { error: string } | { help: true } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        seed: { type: 'string' },
        lines: { type: 'string' },
        days: { type: 'string' },
        reports: { type: 'string' },
        out: { type: 'string' },
        truth: { type: 'string' },
        start: { type: 'string' },
        db: { type: 'boolean' },
        bulk: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (values.help) return { help: true };
  const missing = (['seed', 'lines', 'days', 'reports', 'out'] as const).filter((k) => values[k] === undefined || values[k] === '');
  if (missing.length > 0) return { error: `missing ${missing.map((m) => `--${m}`).join(', ')}\n\n${USAGE}` };
  const options = {
    seed: toInt(values.seed),
    lines: toInt(values.lines),
    days: toInt(values.days),
    reports: toInt(values.reports),
    start: values.start ?? DEFAULT_START,
  };
  const errors = validateOptions(options);
  if (errors.length > 0) {
    const given = (o: string): string => {
      const v = (values as Record<string, unknown>)[o];
      return typeof v === 'string' ? ` (got "${v}")` : '';
    };
    return { error: errors.map((e) => `${e.message}${given(e.option)}`).join('\n') };
  }
  const out = resolve(values.out!);
  const truth = resolve(values.truth ?? `${values.out!}.truth.jsonl`);
  if (out === truth) return { error: '--truth must be a different file from --out' };
  for (const [option, file] of [['out', out], ['truth', truth]] as const) {
    const dir = dirname(file);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return { error: `--${option}: folder ${dir} does not exist` };
    if (existsSync(file) && statSync(file).isDirectory()) return { error: `--${option}: ${file} is a folder, not a file` };
  }
  if (values.bulk && !values.db) return { error: '--bulk is a way of loading with --db: add --db' };
  return { options, out, truth, db: values.db === true, bulk: values.bulk === true };
}

async function write(stream: WriteStream, chunk: string): Promise<void> {
  // Respect backpressure so a million reports never pile up in memory.
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((res, rej) => {
    stream.once('error', rej);
    stream.end(() => res());
  });
}

interface Progress {
  update(done: number): void;
  stop(): void;
}

/** A bar on a terminal; elsewhere a plain line every 10% so CI logs stay short. */
function progress(total: number): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: 'simulate [{bar}] {percentage}% | {value}/{total} records | {eta}s left', hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (n) => bar.update(n), stop: () => bar.stop() };
  }
  let next = 0.1;
  return {
    update(done) {
      if (total > 50_000 && done / total >= next) {
        process.stderr.write(`simulate: ${Math.floor((done / total) * 100)}% (${done}/${total} records)\n`);
        next = Math.floor((done / total) * 10 + 1) / 10;
      }
    },
    stop() {},
  };
}

export const command: Command = {
  summary: 'Write a fictional county-lines world and its report streams as JSONL (with ground truth)',
  async run(argv: string[]): Promise<number> {
    const parsed = parseSimulateArgs(argv);
    if ('help' in parsed) {
      process.stdout.write(USAGE);
      return 0;
    }
    if ('error' in parsed) return fail(parsed.error);
    let places: PlaceSeed[];
    try {
      places = readPlaceSeeds();
    } catch (err) {
      process.stderr.write(`lookout simulate: cannot read places: ${(err as Error).message}\n`);
      return 1;
    }

    const began = performance.now();
    const sim = createSimulation({ ...parsed.options, places }, new Rng(parsed.options.seed));
    // Write beside the target and rename at the end, so an interrupted run leaves no half file behind.
    const outTmp = `${parsed.out}.partial`;
    const truthTmp = `${parsed.truth}.partial`;
    const out = createWriteStream(outTmp);
    const truth = createWriteStream(truthTmp);
    const bar = progress(sim.totalRecords);
    const counts: Record<string, number> = {};
    let done = 0;
    try {
      for (const batch of sim.batches()) {
        let text = '';
        for (const r of batch.records) {
          text += `${JSON.stringify(r)}\n`;
          counts[r.kind] = (counts[r.kind] ?? 0) + 1;
        }
        if (text) await write(out, text);
        if (batch.truth.length > 0) await write(truth, batch.truth.map((t) => JSON.stringify(t)).join('\n') + '\n');
        done += batch.records.length;
        bar.update(done);
      }
      await Promise.all([close(out), close(truth)]);
      renameSync(outTmp, parsed.out);
      renameSync(truthTmp, parsed.truth);
    } catch (err) {
      bar.stop();
      out.destroy();
      truth.destroy();
      rmSync(outTmp, { force: true });
      rmSync(truthTmp, { force: true });
      process.stderr.write(`lookout simulate: failed: ${(err as Error).message}\n`);
      return 1;
    }
    bar.stop();
    const seconds = ((performance.now() - began) / 1000).toFixed(1);
    const summary = Object.keys(counts)
      .sort()
      .map((k) => `${k} ${counts[k]}`)
      .join(', ');
    process.stderr.write(`simulate: wrote ${done} records in ${seconds}s to ${parsed.out} (${summary}); truth in ${parsed.truth}\n`);
    const { sharedLinePeriods, personalUnassigned } = sim.world.phoneStats;
    if (sharedLinePeriods > 0) {
      process.stderr.write(
        `simulate: note: only 1,000 drama mobiles exist; ${sharedLinePeriods} deal-line periods share a number with another line at the same time (more than ~1,000 lines live at once)\n`,
      );
    }
    if (personalUnassigned > 0) process.stderr.write(`simulate: note: ${personalUnassigned} people have no personal phone (drama mobiles exhausted)\n`);
    if (parsed.db && parsed.bulk) return bulkLoadIntoDatabase({ ...parsed.options, places }, sim.counts.reports);
    if (parsed.db) return loadIntoDatabase({ ...parsed.options, places }, sim.counts.reports + sim.counts.referrals);
    return 0;
  },
};

/**
 * `--db`: the same world again (same seed, so the same records) streamed into the configured
 * database through the real services: reports sealed and queued for triage and intel.
 */
async function loadIntoDatabase(options: SimulateOptions, total: number): Promise<number> {
  const { loadConfig } = await import('../../config.ts');
  const { createContainer } = await import('../../container.ts');
  const { loadStreams } = await import('./load.ts');
  const config = loadConfig(process.env, { seedDemo: false });
  const container = await createContainer(config);
  const began = performance.now();
  const bar = progress(total);
  try {
    const counts = await loadStreams(container.services, createSimulation(options, new Rng(options.seed)).batches(), {
      concurrency: config.databaseUrl ? 16 : 4,
      onProgress: (n) => bar.update(n),
    });
    bar.stop();
    const seconds = (performance.now() - began) / 1000;
    process.stderr.write(
      `simulate: loaded ${counts.reports} reports and ${counts.referrals} referrals into ${container.platform.db.engine} in ${seconds.toFixed(1)}s (${Math.round((counts.reports + counts.referrals) / seconds)}/s)${counts.skipped ? `; ${counts.skipped} referrals skipped as invalid` : ''}; ${counts.notes} staff notes on ${counts.cases} cases (${counts.notesWithoutCase} notes about no person have no place in the product and were not stored). Triage and intel pick them up as jobs when the service runs.\n`,
    );
    return 0;
  } catch (err) {
    bar.stop();
    process.stderr.write(`lookout simulate: loading failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await container.close();
  }
}

/**
 * `--db --bulk`: the same world again streamed through the bulk path (src/modules/simulate/bulk.ts)
 * for reports, while referrals and notes go through the services as with --db alone.
 */
async function bulkLoadIntoDatabase(options: SimulateOptions, total: number): Promise<number> {
  const { loadConfig } = await import('../../config.ts');
  const { createContainer } = await import('../../container.ts');
  const { createStreamLoader } = await import('./load.ts');
  const { bulkLoadReports } = await import('./bulk.ts');
  const config = loadConfig(process.env, { seedDemo: false });
  const container = await createContainer(config);
  const began = performance.now();
  const bar = progress(total);
  try {
    const others = await createStreamLoader(container.services, { concurrency: config.databaseUrl ? 8 : 4 });
    let chain: Promise<void> = Promise.resolve();
    const counts = await bulkLoadReports(container, createSimulation(options, new Rng(options.seed)).batches(), {
      onProgress: (n) => bar.update(n),
      other: (records) => {
        chain = chain.then(() => others.load([{ records, truth: [] }]));
        chain.catch(() => undefined);
      },
    });
    await chain;
    bar.stop();
    const seconds = (performance.now() - began) / 1000;
    const o = others.counts;
    process.stderr.write(
      `simulate: bulk-loaded ${counts.reports} reports into ${container.platform.db.engine} in ${counts.seconds.toFixed(1)}s (${Math.round(counts.reports / counts.seconds)}/s); ${o.referrals} referrals and ${o.notes} staff notes on ${o.cases} cases through the services${o.skipped ? ` (${o.skipped} referrals skipped as invalid)` : ''}${o.notesWithoutCase ? `; ${o.notesWithoutCase} notes about no person have no place in the product and were not stored` : ''}; ${seconds.toFixed(1)}s in all. Triage and intel pick the reports up as jobs when the service runs.\n`,
    );
    return 0;
  } catch (err) {
    bar.stop();
    process.stderr.write(`lookout simulate: loading failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await container.close();
  }
}
