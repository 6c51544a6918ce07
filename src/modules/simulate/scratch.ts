/**
 * A throwaway database for benchmarks and evaluations that load simulated worlds: on PostgreSQL a
 * schema of its own (created here, dropped afterwards), on PGlite a temporary data folder (removed
 * afterwards). Migrations run, jobs do not start by themselves (callers drain them), no demo data;
 * the agency that receives reports (content/reporting.yaml) exists, as on a configured deployment.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../../config.ts';
import { createContainer, type Container } from '../../container.ts';
import { openDatabase } from '../../db/database.ts';
import { cliActor } from '../../auth/cli-context.ts';

export interface Scratch {
  container: Container;
  /** Closes the container and removes the schema or folder. */
  drop(): Promise<void>;
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function openScratch(base: Config, o: { prefix: string; poolSize?: number }): Promise<Scratch> {
  const url = base.databaseUrl;
  // Only [a-z0-9_] reaches the identifier: a fixed prefix and random hex.
  const schema = url ? `${o.prefix.replace(/[^a-z0-9_]/g, '')}_${randomBytes(5).toString('hex')}` : undefined;
  const dataDir = url ? undefined : mkdtempSync(join(tmpdir(), `lookout-${o.prefix}-`));
  const config: Config = Object.freeze({
    ...base,
    logLevel: 'warn' as const,
    jobsEnabled: false,
    seedDemo: false,
    databasePoolSize: o.poolSize ?? base.databasePoolSize,
    ...(dataDir ? { dataDir } : {}),
  });
  if (url && schema) await admin(url, `CREATE SCHEMA ${schema}`);
  const cleanup = async () => {
    if (url && schema) await admin(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  let container: Container | undefined;
  try {
    const db = await openDatabase({ databaseUrl: url, dataDir, poolSize: config.databasePoolSize, ...(schema ? { schema } : {}) });
    container = await createContainer(config, { db });
    // The agency content/reporting.yaml names as receiving reports, as on a configured deployment.
    const receiving = container.services.reporting.receivingAgencyId;
    if (!/^[0-9a-f]{8}-/i.test(receiving)) await container.services.auth.agencies.add(cliActor('bench'), { name: receiving, kind: 'police', area: 'Simulation' });
  } catch (err) {
    await container?.close().catch(() => undefined);
    await cleanup();
    throw err;
  }
  const opened = container;
  return {
    container: opened,
    async drop() {
      try {
        await opened.close();
      } finally {
        await cleanup();
      }
    },
  };
}
