/**
 * `lookout bench reporting`: end-to-end anonymous report submissions through the HTTP API on the
 * configured engine (N concurrent keep-alive clients for a duration), then, in the same run and on
 * the same database, a raw single-row INSERT baseline at the same concurrency. Prints reports/s,
 * p50/p99 latency, the baseline and the ratio. Rate limiting is lifted by config override (never by
 * NODE_ENV). On PostgreSQL the run works in its own schema, dropped afterwards; on PGlite in a
 * temporary data dir, so no real data is touched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../config.ts';
import { createContainer } from '../../container.ts';
import { openDatabase } from '../../db/database.ts';
import { buildApp } from '../../http/app.ts';
import type { Benchmark } from '../../bench/bench.ts';
import { httpLoad } from '../../bench/http-load.ts';
import { ARGON2_RECEIPT } from './receipts.ts';

export interface BenchOptions {
  quick: boolean;
  concurrency?: number;
  durationSeconds?: number;
  config?: Config;
  log?: (line: string) => void;
}

export interface Figures {
  requests: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface BenchResult {
  engine: string;
  concurrency: number;
  durationSeconds: number;
  reports: Figures;
  rawInsert: Figures;
  /** reports/s divided by raw inserts/s. */
  ratio: number;
  argon2: string;
}

const NARRATIVE =
  'Most evenings since March a silver car, registration AB12 CDE, stops outside the flats on Fictional Road. ' +
  'Two boys who look about 14 get out with rucksacks and go into number 12, then leave ten minutes later. ' +
  'The man who lives there seems frightened and the curtains are always shut. Someone wrote 07700 900123 on a card ' +
  'and called it the Ryan line. The older one goes by the nickname Little T and posts on @fictional_runner.';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function drive(concurrency: number, seconds: number, once: () => Promise<boolean>): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const ok = await once().catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, perSecond: (latencies.length - errors) / elapsed, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** Runs the benchmark and prints its figures. */
export async function runReportingBench(opts: BenchOptions): Promise<BenchResult> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const concurrency = opts.concurrency ?? 32;
  const durationSeconds = opts.durationSeconds ?? (opts.quick ? 2 : 15);
  const base = opts.config ?? loadConfig();
  const pgMode = Boolean(base.databaseUrl);
  const dataDir = pgMode ? undefined : mkdtempSync(join(tmpdir(), 'lookout-bench-'));
  const schema = pgMode ? `bench_${randomBytes(5).toString('hex')}` : undefined;
  const config: Config = Object.freeze({
    ...base,
    // Lifted for the bench by configuration: the per-client limit and the burst threshold derive from it.
    publicPostsPerMinute: 1_000_000_000,
    logLevel: 'warn' as const,
    jobsEnabled: false,
    seedDemo: false,
    databasePoolSize: Math.max(base.databasePoolSize, Math.min(concurrency, 24)),
    ...(dataDir ? { dataDir } : {}),
  });
  if (schema && config.databaseUrl) {
    const admin = new pg.Client({ connectionString: config.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, ...(schema ? { schema } : {}) });
  const container = await createContainer(config, { db });
  const app = await buildApp(container);
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('server did not start');
    const body = Buffer.from(
      JSON.stringify({ narrative: NARRATIVE, where: 'Fictional Road, Preston', when: 'Most evenings', phones: ['07700 900123'], vehicles: ['AB12 CDE'], handles: ['@fictional_runner'], danger_now: false }),
    );
    // The clients run on their own thread (src/bench/http-load.ts), like an external load tool.
    const load = (seconds: number) =>
      httpLoad({ port: addr.port, method: 'POST', path: '/api/v1/reports', headers: { 'content-type': 'application/json' }, body, concurrency, seconds, expectStatus: 201 });
    log(`reporting bench on ${db.engine}: ${concurrency} clients, ${durationSeconds}s each phase${opts.quick ? ' (quick)' : ''}`);
    await load(opts.quick ? 0.5 : 2); // warm-up (JIT, pool, caches)
    const reports = await load(durationSeconds);
    log(`  API:  ${reports.perSecond.toFixed(0)} reports/s, p50 ${reports.p50Ms.toFixed(1)} ms, p99 ${reports.p99Ms.toFixed(1)} ms, ${reports.errors} errors`);

    await db.exec('CREATE TABLE bench_raw_insert (id bigserial PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now(), body text NOT NULL)');
    const text = body.toString('utf8');
    const insert = () => db.query('INSERT INTO bench_raw_insert (body) VALUES ($1)', [text]).then(() => true);
    await drive(concurrency, opts.quick ? 0.5 : 1, insert);
    const rawInsert = await drive(concurrency, durationSeconds, insert);
    await db.exec('DROP TABLE bench_raw_insert');
    log(`  raw:  ${rawInsert.perSecond.toFixed(0)} inserts/s, p50 ${rawInsert.p50Ms.toFixed(1)} ms, p99 ${rawInsert.p99Ms.toFixed(1)} ms`);
    const ratio = rawInsert.perSecond ? reports.perSecond / rawInsert.perSecond : 0;
    log(`  ratio: ${(ratio * 100).toFixed(1)}% of the raw INSERT baseline`);
    return {
      engine: db.engine,
      concurrency,
      durationSeconds,
      reports,
      rawInsert,
      ratio,
      argon2: `argon2id m=${ARGON2_RECEIPT.memoryCost} KiB t=${ARGON2_RECEIPT.timeCost} p=${ARGON2_RECEIPT.parallelism}`,
    };
  } finally {
    await app.close();
    await container.close();
    if (schema && config.databaseUrl) {
      const admin = new pg.Client({ connectionString: config.databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** For `lookout bench` (src/bench/bench.cli.ts registry: `reporting: () => import(...).then((m) => m.benchmark)`). */
export const benchmark: Benchmark = {
  name: 'reporting',
  description: 'Anonymous report submissions through POST /api/v1/reports vs a raw single-row INSERT',
  async run({ quick, config, argv, log }) {
    const num = (flag: string) => {
      const i = argv.indexOf(flag);
      return i >= 0 ? Number(argv[i + 1]) : undefined;
    };
    const r = await runReportingBench({ quick, config, log, concurrency: num('--concurrency') ?? 32, durationSeconds: num('--duration') ?? (quick ? 2 : 15) });
    return {
      figures: {
        engine: r.engine,
        concurrency: r.concurrency,
        reports_per_second: r.reports.perSecond,
        p50_ms: r.reports.p50Ms,
        p99_ms: r.reports.p99Ms,
        errors: r.reports.errors,
        raw_inserts_per_second: r.rawInsert.perSecond,
        raw_p99_ms: r.rawInsert.p99Ms,
        ratio_to_raw: r.ratio,
      },
      targets: [
        { name: 'reports/s (PostgreSQL, 2 cores, 32 clients)', target: '>= 1000', met: r.reports.perSecond >= 1000 },
        { name: 'p99 latency', target: '< 50 ms', met: r.reports.p99Ms < 50 },
        { name: 'share of raw INSERT baseline', target: '>= 40%', met: r.ratio >= 0.4 },
      ],
      notes: [`Receipt hash: ${r.argon2}.`, quick ? 'Quick smoke mode: figures are not representative.' : ''].filter(Boolean),
    };
  },
};
