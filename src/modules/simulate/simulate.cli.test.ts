import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command } from './simulate.cli.ts';

async function capture(argv: string[]): Promise<{ code: number; stderr: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await command.run(argv), stderr };
  } finally {
    process.stderr.write = original;
  }
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

test('two runs with the same options write byte-identical output and truth files', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-sim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const args = (out: string) => ['--seed', '9', '--lines', '4', '--days', '45', '--reports', '800', '--out', join(dir, out)];
  assert.equal((await capture(args('a.jsonl'))).code, 0);
  assert.equal((await capture(args('b.jsonl'))).code, 0);
  assert.equal(sha(join(dir, 'a.jsonl')), sha(join(dir, 'b.jsonl')));
  assert.equal(sha(join(dir, 'a.jsonl.truth.jsonl')), sha(join(dir, 'b.jsonl.truth.jsonl')));
  const kinds = new Set(readFileSync(join(dir, 'a.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind));
  for (const k of ['place', 'line', 'line_number', 'person', 'address', 'handle', 'journey', 'report', 'referral', 'note']) assert.ok(kinds.has(k), k);
  assert.ok(!readdirSync(dir).some((f) => f.endsWith('.partial')));
});

test('bad input exits 2 naming the option, before any file is created', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-sim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'x.jsonl');
  const good = { '--seed': '1', '--lines': '3', '--days': '10', '--reports': '5', '--out': out };
  const cases: [Record<string, string | null>, RegExp][] = [
    [{ '--lines': '-3' }, /--lines/],
    [{ '--lines': '6000' }, /--lines.*country/],
    [{ '--days': '0' }, /--days/],
    [{ '--reports': '-1' }, /--reports/],
    [{ '--reports': 'lots' }, /--reports.*"lots"/],
    [{ '--seed': '1.5' }, /--seed/],
    [{ '--out': null }, /missing --out/],
    [{ '--out': join(dir, 'no-such-folder', 'x.jsonl') }, /--out/],
    [{ '--bogus': 'x' }, /bogus/],
    [{ '--bulk': '' }, /--bulk .*--db/],
  ];
  for (const [over, message] of cases) {
    const merged: Record<string, string | null> = { ...good, ...over };
    const argv = Object.entries(merged).flatMap(([k, v]) => (v === null ? [] : v === '' ? [k] : [k, v]));
    const { code, stderr } = await capture(argv);
    assert.equal(code, 2, argv.join(' '));
    assert.match(stderr, message);
    assert.equal(existsSync(out), false);
  }
  assert.deepEqual(readdirSync(dir), []);
});

