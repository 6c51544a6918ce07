import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createAudit, verifyAuditChain } from './audit.ts';

describe('audit chain', () => {
  it('chains every row to the one before and verifies', async () => {
    const db = await openDatabase({ memory: true });
    try {
      await migrate(db);
      const audit = createAudit();
      const actor = { kind: 'system', name: 'test', correlationId: 'c-1' } as const;
      for (let i = 0; i < 5; i++) {
        await db.transaction((tx) => audit.record(tx, actor, { action: 'case.view', subjectType: 'case', subjectId: `case-${i}`, detail: { i } }));
      }
      const ok = await verifyAuditChain(db, 2);
      assert.deepEqual(ok, { ok: true, count: 5 });
      // An audit row written in a transaction that rolls back leaves no trace.
      await assert.rejects(
        db.transaction(async (tx) => {
          await audit.record(tx, actor, { action: 'case.update', subjectId: 'x' });
          throw new Error('the action failed');
        }),
      );
      assert.deepEqual(await verifyAuditChain(db), { ok: true, count: 5 });
    } finally {
      await db.close();
    }
  });

  it('the database refuses updates and deletes of audit rows', async () => {
    const db = await openDatabase({ memory: true });
    try {
      await migrate(db);
      await db.transaction((tx) => createAudit().record(tx, { kind: 'system', name: 't', correlationId: 'c' }, { action: 'x' }));
      await assert.rejects(db.query(`UPDATE audit_events SET action = 'y'`), /append-only/);
      await assert.rejects(db.query(`DELETE FROM audit_events`), /append-only/);
    } finally {
      await db.close();
    }
  });
});
