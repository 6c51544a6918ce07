import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/database.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'lookout.mjs');

async function waitFor(url: string, ms: number): Promise<Response> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await fetch(url);
    } catch {
      if (Date.now() > until) throw new Error(`${url} did not answer within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function serve(dataDir: string, port: number) {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, DATABASE_URL: '', LOOKOUT_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('lookout serve on the embedded database', () => {
  it('starts, shuts down cleanly on SIGTERM, and keeps its data across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lookout-serve-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    try {
      const first = serve(dataDir, port);
      const started = Date.now();
      const ready = await waitFor(`http://127.0.0.1:${port}/ready`, 60_000);
      assert.equal(ready.status, 200, first.output());
      assert.ok(Date.now() - started < 60_000, 'ready within seconds');
      const page = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(page.status, 200);
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0, first.output());

      // The data dir was closed cleanly: open it directly and write something.
      const db = await openDatabase({ dataDir });
      await db.exec('CREATE TABLE survives (note text)');
      await db.query(`INSERT INTO survives VALUES ('still here')`);
      await db.close();

      const second = serve(dataDir, port);
      assert.equal((await waitFor(`http://127.0.0.1:${port}/ready`, 60_000)).status, 200, second.output());
      second.child.kill('SIGTERM');
      assert.equal(await second.exited, 0, second.output());

      const again = await openDatabase({ dataDir });
      const { rows } = await again.query<{ note: string }>('SELECT note FROM survives');
      assert.deepEqual(rows, [{ note: 'still here' }]);
      await again.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
