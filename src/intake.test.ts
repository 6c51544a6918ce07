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
});
