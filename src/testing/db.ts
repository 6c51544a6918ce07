/** A bare database for tests below the app (db, jobs): no migrations, no services. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database.ts';

/** Opens the engine under test: PostgreSQL in a fresh schema when DATABASE_URL is set, else PGlite. */
export async function withDb(fn: (db: Database, open: () => Promise<Database>) => Promise<void>): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDatabase({ memory: true });
    try {
      await fn(db, async () => db);
    } finally {
      await db.close();
    }
    return;
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const opened: Database[] = [];
  const open = async () => {
    const d = await openDatabase({ databaseUrl: url, schema, poolSize: 3 });
    opened.push(d);
    return d;
  };
  try {
    await fn(await open(), open);
  } finally {
    for (const d of opened) await d.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

