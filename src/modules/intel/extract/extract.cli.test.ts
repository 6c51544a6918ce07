import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { runExtract } from './extract.cli.ts';

async function run(argv: string[], input: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runExtract(argv, {
    stdin: Readable.from([input]),
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  return { code, out, err };
}

test('cli --jsonl: one output line per input line, in the contract shape', async () => {
  const input = ['{"id":"a","text":"ring 07700 900101, the Kash line"}', '{"id":"b","text":"nothing here"}'].join('\n') + '\n';
  const { code, out } = await run(['--jsonl'], input);
  assert.equal(code, 0);
  const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { id: string; entities: { type: string; value: string; start: number; end: number }[]; indicators: unknown[] });
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.id, 'a');
  assert.deepEqual(Object.keys(lines[0]!.entities[0]!), ['type', 'value', 'start', 'end']);
  assert.deepEqual(lines[1], { id: 'b', entities: [], indicators: [] });
});

test('cli --jsonl: bad lines get an error line and the run continues', async () => {
  const input = ['not json', '{"id":"x"}', '[1,2]', '{"id":"ok","text":"hi"}'].join('\n');
  const { code, out } = await run(['--jsonl'], input);
  assert.equal(code, 0);
  const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { id?: string; error?: string });
  assert.equal(lines.length, 4);
  assert.match(lines[0]!.error ?? '', /invalid JSON/);
  assert.match(lines[1]!.error ?? '', /"text"/);
  assert.match(lines[2]!.error ?? '', /object/);
  assert.equal(lines[3]!.id, 'ok');
});

test('cli: plain text in, one JSON result out; unknown options exit 2', async () => {
  const { code, out } = await run([], 'Call 07700 900202 in Preston');
  assert.equal(code, 0);
  const r = JSON.parse(out) as { entities: { type: string }[] };
  assert.deepEqual(r.entities.map((e) => e.type), ['phone', 'place']);
  assert.equal((await run(['--bogus'], '')).code, 2);
});
