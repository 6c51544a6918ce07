/**
 * Tamper evidence on the real engine (PGlite, or PostgreSQL with DATABASE_URL): the trigger
 * refuses changes, and when someone with superuser rights switches it off and edits or deletes
 * rows, `lookout audit verify` fails naming the first bad record.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../testing/harness.ts';
import { cliActor } from '../auth/cli-context.ts';
import type { CliOutput } from '../auth/cli-context.ts';
import { hashRow, mapAuditRow } from './audit.ts';
import { runAuditVerify } from './audit.cli.ts';

function capture(): CliOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(`out: ${l}`), err: (l) => lines.push(`err: ${l}`) };
}

describe('audit trail tamper evidence', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
    const { agencies } = h.container.services.auth;
    for (let i = 1; i <= 6; i++) await agencies.add(cliActor('test'), { name: `Tamper test agency ${i}`, kind: 'police', area: 'Lancashire' });
  });
  after(async () => {
    await h.close();
  });

  const db = () => h.container.platform.db;
  /** As a superuser could: switch the append-only triggers off, tamper, switch them back on. */
  async function tamper(sql: string, params: unknown[] = []): Promise<void> {
    await db().query('ALTER TABLE audit_events DISABLE TRIGGER USER');
    try {
      await db().query(sql, params);
    } finally {
      await db().query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    }
  }

  it('the database refuses UPDATE, DELETE and TRUNCATE of audit rows', async () => {
    await assert.rejects(db().query(`UPDATE audit_events SET action = 'nothing' WHERE seq = 1`), /append-only/);
    await assert.rejects(db().query('DELETE FROM audit_events WHERE seq = 1'), /append-only/);
    await assert.rejects(db().query('TRUNCATE audit_events'), /append-only/);
  });

  it('verify passes on an intact chain and prints the count', async () => {
    const io = capture();
    assert.equal(await runAuditVerify(db(), io), 0);
    assert.match(io.lines.join('\n'), /intact: 6 records verified/);
  });

  it('an edited row fails verify, naming it; restoring it passes again', async () => {
    const original = await db().query<{ detail: Record<string, unknown> }>('SELECT detail FROM audit_events WHERE seq = 3');
    await tamper(`UPDATE audit_events SET detail = '{"name":"Nothing to see"}'::jsonb WHERE seq = 3`);
    const io = capture();
    assert.equal(await runAuditVerify(db(), io), 1);
    assert.match(io.lines.join('\n'), /BROKEN at record 3: record 3 was altered/);
    await tamper('UPDATE audit_events SET detail = $1::jsonb WHERE seq = 3', [JSON.stringify(original.rows[0]?.detail)]);
    assert.equal(await runAuditVerify(db(), capture()), 0);
  });

  it('an edit that recomputes its own hash is caught at the next record', async () => {
    const { rows } = await db().query<Parameters<typeof mapAuditRow>[0]>('SELECT * FROM audit_events WHERE seq = 4');
    const row = mapAuditRow(rows[0]!);
    const forged = { ...row, action: 'agency.view' };
    await tamper('UPDATE audit_events SET action = $1, hash = $2 WHERE seq = 4', [forged.action, hashRow(forged)]);
    const io = capture();
    assert.equal(await runAuditVerify(db(), io), 1);
    assert.match(io.lines.join('\n'), /BROKEN at record 5: record 5 does not follow record 4/);
    await tamper('UPDATE audit_events SET action = $1, hash = $2 WHERE seq = 4', [row.action, row.hash]);
    assert.equal(await runAuditVerify(db(), capture()), 0);
  });

  it('a deleted row fails verify, naming it', async () => {
    await tamper('DELETE FROM audit_events WHERE seq = 2');
    const io = capture();
    assert.equal(await runAuditVerify(db(), io), 1);
    assert.match(io.lines.join('\n'), /BROKEN at record 2: record 2 is missing/);
  });
});
