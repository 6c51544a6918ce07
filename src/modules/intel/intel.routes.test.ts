import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { createStaffUser, createTestAgency, signIn, type StaffSession } from '../../auth/testing.ts';
import type { Extraction } from './intel.types.ts';
import { assertWellFormedXml } from './intel.testing.ts';

function ex(...ents: [string, string][]): Extraction {
  return { entities: ents.map(([type, value], i) => ({ type, value, start: i * 30, end: i * 30 + value.length })), indicators: [] };
}

describe('intel staff pages', () => {
  let h: Harness;
  let analyst: StaffSession;
  let viewer: StaffSession;
  let outsider: StaffSession;
  let n = 0;
  const ingest = (agencyId: string, extraction: Extraction, area?: string) =>
    h.container.platform.db.transaction((tx) =>
      h.container.services.intel.ingestExtraction(tx, { sourceType: 'report', sourceId: `rt-${++n}`, text: '', occurredAt: new Date('2025-05-01T10:00:00Z'), ownerAgencyId: agencyId, ...(area ? { area } : {}) }, extraction),
    );

  before(async () => {
    h = await createHarness();
    const a = await createStaffUser(h, { roles: ['analyst'] });
    analyst = await signIn(h, a);
    viewer = await signIn(h, await createStaffUser(h, { roles: ['viewer'], agencyId: a.agencyId }));
    const other = await createTestAgency(h, { name: 'Other Agency' });
    outsider = await signIn(h, await createStaffUser(h, { roles: ['analyst'], agencyId: other.id }));
    await ingest(a.agencyId, ex(['phone', '+447700900777'], ['line_name', 'kash'], ['place', 'Preston'], ['vehicle', 'KA5HCAR']));
    await ingest(a.agencyId, ex(['vehicle', 'KA5HCAR'], ['handle', 'runner_one'], ['postcode', 'PR1 2AB']), 'Blackpool');
  });
  after(async () => {
    await h.close();
  });

  it('the overview, register, suggestions, network and map pages render for an analyst', async () => {
    for (const [url, heading] of [
      ['/staff/intel', 'Intelligence'],
      ['/staff/intel/lines', 'Deal-line register'],
      ['/staff/intel/suggestions', 'Suggestions'],
      ['/staff/intel/network', 'Network'],
      ['/staff/intel/map', 'Map'],
      ['/staff/intel/map?view=north-west', 'Map'],
      ['/staff/notifications', 'Notifications'],
    ] as const) {
      const res = await analyst.get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.statusCode}`);
      assert.match(res.body, new RegExp(`<h1 class="govuk-heading-l[^"]*">${heading}`), url);
    }
    const map = await analyst.get('/staff/intel/map');
    assert.match(map.body, /<svg [^>]*role="img"/);
    assert.match(map.body, /Preston/);
  });

  it('an analyst adds a line; a stale edit keeps the input and says someone else changed it', async () => {
    const created = await analyst.post('/staff/intel/lines', { brand: 'The Kash line', number: '07700 900777', exportingArea: 'Liverpool', importingAreas: 'Preston, Blackpool' });
    assert.equal(created.statusCode, 303);
    const url = created.headers.location as string;
    assert.match(url, /^\/staff\/intel\/lines\/\d+$/);
    const page = await analyst.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Kash line/);
    assert.match(page.body, /\+447700900777/);
    assert.match(page.body, /name="version" value="1"/);

    const ok = await analyst.post(url, { version: '1', status: 'active', displayName: 'Kash', exportingArea: 'Liverpool', importingAreas: 'Preston, Blackpool, Lancaster' });
    assert.equal(ok.statusCode, 303);
    const stale = await analyst.post(url, { version: '1', status: 'closed_type1', displayName: 'Kash (my edit)', exportingArea: 'Liverpool', importingAreas: 'Preston' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Someone else changed this line since you opened it/);
    assert.match(stale.body, /value="Kash \(my edit\)"/, "the user's input is kept");
    assert.match(stale.body, /name="version" value="2"/, 'resubmitting applies over the current version');
    assert.match(stale.body, /value="closed_type1" checked/);

    const bad = await analyst.post('/staff/intel/lines', { brand: '', number: 'not a number' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /There is a problem/);
    assert.match(bad.body, /Enter a phone number/);

    // The line page and entity pages are audited views.
    const views = await h.container.platform.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'intel.line.view' AND actor_id = $1", [analyst.user.id]);
    assert.ok((views.rows[0]?.n ?? 0) >= 1);
  });

  it('entity page shows visible mentions and links; another agency gets 404', async () => {
    const { rows } = await h.container.platform.db.query<{ id: number }>("SELECT id FROM entities WHERE type = 'vehicle' AND value = 'KA5HCAR'");
    const id = rows[0]!.id;
    const page = await analyst.get(`/staff/intel/entities/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /KA5HCAR/);
    assert.match(page.body, /runner_one/);
    assert.match(page.body, /rt-\d+/);
    assert.equal((await outsider.get(`/staff/intel/entities/${id}`)).statusCode, 404);
    assert.equal((await analyst.get('/staff/intel/entities/abc')).statusCode, 404);
    assert.equal((await analyst.get('/staff/intel/entities/999999')).statusCode, 404);
  });

  it('network page works without JavaScript (tables) and network.json is compact', async () => {
    const { rows } = await h.container.platform.db.query<{ id: number }>("SELECT id FROM entities WHERE type = 'vehicle' AND value = 'KA5HCAR'");
    const page = await analyst.get(`/staff/intel/network?focus=entity:${rows[0]!.id}&hops=2`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Key entities/);
    assert.match(page.body, /<table/);
    assert.match(page.body, /runner_one/);
    const json = await analyst.get(`/staff/intel/network.json?focus=entity:${rows[0]!.id}&hops=1`);
    assert.equal(json.statusCode, 200);
    const data = JSON.parse(json.body) as { nodes: unknown[][]; edges: number[][] };
    assert.ok(data.nodes.length >= 5);
    assert.ok(data.edges.every((e) => typeof e[0] === 'number' && typeof e[1] === 'number'));
  });

  it('exports need intel:export; GraphML is well-formed and audited', async () => {
    assert.equal((await viewer.get('/staff/intel/export/graphml')).statusCode, 403);
    const res = await analyst.get('/staff/intel/export/graphml');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="lookout-network.graphml"/);
    assert.equal(assertWellFormedXml(res.body).root, 'graphml');
    assert.equal((await analyst.get('/staff/intel/export/nodes.csv')).statusCode, 200);
    assert.equal((await analyst.get('/staff/intel/export/nope')).statusCode, 404);
    const audit = await h.container.platform.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'intel.export' AND actor_id = $1", [analyst.user.id]);
    assert.equal(audit.rows[0]?.n, 2);
  });

  it('a viewer reads but cannot change the register; suggestions are decided by POST', async () => {
    assert.equal((await viewer.get('/staff/intel/lines')).statusCode, 200);
    assert.equal((await viewer.post('/staff/intel/lines', { brand: 'x' })).statusCode, 403);
    // A new number with the brand makes a suggestion the analyst accepts from the page.
    await ingest(analyst.user.agencyId, ex(['line_name', 'kash'], ['phone', '+447700900778']));
    const list = await analyst.get('/staff/intel/suggestions');
    const m = /action="\/staff\/intel\/suggestions\/(\d+)\/accept"/.exec(list.body);
    assert.ok(m, 'an accept form is shown');
    const res = await analyst.post(`/staff/intel/suggestions/${m[1]}/accept`);
    assert.equal(res.statusCode, 303);
    const again = await analyst.post(`/staff/intel/suggestions/${m[1]}/accept`);
    assert.equal(again.statusCode, 409);
    assert.equal((await outsider.post(`/staff/intel/suggestions/${m[1]}/reject`)).statusCode, 404);
  });

  it('notifications page lists alerts and marks them read', async () => {
    // The Kash line (owner: the analyst) has +447700900777: a new report mentioning it alerts them.
    await ingest(analyst.user.agencyId, ex(['phone', '+447700900777']));
    const page = await analyst.get('/staff/notifications');
    assert.match(page.body, /A new report mentions a number on the Kash line/);
    const m = /action="\/staff\/notifications\/(\d+)\/read"/.exec(page.body);
    assert.ok(m);
    const unread = (html: string) => (html.match(/action="\/staff\/notifications\/\d+\/read"/g) ?? []).length;
    const before = unread(page.body);
    assert.equal((await analyst.post(`/staff/notifications/${m[1]}/read`)).statusCode, 303);
    assert.equal(unread((await analyst.get('/staff/notifications')).body), before - 1);
    assert.equal((await outsider.post(`/staff/notifications/${m[1]}/read`)).statusCode, 404);
  });

  it('signed-out requests are refused', async () => {
    const res = await h.app.inject({ url: '/staff/intel/lines' });
    assert.ok([302, 303, 401].includes(res.statusCode), String(res.statusCode));
  });
});
