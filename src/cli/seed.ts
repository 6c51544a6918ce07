/**
 * First-start seeding: on an empty database `npm start` loads a small fictional demo world so a
 * newcomer sees a working service. Each module contributes its own seed step.
 */
import type { Container } from '../container.ts';

export type SeedStep = (container: Container) => Promise<void>;

const steps: SeedStep[] = [
  async (c) => void (await (await import('../auth/demo.ts')).seedAuthDemo(c)),
  // [seed:auth]
  // [seed:reporting]
  async (c) => (await import('../modules/simulate/demo.ts')).seedDemoWorld(c),
  // [seed:simulate]
];

export async function seedOnFirstStart(container: Container): Promise<void> {
  const { config, db, logger } = container.platform;
  if (!config.seedDemo || config.production) return;
  await db.query(`CREATE TABLE IF NOT EXISTS seed_state (id int PRIMARY KEY, seeded_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await db.query('SELECT 1 FROM seed_state WHERE id = 1');
  if (rows.length) return;
  for (const step of steps) await step(container);
  await db.query('INSERT INTO seed_state (id) VALUES (1) ON CONFLICT DO NOTHING');
  if (steps.length) logger.info('demo data seeded');
}
