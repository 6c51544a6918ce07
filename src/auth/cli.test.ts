import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../testing/harness.ts';
import type { CliOutput } from './cli-context.ts';
import { runAgencyCommand } from './agency.cli.ts';
import { runUserCommand } from './user.cli.ts';
import { commandNames } from '../cli/main.ts';

function capture(): CliOutput & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out_, err_, out: (l) => out_.push(l), err: (l) => err_.push(l) };
}

describe('lookout agency / user commands', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ env: { BASE_URL: 'https://lookout.example.org' } });
  });
  after(async () => {
    await h.close();
  });

  it('are registered in the CLI', () => {
    for (const c of ['user', 'agency', 'audit']) assert.ok(commandNames().includes(c), c);
  });

  it('agency add prints the id; bad input exits non-zero', async () => {
    const io = capture();
    assert.equal(await runAgencyCommand(h.container, ['add', '--name', 'Pendle Youth Justice (test)', '--kind', 'youth_justice', '--area', 'Pendle'], io), 0);
    assert.match(io.out_[0] ?? '', /^[0-9a-f-]{36}$/);
    const bad = capture();
    assert.equal(await runAgencyCommand(h.container, ['add', '--name', 'X', '--kind', 'navy', '--area', 'Y'], bad), 1);
    assert.match(bad.err_.join('\n'), /Kind must be one of/);
    assert.equal(await runAgencyCommand(h.container, ['add', '--name', 'X'], capture()), 2);
  });

  it('user add prints a one-time set-up link under BASE_URL; disable and enable by email; all audited as the system', async () => {
    const io = capture();
    const code = await runUserCommand(h.container, ['add', '--email', 'Sam.Lee@Pendle.test', '--name', 'Sam Lee', '--agency', 'Pendle Youth Justice (test)', '--role', 'caseworker', '--role', 'viewer'], io);
    assert.equal(code, 0, io.err_.join('\n'));
    const link = io.out_.find((l) => l.startsWith('https://'));
    assert.match(link ?? '', /^https:\/\/lookout\.example\.org\/staff\/set-up\/[A-Za-z0-9_-]{43}$/);
    const page = await h.app.inject({ url: new URL(link!).pathname });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Create a password/);
    assert.equal(await runUserCommand(h.container, ['disable', '--email', 'sam.lee@pendle.test'], capture()), 0);
    const gone = await h.app.inject({ url: new URL(link!).pathname });
    assert.equal(gone.statusCode, 404, 'a disabled user cannot use the link');
    assert.equal(await runUserCommand(h.container, ['enable', '--email', 'sam.lee@pendle.test'], capture()), 0);
    assert.equal(await runUserCommand(h.container, ['disable', '--email', 'nobody@pendle.test'], capture()), 1);
    assert.equal(await runUserCommand(h.container, ['add', '--email', 'a@b.test', '--name', 'A', '--agency', 'No such agency', '--role', 'viewer'], capture()), 1);
    const { rows } = await h.container.platform.db.query<{ action: string; actor_id: string }>(
      `SELECT action, actor_id FROM audit_events WHERE action IN ('user.add', 'user.disable', 'user.enable') ORDER BY seq`,
    );
    assert.deepEqual(
      rows.map((r) => `${r.action} ${r.actor_id}`),
      ['user.add system:cli:user add', 'user.disable system:cli:user disable', 'user.enable system:cli:user enable'],
    );
  });
});
