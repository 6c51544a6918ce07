/**
 * Test harness: a real app on a real database. By default an in-memory PGlite; when DATABASE_URL
 * is set, a fresh PostgreSQL schema per harness (dropped afterwards) so test files can run in
 * parallel against one server. Logs are captured so tests can search them.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { loadConfig, type Config } from '../config.ts';
import { createContainer, type Container } from '../container.ts';
import { openDatabase } from '../db/database.ts';
import { buildApp } from '../http/app.ts';
import { createLogger } from '../logger.ts';

export interface Harness {
  container: Container;
  app: FastifyInstance;
  config: Config;
  /** Every log line written so far (JSON strings). */
  logs: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  config?: Partial<Config>;
  clock?: () => Date;
  /** Use a PGlite data dir on disk instead of memory (tests that search database files). */
  dataDir?: string;
}

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const url = process.env.DATABASE_URL;
  const schema = url ? `test_${randomBytes(6).toString('hex')}` : undefined;
  if (url && schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
  }
  const config = loadConfig(
    { NODE_ENV: 'test', LOG_LEVEL: 'info', SEED_DEMO: 'false', JOBS_ENABLED: 'false', ...(opts.env ?? {}), ...(url ? { DATABASE_URL: url } : {}) },
    { memoryDb: !url && !opts.dataDir, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), ...(opts.config ?? {}) },
  );
  const logger = createLogger(config, stream);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, memory: config.memoryDb, poolSize: 5, schema });
  const container = await createContainer(config, { logger, db, ...(opts.clock ? { clock: opts.clock } : {}) });
  const app = await buildApp(container);
  await container.platform.events.start();
  return {
    container,
    app,
    config,
    logs,
    async close() {
      await app.close();
      await container.close();
      if (url && schema) {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
    },
  };
}

/** The CSRF token from the first form on a page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token on the page');
  return m[1];
}

/** Cookie header built from a response's Set-Cookie headers (for staff journeys). */
export function cookiesFrom(res: LightMyRequestResponse, jar: Record<string, string> = {}): Record<string, string> {
  for (const c of res.cookies) jar[c.name] = c.value;
  return jar;
}

export function cookieHeader(jar: Record<string, string>): string {
  return Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

/** Encodes a form body the way a browser does. */
export function form(fields: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
}
