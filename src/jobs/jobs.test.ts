import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { migrate } from '../db/migrate.ts';
import { createLogger } from '../logger.ts';
import { withDb } from '../testing/db.ts';
import { createJobs, type Jobs } from './jobs.ts';

const quiet = createLogger({ logLevel: 'silent', logFile: undefined });
// Poll far slower than any wait below: a job that runs in time was woken, not polled.
const NO_POLL = 60_000;

async function until(cond: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(10);
  }
  return cond();
}

function recorder(jobs: Jobs): string[] {
  const seen: string[] = [];
  jobs.register('test.job', async (payload) => {
    seen.push(String(payload.n));
  });
  return seen;
}

describe('jobs', () => {
  it('wakes the worker after the enqueueing transaction commits, and runs each job once', async () => {
    await withDb(async (db) => {
      await migrate(db);
      const jobs = createJobs(db, quiet);
      const seen = recorder(jobs);
      jobs.start(NO_POLL);
      try {
        await sleep(200); // let the worker's first (empty) pass finish
        await db.transaction(async (tx) => {
          await jobs.enqueue(tx, 'test.job', { n: 1 });
          await jobs.enqueue(tx, 'test.job', { n: 2 });
        });
        assert.ok(await until(() => seen.length === 2), `both jobs ran (saw ${seen.join(',')})`);
        await sleep(100);
        assert.deepEqual([...seen].sort(), ['1', '2']);
      } finally {
        await jobs.stop();
      }
    });
  });

  it('runs jobs on several loops at once when asked, each job once', async () => {
    await withDb(async (db) => {
      await migrate(db);
      const jobs = createJobs(db, quiet);
      let inFlight = 0;
      let most = 0;
      const done: number[] = [];
      jobs.register('test.slow', async (payload) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await sleep(400); // long enough for every loop to have claimed one, even on a busy machine
        inFlight -= 1;
        done.push(Number(payload.n));
      });
      await db.transaction(async (tx) => {
        for (let n = 0; n < 6; n++) await jobs.enqueue(tx, 'test.slow', { n });
      });
      jobs.start(NO_POLL, 3);
      try {
        assert.ok(await until(() => done.length === 6), `all six ran (saw ${done.length})`);
        assert.equal(most, 3, 'three loops worked at the same time');
        assert.deepEqual([...done].sort(), [0, 1, 2, 3, 4, 5]);
      } finally {
        await jobs.stop();
      }
    });
  });

  it('leaves nothing and wakes nobody when the transaction rolls back', async () => {
    await withDb(async (db) => {
      await migrate(db);
      const jobs = createJobs(db, quiet);
      const seen = recorder(jobs);
      let hookRan = false;
      await assert.rejects(
        db.transaction(async (tx) => {
          await jobs.enqueue(tx, 'test.job', { n: 1 });
          tx.afterCommit(() => {
            hookRan = true;
          });
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      await sleep(50);
      assert.equal(hookRan, false);
      assert.equal(await jobs.drain(), 0);
      assert.deepEqual(seen, []);
    });
  });

  it('enqueues in the same single statement as the caller\'s insert: both or neither', async () => {
    await withDb(async (db) => {
      await migrate(db);
      await db.exec('CREATE TABLE jobs_test_things (id int PRIMARY KEY)');
      const jobs = createJobs(db, quiet);
      const seen = recorder(jobs);
      const insert = (id: number) => ({ ctes: 'x AS (INSERT INTO jobs_test_things (id) VALUES ($1) RETURNING id)', params: [id] });
      await jobs.enqueueWithStatement(db, 'test.job', { n: 7 }, insert(7));
      // A duplicate key fails the whole statement: no second job either.
      await assert.rejects(jobs.enqueueWithStatement(db, 'test.job', { n: 8 }, insert(7)));
      assert.equal(await jobs.drain(), 1);
      assert.deepEqual(seen, ['7']);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs');
      assert.equal(rows[0]!.n, 1);
    });
  });

  it('wakes a worker in another instance (PostgreSQL LISTEN/NOTIFY)', { skip: !process.env.DATABASE_URL && 'needs PostgreSQL' }, async () => {
    await withDb(async (a, open) => {
      await migrate(a);
      const b = await open();
      const producer = createJobs(a, quiet);
      const consumer = createJobs(b, quiet);
      const seen = recorder(consumer);
      consumer.start(NO_POLL);
      try {
        await sleep(300); // LISTEN is in place and the first pass is over
        await a.transaction(async (tx) => {
          await producer.enqueue(tx, 'test.job', { n: 42 });
        });
        assert.ok(await until(() => seen.length === 1), 'the other instance ran the job');
        assert.deepEqual(seen, ['42']);
      } finally {
        await consumer.stop();
      }
    });
  });
});
