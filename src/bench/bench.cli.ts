/** `lookout bench [name] [--quick] [--out DIR]`: runs benchmarks and writes JSON + Markdown summaries. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release, platform as osPlatform } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import type { Command } from '../cli/main.ts';
import type { Benchmark, BenchReport } from './bench.ts';

type Loader = () => Promise<Benchmark>;

/** Every benchmark the project has, by name. */
const registry: Record<string, Loader> = {
  reporting: () => import('../modules/reporting/bench.ts').then((m) => m.benchmark),
  // [bench:reporting]
  intel: async () => (await import('../modules/intel/bench.ts')).benchmark,
  // [bench:intel]
  'simulate-load': async () => (await import('../modules/simulate/bench.ts')).benchmark,
  // [bench:simulate]
  live: async () => (await import('../modules/live/bench.ts')).benchmark,
  // [bench:live]
};

export function benchmarkNames(): string[] {
  return Object.keys(registry);
}

/** Lookout's own version and those of the libraries the figures depend on, from their package.json. */
function versions(): Record<string, string> {
  const versionOf = (file: string) => {
    try {
      return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? 'unknown');
    } catch {
      return 'unknown';
    }
  };
  const out: Record<string, string> = { lookout: versionOf(new URL('../../package.json', import.meta.url).pathname) };
  for (const name of ['fastify', 'pg', '@electric-sql/pglite', 'argon2', 'graphology', 'libphonenumber-js']) {
    out[name] = versionOf(new URL(`../../node_modules/${name}/package.json`, import.meta.url).pathname);
  }
  return out;
}

async function machineInfo(config: ReturnType<typeof loadConfig>) {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, memory: !config.databaseUrl, dataDir: config.dataDir });
  try {
    const { rows } = await db.query<{ v: string }>('SELECT version() AS v');
    return {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${osPlatform()} ${release()}`,
      node: process.version,
      engine: db.engine,
      database: rows[0]?.v ?? 'unknown',
      uvThreadpool: process.env.UV_THREADPOOL_SIZE ?? '4 (libuv default)',
      versions: Object.entries(versions())
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    };
  } finally {
    await db.close();
  }
}

function markdown(date: string, machine: Record<string, unknown>, quick: boolean, results: Record<string, BenchReport | { error: string }>): string {
  const lines = [`# Lookout benchmarks, ${date}${quick ? ' (quick smoke mode: figures are not representative)' : ''}`, '', '| machine | |', '|---|---|'];
  for (const [k, v] of Object.entries(machine)) lines.push(`| ${k} | ${String(v)} |`);
  for (const [name, r] of Object.entries(results)) {
    lines.push('', `## ${name}`, '');
    if ('error' in r) {
      lines.push(`Failed: ${r.error}`);
      continue;
    }
    lines.push('| figure | value |', '|---|---|');
    for (const [k, v] of Object.entries(r.figures)) lines.push(`| ${k} | ${typeof v === 'number' ? Number(v.toFixed(3)) : v} |`);
    if (r.targets?.length) {
      lines.push('', '| target | wanted | met |', '|---|---|---|');
      for (const t of r.targets) lines.push(`| ${t.name} | ${t.target} | ${t.met ? 'yes' : 'no'} |`);
    }
    for (const n of r.notes ?? []) lines.push('', `- ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

export const command: Command = {
  summary: 'Run benchmarks (all, or one by name) and write JSON and Markdown summaries',
  async run(argv) {
    const quick = argv.includes('--quick');
    const outIdx = argv.indexOf('--out');
    const outDir = outIdx >= 0 ? argv[outIdx + 1] : 'bench-results';
    if (!outDir) {
      process.stderr.write('lookout bench: --out needs a directory\n');
      return 2;
    }
    // Options other than these switches take a value (--out DIR, intel's --truth FILE, simulate-load's --reports N, ...): never a name.
    const switches = ['--quick', '--sealed-off-receipts'];
    const names = argv.filter((a, i) => !a.startsWith('--') && !(argv[i - 1]?.startsWith('--') && !switches.includes(argv[i - 1]!)));
    const wanted = names.length ? names.slice(0, 1) : benchmarkNames();
    for (const n of wanted) {
      if (!registry[n]) {
        process.stderr.write(`lookout bench: unknown benchmark "${n}". Known: ${benchmarkNames().join(', ')}\n`);
        return 2;
      }
    }
    const config = loadConfig();
    const date = new Date().toISOString();
    const machine = await machineInfo(config);
    const log = (line: string) => process.stdout.write(`${line}\n`);
    log(`Lookout bench on ${machine.engine} (${machine.cores} cores, ${machine.node})${quick ? ', quick smoke mode' : ''}`);
    const results: Record<string, BenchReport | { error: string }> = {};
    let failed = false;
    for (const name of wanted) {
      log(`\n## ${name}`);
      try {
        const bench = await registry[name]!();
        const report = await bench.run({ quick, config, argv: argv.filter((a) => a !== name), log });
        results[name] = report;
        for (const [k, v] of Object.entries(report.figures)) log(`  ${k}: ${typeof v === 'number' ? Number(v.toFixed(3)) : v}`);
        for (const t of report.targets ?? []) log(`  target ${t.name} (${t.target}): ${t.met ? 'met' : 'NOT met'}`);
      } catch (err) {
        failed = true;
        results[name] = { error: err instanceof Error ? err.message : String(err) };
        log(`  failed: ${results[name].error}`);
      }
    }
    mkdirSync(outDir, { recursive: true });
    const stamp = date.replace(/[:.]/g, '-');
    const summary = { date, quick, machine, results };
    writeFileSync(join(outDir, `bench-${stamp}.json`), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(join(outDir, `bench-${stamp}.md`), markdown(date, machine, quick, results));
    log(`\nWrote ${join(outDir, `bench-${stamp}.json`)} and .md`);
    return failed ? 1 : 0;
  },
};
