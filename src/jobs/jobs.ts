/**
 * Background jobs kept in PostgreSQL (table `jobs`). Enqueue inside the transaction that creates
 * the work, so a job exists exactly when its data committed. Workers claim with
 * FOR UPDATE SKIP LOCKED, so several app instances share one queue safely.
 */
import type { Database, Queryable } from '../db/database.ts';
import type { Logger } from '../logger.ts';

export type JobHandler = (payload: Record<string, unknown>, ctx: { jobId: number; attempt: number }) => Promise<void>;

export interface Jobs {
  /** Registers the handler for one kind of job. */
  register(kind: string, handler: JobHandler): void;
  enqueue(tx: Queryable, kind: string, payload?: Record<string, unknown>, opts?: { runAt?: Date; maxAttempts?: number }): Promise<number>;
  /**
   * Enqueues as part of the caller's own single statement: `ctes` are the caller's WITH entries
   * (data-modifying CTEs run even when unreferenced) with `params` as $1..$n. One round trip, and
   * atomic without an explicit transaction.
   */
  enqueueWithStatement(q: Queryable, kind: string, payload: Record<string, unknown>, statement: { ctes: string; params: unknown[] }): Promise<number>;
  /** As enqueueWithStatement, one job per payload (a group commit's batch); resolves with how many were queued. */
  enqueueManyWithStatement(q: Queryable, kind: string, payloads: readonly Record<string, unknown>[], statement: { ctes: string; params: unknown[] }): Promise<number>;
  /** Claims and runs one due job; resolves false when none was due. */
  runOne(): Promise<boolean>;
  /** Runs due jobs until none is left (tests, CLI). */
  drain(max?: number): Promise<number>;
  /** Starts `concurrency` worker loops (default 1) woken by NOTIFY and by a poll every `pollMs`. */
  start(pollMs?: number, concurrency?: number): void;
  stop(): Promise<void>;
}

const CHANNEL = 'lookout_jobs';

export function createJobs(db: Database, logger: Logger): Jobs {
  const handlers = new Map<string, JobHandler>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let unlisten: (() => Promise<void>) | undefined;

  async function runOne(): Promise<boolean> {
    const kinds = [...handlers.keys()];
    if (kinds.length === 0) return false;
    const { rows } = await db.query<{ id: number; kind: string; payload: Record<string, unknown>; attempts: number; max_attempts: number }>(
      `UPDATE jobs SET locked_until = now() + interval '5 minutes', attempts = attempts + 1
       WHERE id = (
         SELECT id FROM jobs
         WHERE done_at IS NULL AND run_at <= now() AND attempts < max_attempts
           AND (locked_until IS NULL OR locked_until < now()) AND kind = ANY($1::text[])
         ORDER BY run_at, id
         FOR UPDATE SKIP LOCKED
         LIMIT 1)
       RETURNING id, kind, payload, attempts, max_attempts`,
      [kinds],
    );
    const job = rows[0];
    if (!job) return false;
    const handler = handlers.get(job.kind);
    try {
      await handler!(job.payload, { jobId: job.id, attempt: job.attempts });
      await db.query('UPDATE jobs SET done_at = now(), locked_until = NULL, last_error = NULL WHERE id = $1', [job.id]);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Back off exponentially; the error message is ours (never user content) so it may be stored.
      const delaySeconds = Math.min(3600, 2 ** job.attempts * 5);
      await db.query(`UPDATE jobs SET locked_until = NULL, last_error = $2, run_at = now() + ($3::int * interval '1 second') WHERE id = $1`, [
        job.id,
        message.slice(0, 500),
        delaySeconds,
      ]);
      logger.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: message }, 'job failed');
    }
    return true;
  }

  // Up to `concurrency` worker loops per instance, each claiming with SKIP LOCKED. A wake-up while
  // loops run starts another (up to the limit) and sets `again`, so work that committed just as a
  // loop found the queue empty is still picked up without waiting for the poll.
  let pollEvery = 2000;
  let concurrency = 1;
  let active = 0;
  let again = false;
  const loops = new Set<Promise<void>>();
  function startLoop(): void {
    active += 1;
    const loop: Promise<void> = (async () => {
      try {
        do {
          again = false;
          while (!stopped && (await runOne()));
        } while (again && !stopped);
      } catch (err) {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'job worker error');
      }
    })().finally(() => {
      active -= 1;
      loops.delete(loop);
      if (active === 0) schedule(pollEvery);
    });
    loops.add(loop);
  }
  function schedule(ms: number): void {
    if (stopped) return;
    if (active > 0) {
      again = true;
      if (active < concurrency) startLoop();
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (stopped || active > 0) return;
      for (let i = 0; i < concurrency; i++) startLoop();
    }, ms);
    timer.unref();
  }

  // Other instances (and this one) are woken by NOTIFY, sent after commit and coalesced to at most
  // one in flight. NOTIFY inside the enqueueing transaction would serialise every commit behind
  // PostgreSQL's global notify lock (it capped report intake at ~1,400 commits/s); a lost wake-up
  // only costs the poll interval, never the job, which is already committed.
  let notifyInFlight = false;
  let notifyAgain = false;
  function wake(): void {
    if (notifyInFlight) {
      notifyAgain = true;
      return;
    }
    notifyInFlight = true;
    notifyAgain = false;
    db.query(`SELECT pg_notify('${CHANNEL}', '')`)
      .catch(() => undefined)
      .finally(() => {
        notifyInFlight = false;
        if (notifyAgain) wake();
      });
  }

  return {
    register(kind, handler) {
      handlers.set(kind, handler);
    },
    async enqueue(tx, kind, payload = {}, opts = {}) {
      const { rows } = await tx.query<{ id: number }>(
        'INSERT INTO jobs (kind, payload, run_at, max_attempts) VALUES ($1, $2, COALESCE($3::timestamptz, now()), $4) RETURNING id',
        [kind, JSON.stringify(payload), opts.runAt?.toISOString() ?? null, opts.maxAttempts ?? 5],
      );
      tx.afterCommit(wake);
      return rows[0]!.id;
    },
    async enqueueWithStatement(q, kind, payload, { ctes, params }) {
      const n = params.length;
      const { rows } = await q.query<{ id: number }>(
        `WITH ${ctes}, job AS (INSERT INTO jobs (kind, payload) VALUES ($${n + 1}, $${n + 2}::jsonb) RETURNING id) SELECT id FROM job`,
        [...params, kind, JSON.stringify(payload)],
      );
      q.afterCommit(wake);
      return rows[0]!.id;
    },
    async enqueueManyWithStatement(q, kind, payloads, { ctes, params }) {
      const n = params.length;
      const { rows } = await q.query<{ n: number }>(
        `WITH ${ctes}, job AS (INSERT INTO jobs (kind, payload) SELECT $${n + 1}, p FROM unnest($${n + 2}::jsonb[]) AS p RETURNING id) SELECT count(*)::int AS n FROM job`,
        [...params, kind, payloads.map((p) => JSON.stringify(p))],
      );
      q.afterCommit(wake);
      return rows[0]?.n ?? 0;
    },
    runOne,
    async drain(max = 10_000) {
      let n = 0;
      while (n < max && (await runOne())) n += 1;
      return n;
    },
    start(pollMs = 2000, loopsPerInstance = 1) {
      if (!stopped) return;
      stopped = false;
      pollEvery = pollMs;
      concurrency = Math.max(1, Math.floor(loopsPerInstance));
      void db
        .listen(CHANNEL, () => schedule(0))
        .then((u) => {
          unlisten = u;
        })
        .catch(() => undefined);
      schedule(100);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all([...loops]);
      await unlisten?.();
    },
  };
}
