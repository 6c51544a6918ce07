import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness } from '../../testing/harness.ts';
import { readPlaceSeeds } from './simulate.cli.ts';
import { createSimulation } from './simulate.ts';
import { Rng } from './rng.ts';
import { loadStreams } from './load.ts';

test('a simulated world loads through the real services and reaches the triage inbox', async () => {
  const h = await createHarness();
  try {
    const options = { seed: 3, lines: 2, days: 20, reports: 12, start: '2026-01-01', places: readPlaceSeeds() };
    const sim = createSimulation(options, new Rng(options.seed));
    const counts = await loadStreams(h.container.services, sim.batches());
    assert.equal(counts.reports, sim.counts.reports);
    assert.equal(counts.referrals + counts.skipped, sim.counts.referrals);
    const db = h.container.platform.db;
    const reports = await db.query<{ n: number; earliest: Date }>('SELECT count(*)::int8 AS n, min(received_at) AS earliest FROM reports');
    assert.equal(reports.rows[0]!.n, counts.reports);
    assert.ok(reports.rows[0]!.earliest.getTime() < Date.parse('2026-02-01'), 'simulated times are kept');
    await h.container.platform.jobs.drain();
    const items = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM triage_items WHERE source_type = 'report'`);
    assert.equal(items.rows[0]!.n, counts.reports, 'every report became an inbox item');
    const mentions = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM mentions`);
    assert.ok(mentions.rows[0]!.n > 0, 'intel extracted entities from the reports');
  } finally {
    await h.close();
  }
});
