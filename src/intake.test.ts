import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from './testing/harness.ts';
import { emptyContent } from './modules/reporting/reports.schema.ts';
import { staffActor } from './modules/reporting/test-support.ts';

const NO_FILTERS = { q: '', area: '', status: '', urgency: '', indicator: '', agency: '', matches: false, page: 1 } as const;

describe('intake after commit', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });

  it('a public report reaches the inbox with the configured area it names, so the area filter finds it', async () => {
    const { reporting, triage } = h.container.services;
    const inPreston = await reporting.submit({ ...emptyContent(), narrative: 'Boys dropped off at the flats every night', place: 'Fictional Road, Preston' }, { channel: 'api' });
    const inKendal = await reporting.submit({ ...emptyContent(), narrative: 'Cars outside a house in Kendal all night' }, { channel: 'api' });
    const nowhere = await reporting.submit({ ...emptyContent(), narrative: 'Cars outside a house all night' }, { channel: 'api' });
    await h.container.platform.jobs.drain();
    const actor = staffActor(reporting.receivingAgencyId);
    const all = (await triage.inbox.list(actor, NO_FILTERS)).items;
    const areaOf = (id: string) => all.find((i) => i.sourceId === id)?.area;
    assert.equal(areaOf(inPreston.id), 'Preston');
    assert.equal(areaOf(inKendal.id), null, 'Kendal is a place, but not one of content/triage.yaml areas');
    assert.equal(areaOf(nowhere.id), null);
    const preston = (await triage.inbox.list(actor, { ...NO_FILTERS, area: 'Preston' })).items;
    assert.deepEqual(preston.map((i) => i.sourceId), [inPreston.id]);
  });

  it('deleting a report at the end of retention also removes what intel derived from it', async () => {
    const { reporting, triage } = h.container.services;
    const db = h.container.platform.db;
    const r = await reporting.submit({ ...emptyContent(), narrative: 'The Zorblat line is 07700 900321, runners come in from Liverpool' }, { channel: 'api' });
    await h.container.platform.jobs.drain();
    const derived = async () => ({
      sources: (await db.query('SELECT 1 FROM intel_sources WHERE source_id = $1', [r.id])).rows.length,
      mentions: (await db.query('SELECT 1 FROM mentions WHERE source_id = $1', [r.id])).rows.length,
    });
    const before = await derived();
    assert.equal(before.sources, 1);
    assert.ok(before.mentions >= 2, 'the phone and the place were mentioned');
    const item = (await triage.inbox.list(staffActor(reporting.receivingAgencyId), NO_FILTERS)).items.find((i) => i.sourceId === r.id)!;
    await triage.retention.delete({ kind: 'system', name: 'retention-test', correlationId: 'retention-test' }, 'report', item.id, { reason: 'No longer needed (MoPI review)' });
    assert.deepEqual(await derived(), { sources: 0, mentions: 0 });
    const phone = await db.query<{ mention_count: number }>(`SELECT mention_count FROM entities WHERE type = 'phone' AND value = '+447700900321'`);
    assert.equal(phone.rows[0]?.mention_count ?? 0, 0);
  });
});
