/**
 * Test support for live sessions: a hand-built staff actor (until a sign-in helper exists for
 * route tests), and app instances that share one PostgreSQL schema (several instances, restarts).
 * Used by tests and the live benchmark only; nothing in the product imports it.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import type { StaffActor } from '../../auth/access.ts';
import type { Role } from '../../auth/permissions.ts';
import { loadConfig, type Config } from '../../config.ts';
import { createContainer, type Container } from '../../container.ts';
import { openDatabase } from '../../db/database.ts';
import { buildApp } from '../../http/app.ts';
import { createLogger } from '../../logger.ts';

export const TEST_ACTOR_HEADER = 'x-live-test-actor';

export function staffActor(over: Partial<Omit<StaffActor, 'kind'>> = {}): StaffActor {
  return {
    kind: 'staff',
    userId: over.userId ?? 'user-campaigns-1',
    name: over.name ?? 'Casey Fictional',
    email: over.email ?? 'casey@example.org',
    agencyId: over.agencyId ?? 'agency-north',
    roles: over.roles ?? (['campaigns'] as Role[]),
    correlationId: over.correlationId ?? 'test-correlation',
  };
}

/**
 * Lets requests act as a staff member by sending `actorHeader(actor)`: a stand-in for signing in,
 * installed only by tests and the benchmark (with a random secret) before the app is ready.
 */
export function installTestActor(app: FastifyInstance, secret = ''): void {
  app.addHook('preHandler', async (req) => {
    const raw = req.headers[TEST_ACTOR_HEADER];
    if (typeof raw !== 'string') return;
    const [given, body] = raw.split('.', 2);
    if (given !== secret || !body) return;
    req.actor = { ...(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as StaffActor), correlationId: req.id };
  });
}

export function actorHeader(actor: StaffActor, secret = ''): Record<string, string> {
  return { [TEST_ACTOR_HEADER]: `${secret}.${Buffer.from(JSON.stringify(actor)).toString('base64url')}` };
}

export interface Instance {
  app: FastifyInstance;
  container: Container;
  config: Config;
  close(): Promise<void>;
}

/** A full app on an existing database: a PostgreSQL schema (DATABASE_URL) or a PGlite data dir. */
export async function startInstance(opts: {
  schema?: string;
  dataDir?: string;
  memory?: boolean;
  databaseUrl?: string;
  config?: Partial<Config>;
  env?: Record<string, string>;
  actorSecret?: string;
}): Promise<Instance> {
  const url = opts.databaseUrl ?? process.env.DATABASE_URL;
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const config = loadConfig(
    { NODE_ENV: 'test', LOG_LEVEL: 'warn', SEED_DEMO: 'false', JOBS_ENABLED: 'false', ...(opts.env ?? {}), ...(url && opts.schema ? { DATABASE_URL: url } : {}) },
    { memoryDb: !!opts.memory, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), ...(opts.config ?? {}) },
  );
  const logger = createLogger(config, sink);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, memory: config.memoryDb, poolSize: config.databasePoolSize, ...(opts.schema ? { schema: opts.schema } : {}) });
  const container = await createContainer(config, { logger, db });
  const app = await buildApp(container);
  installTestActor(app, opts.actorSecret ?? '');
  await container.platform.events.start();
  return {
    app,
    container,
    config,
    async close() {
      await app.close();
      await container.close();
    },
  };
}

/** Creates a throwaway PostgreSQL schema; resolves to its name and a function that drops it. */
export async function createSchema(url: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE SCHEMA ${schema}`);
  return { schema, drop: () => run(`DROP SCHEMA ${schema} CASCADE`) };
}

export interface SseEvent {
  event: string;
  data: unknown;
}

export interface EventStream {
  /** Resolves with the first event (already received or still to come) that matches. */
  waitFor(predicate: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  events: SseEvent[];
  close(): void;
}

/** Opens a server-sent event stream with fetch and keeps every event it receives. */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ctrl.signal });
  if (!res.ok || !res.body) {
    ctrl.abort();
    throw new Error(`stream ${url} answered ${res.status}`);
  }
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const body = res.body;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!event || data === undefined) continue;
          events.push({ event, data: JSON.parse(data) as unknown });
          for (const w of waiters) w();
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find(predicate);
          if (!hit) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event from ${url}; saw ${JSON.stringify(events)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close() {
      ctrl.abort();
    },
  };
}
