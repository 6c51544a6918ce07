import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { ConflictError, NotFoundError, ForbiddenError } from '../../errors.ts';
import type { Extraction, IngestInput } from './intel.types.ts';
import { testActor } from './intel.testing.ts';

const AGENCY = 'agency-lancs-police';
const OTHER = 'agency-other';
const KASH_OLD = '+447700900101';
const KASH_NEW = '+447700900102';
const DAY = 86_400_000;

type Ent = [type: string, value: string];

/** An extraction with made-up spans, so tests control exactly what a source mentions. */
function ex(...ents: Ent[]): Extraction {
  let pos = 0;
  return {
    entities: ents.map(([type, value]) => {
      const start = pos;
      pos += value.length + 5;
      return { type, value, start, end: start + value.length };
    }),
    indicators: [{ code: 'deal_line_activity', start: 0, end: 4 }],
  };
}

describe('intel service on a real database', () => {
  let h: Harness;
  const analyst = testActor(AGENCY);
  const otherAnalyst = testActor(OTHER);
  const viewer = testActor(AGENCY, ['viewer']);
  let n = 0;
  const src = (over: Partial<IngestInput> = {}): IngestInput => ({
    sourceType: 'report',
    sourceId: `r-${++n}`,
    text: '(not used: extraction is given)',
    occurredAt: new Date('2025-05-01T10:00:00Z'),
    ownerAgencyId: AGENCY,
    ...over,
  });
  const ingest = (input: IngestInput, extraction: Extraction) => h.container.platform.db.transaction((tx) => h.container.services.intel.ingestExtraction(tx, input, extraction));
  const q = <R>(sql: string, params: unknown[] = []) => h.container.platform.db.query<R>(sql, params).then((r) => r.rows);

  before(async () => {
    h = await createHarness({ clock: () => new Date('2025-06-01T12:00:00Z') });
  });
  after(async () => {
    await h.close();
  });

  it('stores entities normalised, mentions with spans but no text, and co-occurrence links; re-ingest does not double count', async () => {
    const input = src({ sourceId: 'idem-1', area: 'preston' });
    const extraction = ex(['phone', '+447700900555'], ['vehicle', 'ab12 cde'], ['postcode', 'pr1 2ab'], ['handle', '@Kidd'], ['phone', '+447700900555']);
    const first = await ingest(input, extraction);
    assert.equal(first.changed, true);
    const ents = await q<{ type: string; value: string; mention_count: number }>('SELECT type, value, mention_count FROM entities ORDER BY type, value');
    assert.deepEqual(
      ents.map((e) => `${e.type}:${e.value}:${e.mention_count}`),
      ['handle:kidd:1', 'phone:+447700900555:2', 'place:Preston:1', 'postcode:PR1 2AB:1', 'vehicle:AB12CDE:1'],
    );
    const cols = await q<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'mentions' AND table_schema = current_schema()");
    assert.ok(!cols.some((c) => /text|content|narrative/.test(c.column_name)), 'mentions hold no text');
    const mentions = await q<{ start_offset: number | null }>("SELECT start_offset FROM mentions WHERE source_id = 'idem-1' ORDER BY id");
    assert.equal(mentions.length, 6);
    assert.equal(mentions.at(-1)?.start_offset, null, 'the recorded area has no span');
    const links = await q<{ n: number; total: number }>('SELECT count(*)::int AS n, sum(count)::int AS total FROM entity_links');
    assert.deepEqual(links[0], { n: 10, total: 10 }, '5 distinct entities -> 10 pairs, each once');

    const again = await ingest(input, extraction);
    assert.equal(again.changed, false);
    const ents2 = await q<{ total: number }>('SELECT sum(mention_count)::int AS total FROM entities');
    assert.equal(ents2[0]?.total, 6);
    assert.deepEqual((await q<{ n: number; total: number }>('SELECT count(*)::int AS n, sum(count)::int AS total FROM entity_links'))[0], { n: 10, total: 10 });

    // A changed extraction for the same source replaces its contribution rather than adding to it.
    const changed = await ingest(input, ex(['phone', '+447700900555'], ['vehicle', 'AB12CDE']));
    assert.equal(changed.changed, true);
    const counts = await q<{ value: string; mention_count: number }>("SELECT value, mention_count FROM entities WHERE type IN ('phone', 'handle') ORDER BY value");
    assert.deepEqual(counts.map((c) => [c.value, c.mention_count]), [['+447700900555', 1], ['kidd', 0]]);
    const pair = await q<{ count: number }>(
      "SELECT l.count FROM entity_links l JOIN entities a ON a.id = l.a JOIN entities b ON b.id = l.b WHERE a.value IN ('+447700900555', 'AB12CDE') AND b.value IN ('+447700900555', 'AB12CDE')",
    );
    assert.deepEqual(pair, [{ count: 1 }]);
  });

  it('counts co-occurrence across sources with first and last seen', async () => {
    await ingest(src({ occurredAt: new Date('2025-04-01T00:00:00Z') }), ex(['vehicle', 'CO11ABC'], ['handle', 'co_one']));
    await ingest(src({ occurredAt: new Date('2025-04-20T00:00:00Z') }), ex(['vehicle', 'CO11ABC'], ['handle', 'co_one'], ['place', 'Blackpool']));
    const rows = await q<{ count: number; first_seen: Date; last_seen: Date }>(
      "SELECT l.count, l.first_seen, l.last_seen FROM entity_links l JOIN entities a ON a.id = l.a JOIN entities b ON b.id = l.b WHERE a.value = 'CO11ABC' AND b.value = 'co_one' OR a.value = 'co_one' AND b.value = 'CO11ABC'",
    );
    assert.equal(rows[0]?.count, 2);
    assert.equal(rows[0]?.first_seen.toISOString(), '2025-04-01T00:00:00.000Z');
    assert.equal(rows[0]?.last_seen.toISOString(), '2025-04-20T00:00:00.000Z');
  });

  it('ingest(text) runs the job handler through a registered source loader', async () => {
    const intel = h.container.services.intel;
    intel.useExtractor((text) => ex(...(text.split(' ').map((v) => ['handle', v]) as Ent[])));
    intel.registerSource('note', async (_t, id) => (id === 'gone' ? null : { text: 'loaded_a loaded_b', occurredAt: new Date('2025-05-02T00:00:00Z'), ownerAgencyId: AGENCY }));
    await h.container.platform.db.transaction((tx) => intel.enqueueIngest(tx, 'note', 'n-1'));
    await h.container.platform.jobs.drain();
    const rows = await q<{ value: string }>("SELECT e.value FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.source_type = 'note' AND m.source_id = 'n-1' ORDER BY e.value");
    assert.deepEqual(rows.map((r) => r.value), ['loaded_a', 'loaded_b']);
    const audit = await q<{ actor_id: string }>("SELECT actor_id FROM audit_events WHERE action = 'intel.ingest' AND subject_id = 'n-1'");
    assert.deepEqual(audit, [{ actor_id: 'system:intel' }]);
  });

  it('suggests (a) a new number with a known brand; accepting adds it to the line (audited)', async () => {
    const { register } = h.container.services.intel;
    const line = await register.createLine(analyst, { brand: 'kash', displayName: 'Kash', exportingArea: 'Liverpool', importingAreas: ['Preston'], number: KASH_OLD });
    // The current number is still in use: seen recently.
    await ingest(src({ occurredAt: new Date('2025-05-25T00:00:00Z') }), ex(['phone', KASH_OLD], ['line_name', 'kash']));
    const res = await ingest(src({ occurredAt: new Date('2025-05-28T00:00:00Z') }), ex(['line_name', 'kash'], ['phone', KASH_NEW]));
    assert.equal(res.suggestions, 1);
    const [s] = await register.listSuggestions(analyst, 'pending');
    assert.equal(s?.kind, 'new_number');
    assert.equal(s?.lineId, line.id);
    assert.deepEqual(await register.listSuggestions(otherAnalyst, 'pending'), [], 'another agency does not see it');
    await assert.rejects(register.decideSuggestion(viewer, s!.id, 'accept'), ForbiddenError);
    await register.decideSuggestion(analyst, s!.id, 'accept');
    const detail = await register.getLine(analyst, line.id);
    assert.deepEqual(detail.numbers.map((x) => [x.number, x.activeTo === null]), [[KASH_OLD, true], [KASH_NEW, true]]);
    const audit = await q<{ actor_id: string }>("SELECT actor_id FROM audit_events WHERE action = 'intel.suggestion.accept' AND subject_id = $1", [String(s!.id)]);
    assert.deepEqual(audit, [{ actor_id: analyst.userId }]);
    await assert.rejects(register.decideSuggestion(analyst, s!.id, 'reject'), ConflictError, 'decided once');
    // The same suggestion is not made again.
    await ingest(src(), ex(['line_name', 'kash'], ['phone', KASH_NEW]));
    assert.deepEqual(await register.listSuggestions(analyst, 'pending'), []);
  });

  it('suggests (c) a number change when the current number went quiet; accepting closes the old number', async () => {
    const { register } = h.container.services.intel;
    const line = await register.createLine(analyst, { brand: 'bling', displayName: null, exportingArea: 'Manchester', importingAreas: [], number: '+447700900201' });
    await ingest(src({ occurredAt: new Date('2025-03-01T00:00:00Z') }), ex(['phone', '+447700900201'], ['line_name', 'bling']));
    await ingest(src({ occurredAt: new Date('2025-05-20T00:00:00Z') }), ex(['line_name', 'bling'], ['phone', '+447700900202']));
    const [s] = (await register.listSuggestions(analyst, 'pending')).filter((x) => x.lineId === line.id);
    assert.equal(s?.kind, 'number_change');
    assert.match(s!.description, /has gone quiet/);
    await register.decideSuggestion(analyst, s!.id, 'accept');
    const detail = await register.getLine(analyst, line.id);
    const byNumber = Object.fromEntries(detail.numbers.map((x) => [x.number, x.activeTo]));
    assert.ok(byNumber['+447700900201'] instanceof Date, 'old number closed');
    assert.equal(byNumber['+447700900202'], null, 'new number current');
    assert.equal(detail.line.version, 2, 'accepting bumps the version so open forms go stale');
  });

  it('suggests (b) a number seen in several towns; rejecting is audited and applies nothing', async () => {
    const { register } = h.container.services.intel;
    const phone = '+447700900301';
    for (const town of ['Blackburn', 'Burnley', 'Accrington']) await ingest(src(), ex(['phone', phone], ['place', town]));
    const [s] = (await register.listSuggestions(analyst, 'pending')).filter((x) => x.kind === 'multi_town');
    assert.ok(s);
    assert.deepEqual(s.detail.kind === 'multi_town' ? s.detail.places : [], ['Accrington', 'Blackburn', 'Burnley']);
    await register.decideSuggestion(analyst, s.id, 'reject');
    assert.equal((await register.listSuggestions(analyst, 'rejected')).filter((x) => x.id === s.id).length, 1);
    const audit = await q<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'intel.suggestion.reject' AND subject_id = $1", [String(s.id)]);
    assert.equal(audit[0]?.n, 1);
    // A fourth town does not bring a rejected suggestion back.
    await ingest(src(), ex(['phone', phone], ['place', 'Nelson']));
    assert.equal((await register.listSuggestions(analyst, 'pending')).filter((x) => x.kind === 'multi_town' && x.detail.number === phone).length, 0);
  });

  it('alerts: a new report mentioning an active line number notifies the line owner; watches notify theirs', async () => {
    const intel = h.container.services.intel;
    const owner = testActor(AGENCY);
    const line = await intel.register.createLine(owner, { brand: 'zed', displayName: 'Zed', exportingArea: null, importingAreas: [], number: '+447700900401' });
    const res = await ingest(src({ sourceId: 'alert-1' }), ex(['phone', '+447700900401'], ['vehicle', 'WA7CH01']));
    assert.equal(res.notifications, 1);
    const { items, unread } = await intel.notifications.list(owner);
    assert.equal(unread, 1);
    assert.equal(items[0]?.message, 'A new report mentions a number on the Zed line');
    assert.equal(items[0]?.href, `/staff/intel/lines/${line.id}`);
    assert.equal(items[0]?.subjectId, 'alert-1');
    assert.doesNotMatch(items[0]!.message, /WA7CH01|\+4477/, 'no protected content in the message');

    // Another agency's report mentioning the same number: the owner learns only that it exists.
    await ingest(src({ sourceId: 'alert-2', ownerAgencyId: OTHER }), ex(['phone', '+447700900401']));
    const after2 = await intel.notifications.list(owner);
    assert.equal(after2.items[0]?.message, 'A report held by another agency mentions a number on the Zed line');
    assert.equal(after2.items[0]?.subjectType, 'line');

    // A caseworker watching a vehicle (cases are a later issue: they insert watches like this).
    const caseworker = testActor(AGENCY, ['caseworker']);
    const vehicle = await q<{ id: number }>("SELECT id FROM entities WHERE type = 'vehicle' AND value = 'WA7CH01'");
    await h.container.platform.db.transaction((tx) =>
      intel.watchEntity(tx, { entityId: vehicle[0]!.id, ownerUserId: caseworker.userId, ownerAgencyId: AGENCY, reason: 'case 12', subjectType: 'case', subjectId: '12' }),
    );
    let watcherCalls = 0;
    intel.registerWatcher(async (_tx, ctx) => {
      watcherCalls += 1;
      return ctx.entities.some((e) => e.value === 'WA7CH01') ? [{ userId: 'custom-user', agencyId: AGENCY, kind: 'custom', message: 'Custom watcher fired' }] : [];
    });
    await ingest(src({ sourceId: 'alert-3' }), ex(['vehicle', 'WA7CH01']));
    const cw = await intel.notifications.list(caseworker);
    assert.equal(cw.items.length, 1);
    assert.match(cw.items[0]!.message, /a vehicle you are watching \(case 12\)/);
    assert.ok(watcherCalls >= 1);
    assert.equal((await q<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE user_id = 'custom-user'"))[0]?.n, 1);
    await intel.notifications.markRead(caseworker, cw.items[0]!.id);
    assert.equal(await intel.notifications.unreadCount(caseworker), 0);
    await assert.rejects(intel.notifications.markRead(owner, cw.items[0]!.id), NotFoundError, "one cannot mark another's notification");
  });

  it('optimistic locking: a stale version is refused with a clear message and changes nothing', async () => {
    const { register } = h.container.services.intel;
    const line = await register.createLine(analyst, { brand: 'lock', displayName: 'Lock', exportingArea: null, importingAreas: [], number: null });
    const edit = { version: 1, status: 'closed_type2' as const, displayName: 'Lock', exportingArea: 'Leeds', importingAreas: ['Preston'] };
    const updated = await register.updateLine(analyst, line.id, edit);
    assert.equal(updated.version, 2);
    await assert.rejects(register.updateLine(analyst, line.id, { ...edit, status: 'closed_type1' }), (err: unknown) => err instanceof ConflictError && /Someone else changed this line/.test(err.message));
    assert.equal((await register.getLine(analyst, line.id)).line.status, 'closed_type2');
  });

  it('access: another agency cannot see a mention, entity, line or network of this agency', async () => {
    const intel = h.container.services.intel;
    await ingest(src({ sourceId: 'secret-1' }), ex(['handle', 'only_ours'], ['vehicle', 'OUR5CAR']));
    const ent = await q<{ id: number }>("SELECT id FROM entities WHERE value = 'only_ours'");
    const id = ent[0]!.id;
    const mine = await intel.entity(analyst, id);
    assert.equal(mine.mentions.total, 1);
    assert.equal(mine.mentions.rows[0]?.sourceId, 'secret-1');
    assert.equal(mine.links[0]?.value, 'OUR5CAR');
    await assert.rejects(intel.entity(otherAnalyst, id), NotFoundError);
    // Once the other agency has its own mention, it sees only its own.
    await ingest(src({ sourceId: 'theirs-1', ownerAgencyId: OTHER }), ex(['handle', 'only_ours']));
    const theirs = await intel.entity(otherAnalyst, id);
    assert.deepEqual(theirs.mentions.rows.map((m) => m.sourceId), ['theirs-1']);
    assert.deepEqual(theirs.links, [], 'links are per agency');
    const lines = await intel.register.listLines(analyst, {});
    await assert.rejects(intel.register.getLine(otherAnalyst, lines[0]!.id), NotFoundError);
    await assert.rejects(intel.network(otherAnalyst, { focus: `line:${lines[0]!.id}`, hops: 2 }), NotFoundError);
    const views = await q<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'intel.entity.view' AND actor_id = $1", [analyst.userId]);
    assert.equal(views[0]?.n, 1, 'entity views are audited');
  });

  it('network: n-hop neighbourhood with communities and key nodes; exports need intel:export and are audited', async () => {
    const intel = h.container.services.intel;
    // hub - a - b chain plus a second cluster.
    await ingest(src(), ex(['handle', 'net_hub'], ['handle', 'net_a']));
    await ingest(src(), ex(['handle', 'net_a'], ['handle', 'net_b']));
    await ingest(src(), ex(['handle', 'net_b'], ['handle', 'net_c']));
    const hub = (await q<{ id: number }>("SELECT id FROM entities WHERE value = 'net_hub'"))[0]!.id;
    const one = await intel.network(analyst, { focus: `entity:${hub}`, hops: 1 });
    assert.deepEqual(one.nodes.map((x) => x.label).sort(), ['net_a', 'net_hub']);
    const two = await intel.network(analyst, { focus: `entity:${hub}`, hops: 2 });
    assert.deepEqual(two.nodes.map((x) => x.label).sort(), ['net_a', 'net_b', 'net_hub']);
    assert.ok(two.keyNodes[0]);
    const all = await intel.network(analyst, { hops: 2 });
    assert.ok(all.nodes.length > 5);

    await assert.rejects(intel.exportData(viewer, 'graphml', { hops: 2 }), ForbiddenError);
    const file = await intel.exportData(analyst, 'gexf', { focus: `entity:${hub}`, hops: 2 });
    assert.match(file.body, /<gexf /);
    assert.match(file.contentType, /gexf/);
    const geo = await intel.exportData(analyst, 'geojson', { hops: 2 });
    const fc = JSON.parse(geo.body) as { features: { properties: { kind: string; name?: string } }[] };
    assert.ok(fc.features.some((f) => f.properties.kind === 'town' && f.properties.name === 'Preston'));
    assert.ok(fc.features.some((f) => f.properties.kind === 'flow'), 'Kash runs Liverpool -> Preston');
    const audits = await q<{ detail: { format: string } }>("SELECT detail FROM audit_events WHERE action = 'intel.export' AND actor_id = $1 ORDER BY seq", [analyst.userId]);
    assert.deepEqual(audits.map((a) => a.detail.format), ['gexf', 'geojson']);
  });

  it('map: hotspots by town and district, flows, and an SVG', async () => {
    const intel = h.container.services.intel;
    await ingest(src(), ex(['postcode', 'FY1 1AA'], ['place', 'Blackpool']));
    const map = await intel.map(analyst, 'north-west');
    assert.ok(map.towns.some((t) => t.name === 'Blackpool' && t.placed));
    assert.ok(map.districts.some((d) => d.district === 'FY1' && d.town === 'Blackpool'));
    assert.ok(map.flows.some((f) => f.from.name === 'Liverpool' && f.to.name === 'Preston'));
    assert.match(map.svg, /^<svg /);
    const other = await intel.map(otherAnalyst);
    assert.ok(!other.towns.some((t) => t.name === 'Blackpool'), "another agency's hotspots are not shown");
  });

  it('rejects bad input and an unknown source type without a loader', async () => {
    await assert.rejects(ingest(src({ sourceId: '' }), ex()), /sourceId/);
    await assert.rejects(
      h.container.platform.db.transaction((tx) => h.container.services.intel.ingestExtraction(tx, src({ occurredAt: new Date('nope') }), ex())),
      /occurredAt/,
    );
    // Junk from an extractor is dropped rather than stored.
    const res = await ingest(src(), { entities: [{ type: 'phone', value: '07700 900 999', start: 0, end: 5 }, { type: 'weird', value: 'x', start: 0, end: 1 }], indicators: [] });
    assert.deepEqual(res.entityIds, []);
    void DAY;
  });
});
