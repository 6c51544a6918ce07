/**
 * One SQL dialect, two engines: embedded PGlite (default, data in ./data) or a PostgreSQL
 * server (DATABASE_URL). Callers see the same small interface either way, and values come
 * back in the same JavaScript types (see `parsers` below) so queries behave alike.
 */
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import type { PGlite, Transaction } from '@electric-sql/pglite';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything that runs a parameterised query: the database itself or an open transaction. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` once the surrounding transaction has committed (never if it rolls back); outside a
   * transaction, straight away. For side effects that must not see uncommitted data (waking workers).
   */
  afterCommit(fn: () => void): void;
}

export type Engine = 'pglite' | 'postgres';

export interface Database extends Queryable {
  readonly engine: Engine;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to a NOTIFY channel; resolves to an unsubscribe function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /** Closes every connection; for PGlite this flushes the data dir cleanly. */
  close(): Promise<void>;
}

// Type OIDs whose default parsing differs between pg and PGlite.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const BYTEA = 17;

const parseNumber = (v: string): number => Number(v);
const parseDate = (v: string): string => v;

function hexToBuffer(v: string): Buffer {
  return Buffer.from(v.startsWith('\\x') ? v.slice(2) : v, 'hex');
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** In-memory PGlite, for tests that want a throwaway database. */
  memory?: boolean;
  poolSize?: number;
  /** PostgreSQL schema to use instead of public (tests isolate themselves this way). */
  schema?: string;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.schema);
  return openPglite(opts.memory ? undefined : (opts.dataDir ?? './data'));
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db: PGlite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    parsers: { [INT8]: parseNumber, [NUMERIC]: parseNumber, [DATE]: parseDate, [BYTEA]: hexToBuffer },
  });
  const wrap = (q: PGlite | Transaction, hooks?: (() => void)[]): Queryable => ({
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await q.query<R>(sql, params as unknown[]);
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
    afterCommit: hooks ? (fn) => void hooks.push(fn) : runSoon,
  });
  const base = wrap(db);
  let closed = false;
  return {
    engine: 'pglite',
    query: base.query,
    exec: base.exec,
    afterCommit: base.afterCommit,
    // PGlite is one connection: its transaction mutex makes other queries wait until commit.
    async transaction(fn) {
      const hooks: (() => void)[] = [];
      const out = await db.transaction((tx) => fn(wrap(tx, hooks)));
      hooks.forEach(runSoon);
      return out;
    },
    async listen(channel, onMessage) {
      const unlisten = await db.listen(channel, onMessage);
      return async () => {
        if (!closed) await unlisten();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}

async function openPostgres(url: string, max: number, schema?: string): Promise<Database> {
  const options = schema ? `-c search_path=${schema}` : undefined;
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8 || oid === NUMERIC) return parseNumber;
      if (oid === DATE) return parseDate;
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({ connectionString: url, max, types: types as pg.CustomTypesConfig, ...(options ? { options } : {}) });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  await pool.query('select 1');
  const run = (c: pg.Pool | pg.PoolClient, hooks?: (() => void)[]): Queryable => ({
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await c.query(sql, params as unknown[]);
      return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
    afterCommit: hooks ? (fn) => void hooks.push(fn) : runSoon,
  });
  const base = run(pool);
  let listener: pg.Client | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  async function ensureListener(): Promise<pg.Client> {
    if (listener) return listener;
    const client = new pg.Client({ connectionString: url, ...(options ? { options } : {}) });
    await client.connect();
    client.on('notification', (n) => {
      for (const h of handlers.get(n.channel) ?? []) h(n.payload ?? '');
    });
    client.on('error', () => undefined);
    listener = client;
    return client;
  }
  return {
    engine: 'postgres',
    query: base.query,
    exec: base.exec,
    afterCommit: base.afterCommit,
    async transaction(fn) {
      const client = await pool.connect();
      const hooks: (() => void)[] = [];
      try {
        await client.query('BEGIN');
        const out = await fn(run(client, hooks));
        await client.query('COMMIT');
        hooks.forEach(runSoon);
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, onMessage) {
      const client = await ensureListener();
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await client.query(`LISTEN ${quoteIdent(channel)}`);
      }
      set.add(onMessage);
      return async () => {
        set.delete(onMessage);
      };
    },
    async close() {
      await listener?.end().catch(() => undefined);
      listener = undefined;
      await pool.end();
    },
  };
}

/** Runs a post-commit hook on its own turn, so a failing hook cannot undo or fail the commit. */
function runSoon(fn: () => void): void {
  queueMicrotask(() => {
    try {
      fn();
    } catch {
      // Hooks are wake-ups and notifications: their own code logs; a commit never fails for them.
    }
  });
}

/** Quotes an identifier (channel names are ours, but never trust a string into SQL). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
