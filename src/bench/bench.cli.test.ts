import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command } from './bench.cli.ts';

describe('lookout bench', () => {
  it('writes a JSON and a Markdown summary naming the machine, engine, versions and date', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lookout-bench-test-'));
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await command.run(['live', '--quick', '--attendees', '20', '--max-attendees', '40', '--out', out]);
    } finally {
      process.stdout.write = write;
    }
    try {
      assert.equal(code, 0, lines.join(''));
      const files = readdirSync(out).sort();
      const json = files.find((f) => f.endsWith('.json'));
      const md = files.find((f) => f.endsWith('.md'));
      assert.ok(json && md, `summaries written: ${files.join(', ')}`);
      const summary = JSON.parse(readFileSync(join(out, json), 'utf8')) as { date: string; quick: boolean; machine: Record<string, unknown>; results: Record<string, { figures: Record<string, unknown> }> };
      assert.ok(!Number.isNaN(Date.parse(summary.date)));
      assert.equal(summary.quick, true);
      assert.match(String(summary.machine.engine), /^(pglite|postgres)$/);
      assert.match(String(summary.machine.node), /^v\d+/);
      assert.match(String(summary.machine.versions), /lookout \d+\.\d+\.\d+/);
      assert.ok(Number(summary.machine.cores) >= 1);
      assert.equal(summary.results.live?.figures.attendees_target, 20);
      const text = readFileSync(join(out, md), 'utf8');
      assert.match(text, /quick smoke mode/);
      assert.match(text, /\| versions \| lookout /);
      assert.match(text, /## live/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
