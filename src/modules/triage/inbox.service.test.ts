import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { createStaffUser, createTestAgency, signIn, type StaffSession, type TestStaffUser } from '../../auth/testing.ts';
import type { StaffActor } from '../../auth/access.ts';
import type { Role } from '../../auth/permissions.ts';
import { emptyContent } from '../reporting/reports.schema.ts';
import { csvCell } from './exports.ts';

function actorOf(u: TestStaffUser, agencyId: string, roles: Role[]): StaffActor {
  return { kind: 'staff', userId: u.id, name: u.name, email: u.email, agencyId, roles, correlationId: randomUUID() };
}

describe('triage inbox', () => {
  let h: Harness;
  let agencyA: { id: string; name: string };
  let agencyB: { id: string; name: string };
  let triageA: TestStaffUser;
  let triageB: TestStaffUser;
  let sA: StaffSession;
  let sB: StaffSession;
  let A: StaffActor;
  const t0 = new Date('2025-03-01T09:00:00Z');
  let now = new Date('2025-03-03T09:00:00Z');

  /** A public report through the reporting service, taken into the inbox for agency A. */
  async function report(narrative: string, o: { minutesAgo: number; urgency?: 'emergency' | 'high' | 'medium' | 'low'; area?: string; phones?: string[]; indicators?: string[]; owner?: string }) {
    const triage = h.container.services.triage;
    const r = await h.container.services.reporting.submit({ ...emptyContent(), narrative, phones: o.phones ?? [] }, { channel: 'api' });
    const owner = o.owner ?? agencyA.id;
    // content/reporting.yaml names a receiving agency that is not a test agency: align the owner.
    await h.container.platform.db.query('UPDATE reports SET owner_agency_id = $2 WHERE id = $1', [r.id, owner]);
    const item = await h.container.platform.db.transaction((tx) =>
      triage.intake(tx, {
        sourceType: 'report',
        sourceId: r.id,
        ownerAgencyId: owner,
        receivedAt: new Date(t0.getTime() + o.minutesAgo * -60_000 + 2 * 86_400_000),
        ...(o.urgency ? { urgencyHint: o.urgency } : {}),
        ...(o.area ? { area: o.area } : {}),
        ...(o.indicators ? { indicators: o.indicators } : {}),
      }),
    );
    return { reportId: r.id, reference: r.reference, itemId: item.id };
  }

  async function actions(): Promise<string[]> {
    const { rows } = await h.container.platform.db.query<{ action: string }>('SELECT action FROM audit_events ORDER BY seq');
    return rows.map((r) => r.action);
  }

  before(async () => {
    h = await createHarness({ clock: () => now });
    agencyA = await createTestAgency(h, { name: 'Lancashire Constabulary (test)' });
    agencyB = await createTestAgency(h, { name: 'Lancaster Children’s Services (test)', kind: 'childrens_social_care' });
    triageA = await createStaffUser(h, { roles: ['triage'], agencyId: agencyA.id });
    triageB = await createStaffUser(h, { roles: ['triage', 'caseworker'], agencyId: agencyB.id });
    sA = await signIn(h, triageA);
    sB = await signIn(h, triageB);
    A = actorOf(triageA, agencyA.id, ['triage']);
  });
  after(async () => h.close());

  it('intake is idempotent per source', async () => {
    const r = await report('Idempotent intake test', { minutesAgo: 1 });
    const again = await h.container.platform.db.transaction((tx) =>
      h.container.services.triage.intake(tx, { sourceType: 'report', sourceId: r.reportId, ownerAgencyId: agencyA.id, receivedAt: now }),
    );
    assert.equal(again.id, r.itemId);
    assert.equal(again.created, false);
  });

  it('orders by urgency, then oldest first, and filters', async () => {
    const low = await report('Low and old', { minutesAgo: 600, urgency: 'low', area: 'Preston' });
    const highNew = await report('High and new', { minutesAgo: 5, urgency: 'high', area: 'Lancaster', indicators: ['cuckooing'] });
    const highOld = await report('High and old', { minutesAgo: 300, urgency: 'high', area: 'Lancaster' });
    const emergency = await report('Emergency now', { minutesAgo: 1, urgency: 'emergency', area: 'Morecambe' });
    const triage = h.container.services.triage;
    const base = { q: '', area: '', status: '' as const, urgency: '' as const, indicator: '', agency: '', matches: false, page: 1 };
    const { items } = await triage.inbox.list(A, base);
    const refs = items.map((i) => i.reference);
    assert.ok(refs.indexOf(emergency.reference) < refs.indexOf(highOld.reference));
    assert.ok(refs.indexOf(highOld.reference) < refs.indexOf(highNew.reference), 'same urgency: oldest first');
    assert.ok(refs.indexOf(highNew.reference) < refs.indexOf(low.reference));
    const lancaster = await triage.inbox.list(A, { ...base, area: 'Lancaster' });
    assert.deepEqual(new Set(lancaster.items.map((i) => i.reference)), new Set([highOld.reference, highNew.reference]));
    const cuckooing = await triage.inbox.list(A, { ...base, indicator: 'cuckooing' });
    assert.deepEqual(cuckooing.items.map((i) => i.reference), [highNew.reference]);
    const urgent = await triage.inbox.list(A, { ...base, urgency: 'emergency' });
    assert.deepEqual(urgent.items.map((i) => i.reference), [emergency.reference]);
  });

  it('unknown filter values give a clear message, not a 500', async () => {
    const res = await sA.get('/staff/inbox?urgency=urgentest&area=Atlantis&indicator=drop+table');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /not an urgency/);
    assert.match(res.body, /There is no area called &quot;Atlantis&quot;/);
    assert.match(res.body, /not a sign in the indicator list/);
    const csv = await sA.get('/staff/inbox/export.csv?status=lost');
    assert.equal(csv.statusCode, 400);
  });

  it('searches by reference, phone number and narrative words without plaintext in the database', async () => {
    const r = await report('A red car waits outside the chip shop every night', { minutesAgo: 2, phones: ['07700 900123'] });
    const triage = h.container.services.triage;
    const base = { q: '', area: '', status: '' as const, urgency: '' as const, indicator: '', agency: '', matches: false, page: 1 };
    assert.deepEqual((await triage.inbox.list(A, { ...base, q: r.reference })).items.map((i) => i.reference), [r.reference]);
    assert.deepEqual((await triage.inbox.list(A, { ...base, q: '+447700900123' })).items.map((i) => i.reference), [r.reference]);
    assert.deepEqual((await triage.inbox.list(A, { ...base, q: 'chip shop' })).items.map((i) => i.reference), [r.reference]);
    assert.deepEqual((await triage.inbox.list(A, { ...base, q: 'chip bicycle' })).items, []);
    const res = await sA.get('/staff/inbox?q=chip+shop');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(r.reference));
    const { rows } = await h.container.platform.db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM triage_search_tokens WHERE token LIKE '%chip%'`);
    assert.equal(rows[0]!.n, 0);
  });

  it('grading needs conditions for handling code C, and every action is audited', async () => {
    const r = await report('Grading test narrative', { minutesAgo: 3 });
    const page = await sA.get(`/staff/inbox/${r.itemId}`);
    assert.equal(page.statusCode, 200);
    const bad = await sA.post(`/staff/inbox/${r.itemId}/grade`, { version: '1', source: '2', intelligence: 'C', handling: 'C', conditions: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter the conditions for sharing/);
    const ok = await sA.post(`/staff/inbox/${r.itemId}/grade`, { version: '1', source: '2', intelligence: 'C', handling: 'C', conditions: 'Not to be shared outside safeguarding partners' });
    assert.equal(ok.statusCode, 303);
    assert.equal((await sA.post(`/staff/inbox/${r.itemId}/urgency`, { version: '2', urgency: 'high' })).statusCode, 303);
    assert.equal((await sA.post(`/staff/inbox/${r.itemId}/assign`, { version: '3', agencyId: agencyA.id, userId: triageA.id })).statusCode, 303);
    assert.equal((await sA.post(`/staff/inbox/${r.itemId}/close`, { version: '4', outcome: 'intelligence_recorded' })).statusCode, 303);
    const acts = await actions();
    for (const a of ['inbox.grade', 'inbox.urgency', 'inbox.assign', 'inbox.close', 'inbox.view', 'report.view']) assert.ok(acts.includes(a), `${a} audited`);
    const item = await h.container.services.triage.inbox.get(A, r.itemId);
    assert.equal(item.item.grade?.handling, 'C');
    assert.equal(item.item.status, 'closed');
  });

  it('keeps the sanitised version encrypted, and shares on need-to-know (404 before, visible after)', async () => {
    const canary = `CANARY-${randomUUID()}`;
    const r = await report('Original with the reporter’s own flat number', { minutesAgo: 4 });
    // Agency B cannot see it: 404, never its data.
    assert.equal((await sB.get(`/staff/inbox/${r.itemId}`)).statusCode, 404);
    assert.equal((await sB.get(`/staff/inbox/${randomUUID()}`)).statusCode, 404);
    assert.equal((await sB.get('/staff/inbox/not-a-uuid')).statusCode, 404);
    // Sharing a report needs a sanitised version first.
    const early = await sA.post(`/staff/inbox/${r.itemId}/share`, { version: '1', agencyId: agencyB.id });
    assert.equal(early.statusCode, 400);
    assert.match(early.body, /sanitised version first/);
    assert.equal((await sA.post(`/staff/inbox/${r.itemId}/sanitise`, { version: '1', sanitised: `Vehicle seen outside a flat. ${canary}`, confirmed: 'yes' })).statusCode, 303);
    const { rows } = await h.container.platform.db.query<{ sanitised: Buffer }>('SELECT sanitised FROM triage_items WHERE id = $1', [r.itemId]);
    assert.ok(rows[0]!.sanitised.length > 0);
    assert.ok(!rows[0]!.sanitised.toString('latin1').includes('CANARY'), 'sealed, not plaintext');
    assert.equal((await sA.post(`/staff/inbox/${r.itemId}/share`, { version: '2', agencyId: agencyB.id })).statusCode, 303);
    const seen = await sB.get(`/staff/inbox/${r.itemId}`);
    assert.equal(seen.statusCode, 200);
    assert.match(seen.body, new RegExp(canary));
    assert.doesNotMatch(seen.body, /reporter’s own flat number/, 'the other agency never sees the original');
    // Read-only for the agency it was shared with.
    assert.equal((await sB.post(`/staff/inbox/${r.itemId}/urgency`, { version: '3', urgency: 'low' })).statusCode, 403);
    const acts = await actions();
    assert.ok(acts.includes('inbox.share') && acts.includes('inbox.sanitise'));
  });

  it('a stale version says someone else changed the item and keeps what was typed', async () => {
    const r = await report('Conflict test', { minutesAgo: 6 });
    await sA.get(`/staff/inbox/${r.itemId}`);
    assert.equal((await sA.post(`/staff/inbox/${r.itemId}/urgency`, { version: '1', urgency: 'high' })).statusCode, 303);
    const stale = await sA.post(`/staff/inbox/${r.itemId}/sanitise`, { version: '1', sanitised: 'My careful sanitised words', confirmed: 'yes' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Someone else changed this item/);
    assert.match(stale.body, /My careful sanitised words/);
    assert.match(stale.body, /name="version" value="2"/);
    const { rows } = await h.container.platform.db.query<{ sanitised: Buffer | null }>('SELECT sanitised FROM triage_items WHERE id = $1', [r.itemId]);
    assert.equal(rows[0]!.sanitised, null);
  });

  it('"matches a known line or case" uses the agency\'s deal-line register', async () => {
    const r = await report('Text the number for food', { minutesAgo: 7, phones: ['07700 900456'] });
    const db = h.container.platform.db;
    const at = now;
    const { rows: line } = await db.query<{ id: number }>(
      `INSERT INTO deal_lines (brand, display_name, status, owner_agency_id, created_at, updated_at) VALUES ('ryan', 'Ryan', 'active', $1, $2, $2) RETURNING id`,
      [agencyA.id, at],
    );
    await db.query('INSERT INTO deal_line_numbers (line_id, number, active_from, added_at) VALUES ($1, $2, $3, $3)', [line[0]!.id, '+447700900456', at]);
    const { rows: ent } = await db.query<{ id: number }>(`INSERT INTO entities (type, value, first_seen, last_seen, mention_count) VALUES ('phone', '+447700900456', $1, $1, 1) RETURNING id`, [at]);
    await db.query(`INSERT INTO mentions (entity_id, source_type, source_id, occurred_at, owner_agency_id) VALUES ($1, 'report', $2, $3, $4)`, [ent[0]!.id, r.reportId, at, agencyA.id]);
    const base = { q: '', area: '', status: '' as const, urgency: '' as const, indicator: '', agency: '', matches: true, page: 1 };
    const found = await h.container.services.triage.inbox.list(A, base);
    assert.ok(found.items.some((i) => i.reference === r.reference && i.matches));
    const res = await sA.get('/staff/inbox?matches=yes');
    assert.match(res.body, new RegExp(r.reference));
  });

  it('exports a filtered inbox as formula-safe CSV, audited', async () => {
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('-2'), "'-2");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('plain'), 'plain');
    const r = await report('Export me', { minutesAgo: 8, area: 'Blackpool' });
    const res = await sA.get('/staff/inbox/export.csv?area=Blackpool');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/csv/);
    assert.match(res.body, new RegExp(r.reference));
    assert.doesNotMatch(res.body, /Export me/, 'no protected free text');
    assert.ok((await actions()).includes('inbox.export'));
  });

  it('a checker referral is stored sealed and lands in the inbox with its level as urgency', async () => {
    const triage = h.container.services.triage;
    const out = await triage.submitReferral(undefined, {
      input: { subject: { kind: 'child', age: 14, vulnerabilities: [] }, signs: [{ code: 'missing_from_home', severity: 'high' }], missing_episodes_30d: 1, danger_now: false, on_train: false },
      result: { level: 'high', reasons: ['A high sign'], routes: [], score: 3, band: 'low' },
      referrer: { name: 'Ms Teacher Example', organisation: 'Example Academy', notes: 'Seen with older boys in a grey van' },
      ownerAgencyId: agencyA.id,
    });
    const view = await triage.inbox.get(A, out.itemId);
    assert.equal(view.item.urgency, 'high');
    assert.equal(view.original.kind, 'referral');
    const { rows } = await h.container.platform.db.query<{ content: Buffer }>('SELECT content FROM triage_referrals WHERE id = $1', [out.id]);
    assert.ok(!rows[0]!.content.toString('latin1').includes('Teacher'));
    const base = { q: 'grey van', area: '', status: '' as const, urgency: '' as const, indicator: '', agency: '', matches: false, page: 1 };
    assert.deepEqual((await triage.inbox.list(A, base)).items.map((i) => i.id), [out.itemId]);
  });

  it('the overdue job notifies owners in the app', async () => {
    const r = await report('Overdue soon', { minutesAgo: 9, urgency: 'emergency' });
    now = new Date(now.getTime() + 3 * 3_600_000);
    sA = await signIn(h, triageA);
    const page = await sA.get('/staff/inbox?urgency=emergency');
    assert.match(page.body, /govuk-tag--red">\s*Overdue/);
    await h.container.platform.jobs.drain();
    const { rows } = await h.container.platform.db.query<{ message: string; agency_id: string }>(`SELECT message, agency_id FROM notifications WHERE subject_id = $1`, [r.itemId]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.agency_id, agencyA.id);
    assert.match(rows[0]!.message, /overdue/);
    // Next sweep is queued; a second sweep does not notify twice.
    await h.container.services.triage.sweepOverdue();
    const again = await h.container.platform.db.query(`SELECT 1 FROM notifications WHERE subject_id = $1`, [r.itemId]);
    assert.equal(again.rows.length, 1);
  });
});
