/**
 * Case behaviours from issue #6 that had no test: arrests out of area on the timeline, sharing a
 * case on need-to-know (404 before, read-only after), a risk override that keeps the history,
 * and the MACE team view's people, places and lines.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { createStaffUser, createTestAgency, signIn, type StaffSession } from '../../auth/testing.ts';

describe('triage cases: timeline, sharing, risk history and MACE', () => {
  let h: Harness;
  let agencyA: { id: string; name: string };
  let agencyB: { id: string; name: string };
  let sW: StaffSession;
  let sOther: StaffSession;
  // Time moves on a little with every read of the clock, so events are ordered as they happened.
  let t = new Date('2025-03-03T09:00:00Z').getTime();
  const clock = () => new Date((t += 10));

  async function openCase(s: StaffSession, fields: Record<string, string | string[]>): Promise<{ id: string; reference: string }> {
    const res = await s.post('/staff/cases', fields);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const id = String(res.headers.location).split('/')[3]!.split('?')[0]!;
    const { rows } = await h.container.platform.db.query<{ reference: string }>('SELECT reference FROM triage_cases WHERE id = $1', [id]);
    return { id, reference: rows[0]!.reference };
  }
  const version = async (id: string) => String((await h.container.platform.db.query<{ version: number }>('SELECT version FROM triage_cases WHERE id = $1', [id])).rows[0]!.version);
  const audited = async (action: string, id: string) => (await h.container.platform.db.query('SELECT 1 FROM audit_events WHERE action = $1 AND subject_id = $2', [action, id])).rows.length;
  /** Weapons (high) and out of area (medium): the checker's rules give high. */
  const raiseToHigh = async (s: StaffSession, id: string) => {
    const res = await s.post(`/staff/cases/${id}/risk`, { version: await version(id), signs: ['weapons', 'out_of_area'], 'severity-weapons': 'high', 'severity-out_of_area': 'medium', dangerNow: 'no' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 1500));
  };

  before(async () => {
    h = await createHarness({ clock });
    agencyA = await createTestAgency(h, { name: 'Case Constabulary (test)' });
    agencyB = await createTestAgency(h, { name: 'Case Children’s Services (test)', kind: 'childrens_social_care' });
    sW = await signIn(h, await createStaffUser(h, { roles: ['caseworker'], agencyId: agencyA.id }));
    sOther = await signIn(h, await createStaffUser(h, { roles: ['caseworker'], agencyId: agencyB.id }));
  });
  after(async () => h.close());

  it('an arrest out of area appears on the case timeline, audited', async () => {
    const c = await openCase(sW, { name: 'Arrest Example', kind: 'child', age: '15', homeArea: 'Lancaster' });
    const future = await sW.post(`/staff/cases/${c.id}/arrests`, { version: await version(c.id), date: '2025-04-01', area: 'Liverpool' });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /must be today or in the past/);
    const res = await sW.post(`/staff/cases/${c.id}/arrests`, { version: await version(c.id), date: '2025-03-02', area: 'Liverpool', note: 'Found with cash and two phones' });
    assert.equal(res.statusCode, 303);
    const page = await sW.get(`/staff/cases/${c.id}`);
    assert.match(page.body, /Arrested out of area<\/strong> in Liverpool on 2025-03-02: Found with cash and two phones/);
    const { rows } = await h.container.platform.db.query<{ body: Buffer }>(`SELECT body FROM triage_case_events WHERE case_id = $1 AND kind = 'arrest_out_of_area'`, [c.id]);
    assert.ok(!rows[0]!.body.toString('latin1').includes('two phones'), 'the note is sealed');
    assert.equal(await audited('case.arrest', c.id), 1);
  });

  it('sharing a case makes it visible to that agency (404 before), read only', async () => {
    const c = await openCase(sW, { name: 'Shared Case Example', kind: 'child', age: '13' });
    const before = await sOther.get(`/staff/cases/${c.id}`);
    assert.equal(before.statusCode, 404);
    assert.doesNotMatch(before.body, /Shared Case Example/);
    assert.doesNotMatch((await sOther.get('/staff/cases')).body, /Shared Case Example/);
    assert.equal((await sOther.post(`/staff/cases/${c.id}/share`, { version: await version(c.id), agencyId: agencyB.id })).statusCode, 404, 'they cannot share it to themselves');

    const own = await sW.post(`/staff/cases/${c.id}/share`, { version: await version(c.id), agencyId: agencyA.id });
    assert.equal(own.statusCode, 400);
    assert.equal((await sW.post(`/staff/cases/${c.id}/share`, { version: await version(c.id), agencyId: agencyB.id })).statusCode, 303);
    const after = await sOther.get(`/staff/cases/${c.id}`);
    assert.equal(after.statusCode, 200);
    assert.match(after.body, /Shared Case Example/);
    assert.match((await sW.get(`/staff/cases/${c.id}`)).body, new RegExp(`Shared with\\s*</dt>\\s*<dd[^>]*>\\s*${agencyB.name.replace(/[()]/g, '\\$&')}`));
    assert.match((await sOther.get('/staff/cases')).body, /Shared Case Example/);
    assert.doesNotMatch(after.body, new RegExp(`action="/staff/cases/${c.id}/notes"`), 'no update forms for a shared agency');
    assert.equal((await sOther.post(`/staff/cases/${c.id}/notes`, { version: await version(c.id), note: 'Not theirs to write' })).statusCode, 403);
    assert.equal(await audited('case.share', c.id), 1);
  });

  it('a risk override with professional judgement keeps the earlier level and reasons', async () => {
    const c = await openCase(sW, { name: 'Override Example', kind: 'child', age: '14' });
    await raiseToHigh(sW, c.id);
    const earlier = (await h.container.services.triage.cases.get(sessionActor(sW), c.id)).risk.find((r) => r.level === 'high');
    assert.ok(earlier && earlier.reasons.length > 0, 'the rules give high, with reasons');

    const noReason = await sW.post(`/staff/cases/${c.id}/risk`, { version: await version(c.id), dangerNow: 'no', override: 'emergency', overrideReason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Give the reason for your professional judgement/);
    const res = await sW.post(`/staff/cases/${c.id}/risk`, { version: await version(c.id), dangerNow: 'no', override: 'emergency', overrideReason: 'Disclosed threats from an older male last night' });
    assert.equal(res.statusCode, 303);

    const detail = await h.container.services.triage.cases.get(sessionActor(sW), c.id);
    assert.equal(detail.case.riskLevel, 'emergency');
    assert.deepEqual(detail.risk.map((r) => r.level), ['emergency', 'high', 'low'], 'newest first, nothing overwritten');
    const latest = detail.risk[0]!;
    assert.equal(latest.overrideReason, 'Disclosed threats from an older male last night');
    assert.notEqual(latest.scoredLevel, 'emergency');
    assert.deepEqual(detail.risk[1]!.reasons, earlier.reasons, 'the earlier reasons are kept');

    const page = await sW.get(`/staff/cases/${c.id}`);
    assert.match(page.body, /Risk assessed: emergency<\/strong> \(the rules gave \w+; professional judgement: Disclosed threats from an older male last night\)/);
    assert.match(page.body, /Risk assessed: high<\/strong>/);
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    for (const reason of earlier.reasons) assert.ok(page.body.includes(esc(reason)), `earlier reason still listed: ${reason}`);
    const { rows } = await h.container.platform.db.query<{ override_reason: Buffer }>('SELECT override_reason FROM triage_case_risk WHERE case_id = $1 AND override_reason IS NOT NULL', [c.id]);
    assert.ok(!rows[0]!.override_reason.toString('latin1').includes('older male'), 'the judgement is sealed');
  });

  it('the MACE page lists the people, places and lines of open cases under discussion', async () => {
    const db = h.container.platform.db;
    await db.query(`INSERT INTO deal_lines (brand, display_name, status, owner_agency_id, created_at, updated_at) VALUES ('dex', 'Dex', 'active', $1, $2, $2)`, [agencyA.id, clock()]);
    const one = await openCase(sW, { name: 'Mace Person One', kind: 'child', age: '15', homeArea: 'Blackburn', places: 'Burnley, Accrington', lines: 'Dex' });
    const two = await openCase(sW, { alias: 'Tiny', kind: 'child', age: '16', homeArea: 'Preston', places: 'Burnley', lines: 'Kenzo' });
    await openCase(sW, { name: 'Mace Quiet Low', kind: 'child', age: '12', places: 'Chorley' });
    const closed = await openCase(sW, { name: 'Mace Closed High', kind: 'child', age: '15', places: 'Fleetwood', lines: 'Closedline' });
    const elsewhere = await openCase(sOther, { name: 'Mace Other Agency', kind: 'child', age: '15', places: 'Wigan', lines: 'Otherline' });
    for (const c of [one, two, closed]) await raiseToHigh(sW, c.id);
    await raiseToHigh(sOther, elsewhere.id);
    assert.equal((await sW.post(`/staff/cases/${closed.id}/close`, { version: await version(closed.id) })).statusCode, 303);

    const res = await sW.get('/staff/mace');
    assert.equal(res.statusCode, 200);
    const body = res.body;
    assert.match(body, new RegExp(`href="/staff/cases/${one.id}">${one.reference}</a>`));
    assert.match(body, /Mace Person One, 15/);
    assert.match(body, /&quot;Tiny&quot;, 16/, 'an alias when there is no name');
    assert.match(body, /Blackburn/);
    // Places shared by cases are listed once with every case.
    assert.match(body, new RegExp(`>Burnley</td><td class="govuk-table__cell">(${one.reference}, ${two.reference}|${two.reference}, ${one.reference})<`));
    assert.match(body, new RegExp(`>Accrington</td><td class="govuk-table__cell">${one.reference}<`));
    assert.match(body, new RegExp(`>dex</td><td class="govuk-table__cell">${one.reference}</td><td class="govuk-table__cell">active<`), 'a line on the register with its status');
    assert.match(body, new RegExp(`>kenzo</td><td class="govuk-table__cell">${two.reference}</td><td class="govuk-table__cell">Not on the register<`));
    for (const gone of ['Mace Quiet Low', 'Chorley', 'Mace Closed High', 'Fleetwood', 'closedline', 'Mace Other Agency', 'Wigan', 'otherline']) assert.doesNotMatch(body, new RegExp(gone), `${gone} is not under discussion here`);
    assert.ok((await db.query(`SELECT 1 FROM audit_events WHERE action = 'mace.view'`)).rows.length >= 1);
  });

  /** The staff actor behind a signed-in session (for reading what the pages are built from). */
  function sessionActor(s: StaffSession) {
    return { kind: 'staff' as const, userId: s.user.id, name: s.user.name, email: s.user.email, agencyId: agencyA.id, roles: ['caseworker' as const], correlationId: 'test' };
  }
});
