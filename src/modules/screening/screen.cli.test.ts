import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { runScreen } from './screen.cli.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the real `lookout` binary, as a user or a script would. */
function lookout(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/lookout.mjs'), ...args], { cwd: tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Runs the command in-process with string streams (fast, for the many input cases). */
async function inProcess(argv: string[], stdin: string) {
  let stdout = '';
  let stderr = '';
  const code = await runScreen(argv, {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('lookout screen (spawned)', () => {
  it('reads one JSON object and writes one JSON result line, from any working directory', async () => {
    const input = {
      subject: { kind: 'child', age: 15, vulnerabilities: [] },
      signs: [{ code: 'weapons', severity: 'high' }],
      missing_episodes_30d: 0,
      danger_now: false,
    };
    const res = await lookout(['screen'], JSON.stringify(input));
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stderr, '');
    assert.equal(res.stdout.trim().split('\n').length, 1);
    const out = JSON.parse(res.stdout) as { level: string; reasons: string[]; routes: Array<{ id: string; label: string; contact: string }> };
    assert.equal(out.level, 'high');
    assert.ok(out.reasons.length > 0);
    assert.equal(out.routes[0]?.id, 'childrens_social_care');
  });

  it('danger now: emergency with 999 first', async () => {
    const res = await lookout(['screen'], '{"subject":{"kind":"adult","age":40,"vulnerabilities":[]},"signs":[],"missing_episodes_30d":0,"danger_now":true}');
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as { level: string; routes: Array<{ id: string }> };
    assert.equal(out.level, 'emergency');
    assert.equal(out.routes[0]?.id, '999');
  });

  it('invalid input exits 2, names the field on stderr and prints nothing on stdout', async () => {
    const res = await lookout(['screen'], '{"subject":{"kind":"child","age":-4},"signs":[{"code":"nope","severity":"low"}],"danger_now":false}');
    assert.equal(res.code, 2);
    assert.equal(res.stdout, '');
    assert.match(res.stderr, /subject\.age: Must be 0 or more/);
    assert.match(res.stderr, /signs\[0\]\.code: Unknown sign code "nope"/);
  });
});

describe('lookout screen (in process)', () => {
  const bad: Array<[string, RegExp]> = [
    ['{"subject":', /input: not valid JSON/],
    ['', /input: no JSON on stdin/],
    ['[1,2]', /input: expected one JSON object/],
    ['"hello"', /input: expected one JSON object/],
    ['{"subject":{"kind":"robot","age":3},"signs":[],"danger_now":false}', /subject\.kind: Must be "child" or "adult"/],
    ['{"subject":{"kind":"child","age":9},"signs":[],"danger_now":false,"missing_episodes_30d":"three"}', /missing_episodes_30d: Must be a whole number/],
    ['{"subject":{"kind":"child","age":9},"signs":[]}', /danger_now: Required/],
    ['{"signs":[],"danger_now":false}', /subject: Required/],
  ];
  for (const [stdin, expected] of bad) {
    it(`rejects ${stdin || '(empty)'} with exit 2 and no result`, async () => {
      const res = await inProcess([], stdin);
      assert.equal(res.code, 2);
      assert.equal(res.stdout, '');
      assert.match(res.stderr, expected);
    });
  }

  it('--pretty indents the same result; --help prints usage; an unknown option exits 2', async () => {
    const input = '{"subject":{"kind":"child","age":12},"signs":[{"code":"behaviour_change","severity":"low"}],"danger_now":false}';
    const compact = await inProcess([], input);
    const pretty = await inProcess(['--pretty'], input);
    assert.deepEqual(JSON.parse(pretty.stdout), JSON.parse(compact.stdout));
    assert.match(pretty.stdout, /\n {2}"level": "medium"/);
    assert.match((await inProcess(['--help'], '')).stdout, /Usage: lookout screen/);
    const unknown = await inProcess(['--fast'], input);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, '');
  });

  it('broken content exits 1 naming the file, and prints no result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-content-'));
    temps.push(dir);
    cpSync(join(ROOT, 'content'), dir, { recursive: true });
    rmSync(join(dir, 'screening.yaml'));
    const res = await inProcess(['--content', dir], '{"subject":{"kind":"child","age":12},"signs":[],"danger_now":false}');
    assert.equal(res.code, 1);
    assert.equal(res.stdout, '');
    assert.match(res.stderr, /screening\.yaml: \(file\): File is missing/);
  });
});
