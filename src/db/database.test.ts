import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withDb } from '../testing/db.ts';
import { migrate, pendingMigrations } from './migrate.ts';

describe('database', () => {
  it('returns the same JavaScript types on both engines', async () => {
    await withDb(async (db) => {
      const { rows } = await db.query<{ big: number; num: number; day: string; at: Date; bytes: Buffer; doc: { a: number } }>(
        `SELECT 9007199254740::int8 AS big, 1.5::numeric AS num, DATE '2026-11-28' AS day, now() AS at, $1::bytea AS bytes, '{"a":1}'::jsonb AS doc`,
        [Buffer.from('hi')],
      );
      const r = rows[0]!;
      assert.equal(r.big, 9007199254740);
      assert.equal(r.num, 1.5);
      assert.equal(r.day, '2026-11-28');
      assert.ok(r.at instanceof Date);
      assert.ok(Buffer.isBuffer(r.bytes) && r.bytes.toString() === 'hi');
      assert.deepEqual(r.doc, { a: 1 });
    });
  });

  it('rolls a failed transaction back completely', async () => {
    await withDb(async (db) => {
      await db.exec('CREATE TABLE t (id int PRIMARY KEY)');
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          await tx.query('INSERT INTO t VALUES (1)');
        }),
      );
      assert.equal((await db.query('SELECT * FROM t')).rows.length, 0);
    });
  });

  it('migrates once, records checksums, and reports nothing pending afterwards', async () => {
    await withDb(async (db) => {
      assert.ok((await pendingMigrations(db)).length > 0);
      const first = await migrate(db);
      assert.ok(first.includes('0001_foundation.sql'));
      assert.deepEqual(await migrate(db), []);
      assert.deepEqual(await pendingMigrations(db), []);
    });
  });

  it('lets two instances migrate at the same time without racing', async () => {
    await withDb(async (_db, open) => {
      const [a, b] = [await open(), await open()];
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      // Exactly one of them applied each migration; the other found it done.
      assert.equal(ra.length + rb.length, new Set([...ra, ...rb]).size);
      assert.deepEqual(await pendingMigrations(a), []);
    });
  });

  it('delivers NOTIFY to listeners', async () => {
    await withDb(async (db) => {
      const got = new Promise<string>((resolve) => {
        void db.listen('test_channel', resolve);
      });
      await new Promise((r) => setTimeout(r, 50));
      await db.query(`SELECT pg_notify('test_channel', 'hello')`);
      assert.equal(await got, 'hello');
    });
  });
});
