/**
 * The demo world `npm start` seeds on an empty database: a few fictional lines around Lancashire
 * and a few hundred reports, referrals and staff notes, loaded through the real services.
 */
import type { Container } from '../../container.ts';
import { loadStreams } from './load.ts';
import { Rng } from './rng.ts';
import { readPlaceSeeds } from './simulate.cli.ts';
import { createSimulation } from './simulate.ts';

export const DEMO_WORLD = { seed: 2026, lines: 4, days: 90, reports: 300, start: '2026-08-01' } as const;

export async function seedDemoWorld(container: Container): Promise<void> {
  const began = Date.now();
  const sim = createSimulation({ ...DEMO_WORLD, places: readPlaceSeeds() }, new Rng(DEMO_WORLD.seed));
  const counts = await loadStreams(container.services, sim.batches(), { concurrency: 4 });
  process.stderr.write(
    `Demo world: ${counts.reports} fictional reports, ${counts.referrals} referrals and ${counts.notes} staff notes (on ${counts.cases} cases) about ${DEMO_WORLD.lines} invented county lines around Lancashire (loaded in ${((Date.now() - began) / 1000).toFixed(1)}s; triage and intel process them in the background).\n`,
  );
}
