/** `lookout migrate`: applies pending SQL migrations to the configured database. */
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import type { Command } from './main.ts';

export const command: Command = {
  summary: 'Apply pending database migrations',
  async run() {
    const config = loadConfig();
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const applied = await migrate(db);
      process.stdout.write(applied.length ? `Applied ${applied.length} migration(s):\n${applied.map((a) => `  ${a}`).join('\n')}\n` : 'Database is up to date.\n');
      return 0;
    } finally {
      await db.close();
    }
  },
};
