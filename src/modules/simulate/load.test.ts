import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness } from '../../testing/harness.ts';
import { readPlaceSeeds } from './simulate.cli.ts';
import { createSimulation } from './simulate.ts';
import { Rng } from './rng.ts';
import { loadStreams, simulationCaseworker } from './load.ts';

test('a simulated world loads through the real services and reaches the triage inbox', async () => {
  const h = await createHarness();
  try {
    const options = { seed: 3, lines: 2, days: 20, reports: 12, start: '2026-01-01', places: readPlaceSeeds() };
    const sim = createSimulation(options, new Rng(options.seed));
    const counts = await loadStreams(h.container.services, sim.batches());
    assert.equal(counts.reports, sim.counts.reports);
    assert.equal(counts.skipped, 0, 'every simulated referral fits the checker (same vulnerability codes as content/screening.yaml)');
    assert.equal(counts.referrals, sim.counts.referrals);
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

test('staff notes about a person land on that person\'s case timeline, sealed, through the cases service', async () => {
  const h = await createHarness();
  try {
    const options = { seed: 5, lines: 2, days: 40, reports: 120, start: '2026-01-01', places: readPlaceSeeds() };
    const sim = createSimulation(options, new Rng(options.seed));
    const notes = [...createSimulation(options, new Rng(options.seed)).batches()].flatMap((b) => b.records).filter((r) => r.kind === 'note');
    const withSubject = notes.filter((n) => n.subject !== null);
    assert.ok(withSubject.length > 0 && withSubject.length < notes.length, 'the world has notes about people and notes about no one');
    const counts = await loadStreams(h.container.services, sim.batches());
    assert.equal(counts.notes, withSubject.length);
    assert.equal(counts.notesWithoutCase, notes.length - withSubject.length);
    assert.equal(counts.cases, new Set(withSubject.map((n) => n.subject!.name.toLowerCase())).size, 'one case per subject');

    const db = h.container.platform.db;
    const stored = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM triage_case_events WHERE kind = 'note'`);
    assert.equal(stored.rows[0]!.n, counts.notes);
    const plain = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM triage_case_events WHERE kind = 'note' AND position($1::bytea IN body) > 0`, [
      Buffer.from(withSubject[0]!.text.slice(0, 20)),
    ]);
    assert.equal(plain.rows[0]!.n, 0, 'note text is sealed at rest');

    // A case worker of the receiving agency opens the first subject's case and reads the note.
    const owner = await h.container.services.reporting.resolveReceivingAgency();
    const actor = simulationCaseworker(owner);
    const first = withSubject[0]!;
    const list = await h.container.services.triage.cases.list(actor);
    const theirs = list.cases.find((c) => c.person.name === first.subject!.name);
    assert.ok(theirs, 'the subject has a case');
    assert.equal(theirs.age, first.subject!.age);
    const detail = await h.container.services.triage.cases.get(actor, theirs.id);
    const texts = detail.timeline.filter((t) => t.kind === 'note').map((t) => ('text' in t ? t.text : null));
    assert.ok(texts.some((t) => t?.endsWith(first.text)), 'the note text reads back decrypted on the timeline');
  } finally {
    await h.close();
  }
});
