import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withDb } from '../testing/db.ts';
import { createGroupCommit } from './group-commit.ts';

describe('group commit', () => {
  it('writes an idle item at once, and items that arrive during a write together in the next', async () => {
    await withDb(async (db) => {
      await db.exec('CREATE TABLE gc (n int PRIMARY KEY)');
      const statements: number[][] = [];
      const gc = createGroupCommit<number>(
        async (items) => {
          statements.push([...items]);
          await db.query('INSERT INTO gc (n) SELECT unnest($1::int[])', [items]);
        },
        { maxBatch: 10, maxInFlight: 1 },
      );
      const first = gc.add(1);
      const rest = [2, 3, 4, 5].map((n) => gc.add(n));
      await Promise.all([first, ...rest]);
      assert.deepEqual(statements, [[1], [2, 3, 4, 5]]);
      const { rows } = await db.query<{ n: number }>('SELECT n FROM gc ORDER BY n');
      assert.deepEqual(rows.map((r) => r.n), [1, 2, 3, 4, 5]);
      assert.equal(gc.pending(), 0);
    });
  });

  it('a refused item fails alone: the rest of its batch is still committed', async () => {
    await withDb(async (db) => {
      await db.exec('CREATE TABLE gc (n int PRIMARY KEY CHECK (n > 0))');
      const gc = createGroupCommit<number>((items) => db.query('INSERT INTO gc (n) SELECT unnest($1::int[])', [items]).then(() => undefined), {
        maxBatch: 10,
        maxInFlight: 1,
      });
      const results = await Promise.allSettled([10, 11, -1, 12, 13].map((n) => gc.add(n)));
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const { rows } = await db.query<{ n: number }>('SELECT n FROM gc ORDER BY n');
      assert.deepEqual(rows.map((r) => r.n), [10, 11, 12, 13]);
    });
  });

  it('never puts more than maxBatch items in one write', async () => {
    const sizes: number[] = [];
    const gc = createGroupCommit<number>(async (items) => {
      sizes.push(items.length);
      await new Promise((r) => setTimeout(r, 5));
    }, { maxBatch: 3, maxInFlight: 2 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => gc.add(i)));
    assert.equal(sizes.reduce((a, b) => a + b, 0), 20);
    assert.ok(Math.max(...sizes) <= 3, `batch sizes ${sizes.join(',')}`);
  });
});
