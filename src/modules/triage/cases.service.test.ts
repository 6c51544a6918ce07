import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { createStaffUser, createTestAgency, signIn, type StaffSession, type TestStaffUser } from '../../auth/testing.ts';
import { emptyContent } from '../reporting/reports.schema.ts';
import * as repo from './inbox.repository.ts';

describe('triage cases, tasks and retention', () => {
  let h: Harness;
  let agencyA: { id: string };
  let agencyB: { id: string };
  let worker: TestStaffUser;
  let sW: StaffSession;
  let sOther: StaffSession;
  let sAdmin: StaffSession;
  const now = new Date('2025-03-03T09:00:00Z');

  async function openCase(fields: Record<string, string | string[]>): Promise<string> {
    const res = await sW.post('/staff/cases', fields);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    return String(res.headers.location).split('/')[3]!.split('?')[0]!;
  }
  const version = async (id: string) => (await h.container.platform.db.query<{ version: number }>('SELECT version FROM triage_cases WHERE id = $1', [id])).rows[0]!.version;
  const actions = async () => (await h.container.platform.db.query<{ action: string }>('SELECT action FROM audit_events ORDER BY seq')).rows.map((r) => r.action);

  before(async () => {
    h = await createHarness({ clock: () => now });
    agencyA = await createTestAgency(h);
    agencyB = await createTestAgency(h);
    worker = await createStaffUser(h, { roles: ['caseworker'], agencyId: agencyA.id });
    sW = await signIn(h, worker);
    sOther = await signIn(h, await createStaffUser(h, { roles: ['caseworker'], agencyId: agencyB.id }));
    sAdmin = await signIn(h, await createStaffUser(h, { roles: ['admin'], agencyId: agencyA.id }));
  });
  after(async () => h.close());

  it('opens a case with the person record sealed and a review date set', async () => {
    const bad = await sW.post('/staff/cases', { name: '', alias: '', kind: 'child', age: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Enter a name or an alias/);
    const id = await openCase({ name: 'Jaydenne Fictional', kind: 'child', age: '14', homeArea: 'Lancaster', places: 'Morecambe, Preston', lines: 'Ryan' });
    const { rows } = await h.container.platform.db.query<{ person: Buffer; review_on: string }>('SELECT person, review_on FROM triage_cases WHERE id = $1', [id]);
    assert.ok(!rows[0]!.person.toString('latin1').includes('Jaydenne'));
    assert.match(rows[0]!.review_on, /^\d{4}-\d{2}-\d{2}$/);
    const page = await sW.get(`/staff/cases/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Jaydenne Fictional/);
    // Another agency: 404, never the data.
    const other = await sOther.get(`/staff/cases/${id}`);
    assert.equal(other.statusCode, 404);
    assert.doesNotMatch(other.body, /Jaydenne/);
    const mine = await sW.get('/staff/cases?mine');
    assert.match(mine.body, /Jaydenne Fictional/);
    const mace = await sW.get('/staff/mace');
    assert.equal(mace.statusCode, 200);
  });

  it('a missing episode creates a return home interview task due within 72 hours and re-scores', async () => {
    const id = await openCase({ name: 'Kai Example', kind: 'child', age: '15' });
    const res = await sW.post(`/staff/cases/${id}/missing`, { version: String(await version(id)), wentMissing: '2025-03-01', returned: '2025-03-03' });
    assert.equal(res.statusCode, 303);
    const { rows } = await h.container.platform.db.query<{ kind: string; due_at: Date }>('SELECT kind, due_at FROM triage_tasks WHERE case_id = $1', [id]);
    const rhi = rows.find((r) => r.kind === 'return_home_interview');
    assert.ok(rhi);
    assert.ok(rhi.due_at.getTime() <= now.getTime() + 72 * 3_600_000);
    assert.ok(rhi.due_at.getTime() > now.getTime());
    // A stale version keeps what was typed.
    const stale = await sW.post(`/staff/cases/${id}/notes`, { version: '1', note: 'Words I do not want to lose' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Words I do not want to lose/);
    assert.ok((await actions()).includes('case.missing_episode'));
  });

  it('a potential victim: a child needs no consent; an adult needs consent or a Duty to Notify', async () => {
    const child = await openCase({ name: 'Child Example', kind: 'child', age: '13' });
    assert.equal((await sW.post(`/staff/cases/${child}/potential-victim`, { version: String(await version(child)) })).statusCode, 303);
    const adult = await openCase({ alias: 'Smudge', kind: 'adult', age: '34', vulnerabilities: ['learning_disability'] });
    const missing = await sW.post(`/staff/cases/${adult}/potential-victim`, { version: String(await version(adult)) });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /informed consent/);
    assert.equal((await sW.post(`/staff/cases/${adult}/potential-victim`, { version: String(await version(adult)), basis: 'duty_to_notify' })).statusCode, 303);
    const { rows } = await h.container.platform.db.query<{ case_id: string; nrm_basis: string; title: string }>(`SELECT case_id, nrm_basis, title FROM triage_tasks WHERE kind = 'nrm_referral' AND case_id = ANY ($1::uuid[])`, [[child, adult]]);
    assert.equal(rows.find((r) => r.case_id === child)?.nrm_basis, 'child_no_consent');
    assert.equal(rows.find((r) => r.case_id === adult)?.nrm_basis, 'duty_to_notify');
    assert.match(rows.find((r) => r.case_id === adult)!.title, /Duty to Notify/);
  });

  it('risk assessment reuses the checker scoring; tasks complete; the summary PDF is audited', async () => {
    const id = await openCase({ name: 'Risk Example', kind: 'child', age: '12' });
    const res = await sW.post(`/staff/cases/${id}/risk`, { version: String(await version(id)), signs: ['weapons', 'out_of_area'], 'severity-weapons': 'high', 'severity-out_of_area': 'medium', dangerNow: 'no' });
    assert.equal(res.statusCode, 303);
    const { rows } = await h.container.platform.db.query<{ risk_level: string }>('SELECT risk_level FROM triage_cases WHERE id = $1', [id]);
    assert.equal(rows[0]!.risk_level, 'high');
    assert.equal((await sW.post(`/staff/cases/${id}/tasks`, { version: String(await version(id)), title: 'Visit school', dueOn: '2025-03-10' })).statusCode, 303);
    const task = (await h.container.platform.db.query<{ id: string }>(`SELECT id FROM triage_tasks WHERE case_id = $1 AND kind = 'general'`, [id])).rows[0]!;
    assert.equal((await sW.post(`/staff/cases/${id}/tasks/${task.id}/complete`)).statusCode, 303);
    const done = await h.container.platform.db.query<{ status: string }>('SELECT status FROM triage_tasks WHERE id = $1', [task.id]);
    assert.equal(done.rows[0]!.status, 'done');
    const pdf = await sW.get(`/staff/cases/${id}/summary.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const acts = await actions();
    for (const a of ['case.risk', 'case.task.complete', 'case.export']) assert.ok(acts.includes(a), a);
  });

  it('a case is linked to an inbox item only by the agency that owns it, and never over another case', async () => {
    const triage = h.container.services.triage;
    const r = await h.container.services.reporting.submit({ ...emptyContent(), narrative: 'A report to open a case from' }, { channel: 'api' });
    const db = h.container.platform.db;
    const item = await db.transaction((tx) => triage.intake(tx, { sourceType: 'report', sourceId: r.id, ownerAgencyId: agencyA.id, receivedAt: now }));
    // Shared with agency B (need-to-know): B can see the item but must not change the owner's record.
    await db.transaction((tx) => repo.insertShare(tx, item.id, agencyB.id, 'test', now));
    const caseCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM triage_cases')).rows[0]!.n;
    const before = await caseCount();
    const fromB = await sOther.post('/staff/cases', { name: 'Shared Example', kind: 'child', age: '15', itemId: item.id });
    assert.equal(fromB.statusCode, 403);
    assert.equal(await caseCount(), before, 'nothing half-made');
    const linkOf = async () => (await db.query<{ case_id: string | null }>('SELECT case_id::text AS case_id FROM triage_items WHERE id = $1', [item.id])).rows[0]!.case_id;
    assert.equal(await linkOf(), null);
    const caseId = await openCase({ name: 'Owned Example', kind: 'child', age: '15', itemId: item.id });
    assert.equal(await linkOf(), caseId);
    const again = await sW.post('/staff/cases', { name: 'Second Example', kind: 'child', age: '15', itemId: item.id });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /already linked to another case/);
    assert.equal(await linkOf(), caseId, 'the first link stands');
  });

  it('retention deletion removes the content and leaves an audited tombstone', async () => {
    const triage = h.container.services.triage;
    const r = await h.container.services.reporting.submit({ ...emptyContent(), narrative: 'Old report to delete' }, { channel: 'api' });
    const item = await h.container.platform.db.transaction((tx) =>
      triage.intake(tx, { sourceType: 'report', sourceId: r.id, ownerAgencyId: agencyA.id, receivedAt: new Date('2015-01-01T00:00:00Z') }),
    );
    const queue = await sAdmin.get('/staff/retention');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, new RegExp(r.reference));
    const noReason = await sAdmin.post(`/staff/retention/report/${item.id}/delete`, { reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.equal((await sOther.post(`/staff/retention/report/${item.id}/delete`, { reason: 'x' })).statusCode, 403);
    const del = await sAdmin.post(`/staff/retention/report/${item.id}/delete`, { reason: 'No longer needed for a policing purpose (MoPI review)' });
    assert.equal(del.statusCode, 303);
    const db = h.container.platform.db;
    assert.equal((await db.query('SELECT 1 FROM reports WHERE id = $1', [r.id])).rows.length, 0);
    assert.equal((await db.query('SELECT 1 FROM triage_items WHERE id = $1', [item.id])).rows.length, 0);
    const tomb = await db.query<{ record_type: string; deleted_by: string; reason: string }>('SELECT record_type, deleted_by, reason FROM retention_tombstones WHERE record_id = $1', [item.id]);
    assert.equal(tomb.rows[0]!.record_type, 'report');
    assert.match(tomb.rows[0]!.reason, /MoPI/);
    const audit = await db.query<{ action: string; subject_id: string }>(`SELECT action, subject_id FROM audit_events WHERE action = 'retention.delete'`);
    assert.equal(audit.rows[0]!.subject_id, item.id);
    assert.equal((await sAdmin.get(`/staff/inbox/${item.id}`)).statusCode, 404);
    assert.equal((await sAdmin.post(`/staff/retention/case/${randomUUID()}/keep`)).statusCode, 404);
  });
});
