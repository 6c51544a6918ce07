/**
 * The simulator's entry point as a pure function: options and a seeded Rng in, batches of typed
 * records (with their ground truth) out. The CLI writes them as JSONL; a database loader can
 * consume the same async iterator batch by batch without holding the whole world of reports.
 */
import type { SimBatch, SimRecord, TruthRecord } from './types.ts';
import type { PlaceSeed } from './places.ts';
import { Rng } from './rng.ts';
import { buildWorld, parseStartDate, worldRecords } from './world.ts';
import type { World } from './world.ts';
import { streamBatches, streamCounts } from './streams.ts';
import type { StreamCounts } from './streams.ts';

export interface SimulateOptions {
  seed: number;
  lines: number;
  days: number;
  reports: number;
  /** First simulated day (YYYY-MM-DD); fixed, never the wall clock. */
  start: string;
  places: readonly PlaceSeed[];
}

/** Limits that keep a run meaningful and in memory (see validateOptions). */
export const LIMITS = {
  /** England and Wales run about 600-1,100 lines a month (DOMAIN.md "Scale"); 5,000 is far past any real picture. */
  maxLines: 5000,
  maxDays: 3660,
  maxReports: 10_000_000,
  /** The hidden world (journeys, episodes) is held in memory and grows with lines x days. */
  maxLineDays: 1_500_000,
  maxSeed: 4294967295,
} as const;

export const DEFAULT_START = '2026-01-01';

export interface OptionError {
  option: string;
  message: string;
}

/** Checks option values; returns every problem, each naming its option. */
export function validateOptions(o: Omit<SimulateOptions, 'places'>): OptionError[] {
  const errors: OptionError[] = [];
  const whole = (option: string, value: number, min: number, max: number, what: string): void => {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      errors.push({ option, message: `--${option} must be a whole number from ${min.toLocaleString('en-GB')} to ${max.toLocaleString('en-GB')} (${what})` });
    }
  };
  whole('seed', o.seed, 0, LIMITS.maxSeed, 'any fixed number; the same seed gives the same world');
  whole('lines', o.lines, 1, LIMITS.maxLines, `England and Wales run about 600-1,100 lines a month; more than ${LIMITS.maxLines.toLocaleString('en-GB')} is not a country`);
  whole('days', o.days, 1, LIMITS.maxDays, 'at least one simulated day, at most ten years');
  whole('reports', o.reports, 0, LIMITS.maxReports, 'public reports over the whole period');
  if (Number.isNaN(parseStartDate(o.start))) errors.push({ option: 'start', message: '--start must be a date written YYYY-MM-DD' });
  if (errors.length === 0 && o.lines * o.days > LIMITS.maxLineDays) {
    errors.push({
      option: 'lines',
      message: `--lines x --days is ${(o.lines * o.days).toLocaleString('en-GB')}, above the ${LIMITS.maxLineDays.toLocaleString('en-GB')} the simulator holds in memory (for example 1,000 lines for 1,500 days)`,
    });
  }
  return errors;
}

export interface Simulation {
  world: World;
  counts: StreamCounts;
  /** Total records the main output will hold (world plus streams), for progress bars. */
  totalRecords: number;
  /** Batches in output order: the world first, then one batch per simulated day of streams. */
  batches(): Generator<SimBatch>;
}

const WORLD_BATCH = 5000;

/** Builds the hidden world and returns a lazy, synchronous batch generator over everything. */
export function createSimulation(options: SimulateOptions, rng: Rng = new Rng(options.seed)): Simulation {
  const world = buildWorld({ seed: options.seed, lines: options.lines, days: options.days, start: options.start, places: options.places }, rng);
  const counts = streamCounts(options.reports);
  return {
    world,
    counts,
    totalRecords: world.recordCount + counts.reports + counts.referrals + counts.notes,
    *batches(): Generator<SimBatch> {
      let records: SimRecord[] = [];
      let truth: TruthRecord[] = [...world.numberChanges];
      for (const r of worldRecords(world)) {
        records.push(r);
        if (records.length >= WORLD_BATCH) {
          yield { records, truth };
          records = [];
          truth = [];
        }
      }
      if (records.length > 0 || truth.length > 0) yield { records, truth };
      yield* streamBatches(world, counts, rng);
    },
  };
}

/** The same batches as an async iterator, for loaders that await each write (the future `--db`). */
export async function* simulate(options: SimulateOptions, rng: Rng = new Rng(options.seed)): AsyncGenerator<SimBatch> {
  const sim = createSimulation(options, rng);
  for (const batch of sim.batches()) yield batch;
}
