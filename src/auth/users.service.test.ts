import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../testing/harness.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { StaffActor } from './access.ts';
import { staffActorFromUser } from './auth.service.ts';
import { createStaffUser, createTestAgency } from './testing.ts';
import { cliActor } from './cli-context.ts';

describe('users service: access is checked in the service, not only in routes', () => {
  let h: Harness;
  let adminA: StaffActor;
  let viewerA: StaffActor;
  let adminB: StaffActor;
  let agencyA: string;
  before(async () => {
    h = await createHarness();
    agencyA = (await createTestAgency(h, { name: 'Agency A' })).id;
    const agencyB = (await createTestAgency(h, { name: 'Agency B', kind: 'childrens_social_care' })).id;
    const toActor = (u: { id: string; name: string; email: string; agencyId: string; roles: string[] }) =>
      staffActorFromUser({ id: u.id, name: u.name, email: u.email, agency_id: u.agencyId, roles: u.roles }, 'test');
    adminA = toActor(await createStaffUser(h, { roles: ['admin'], agencyId: agencyA }));
    viewerA = toActor(await createStaffUser(h, { roles: ['viewer'], agencyId: agencyA }));
    adminB = toActor(await createStaffUser(h, { roles: ['admin'], agencyId: agencyB }));
  });
  after(async () => {
    await h.close();
  });

  it('refuses users without user:manage', async () => {
    const { users } = h.container.services.auth;
    await assert.rejects(users.list(viewerA), ForbiddenError);
    await assert.rejects(users.add(viewerA, { email: 'x@y.test', name: 'X', roles: ['viewer'] }), ForbiddenError);
    await assert.rejects(users.disable(viewerA, adminA.kind === 'staff' ? adminA.userId : ''), ForbiddenError);
  });

  it("hides another agency's users (not found) and adds only to the admin's own agency", async () => {
    const { users } = h.container.services.auth;
    await assert.rejects(users.get(adminB, viewerA.userId), NotFoundError);
    await assert.rejects(users.disable(adminB, viewerA.userId), NotFoundError);
    await assert.rejects(users.endSessions(adminB, viewerA.userId), NotFoundError);
    const added = await users.add(adminA, { email: 'New.Person@Example.TEST', name: 'New Person', roles: ['triage'], agencyId: 'ignored-for-staff' });
    assert.equal(added.user.agencyId, agencyA);
    assert.equal(added.user.email, 'new.person@example.test', 'lower-cased');
    assert.equal(added.user.status, 'invited');
    assert.match(added.setupUrl, /^http:\/\/localhost:\d+\/staff\/set-up\/[A-Za-z0-9_-]{43}$/);
    const token = added.setupUrl.split('/').pop()!;
    const stored = await h.container.platform.db.query<{ setup_token_hash: string }>('SELECT setup_token_hash FROM users WHERE id = $1', [added.user.id]);
    assert.notEqual(stored.rows[0]?.setup_token_hash, token, 'only the hash of the token is stored');
    await assert.rejects(users.add(adminA, { email: 'new.person@example.test', name: 'Again', roles: ['viewer'] }), ValidationError);
    await assert.rejects(users.add(adminA, { email: 'bad', name: '', roles: ['wizard'] }), (e: unknown) => e instanceof ValidationError && e.errors.length === 3);
  });

  it('an admin cannot disable their own account', async () => {
    await assert.rejects(h.container.services.auth.users.disable(adminA, adminA.userId), ValidationError);
  });

  it('agencies are added by the system (CLI) only, and audited', async () => {
    const { agencies } = h.container.services.auth;
    await assert.rejects(agencies.add(adminA, { name: 'Rogue', kind: 'police', area: 'X' }), ForbiddenError);
    await assert.rejects(agencies.add(cliActor('t'), { name: 'Bad kind', kind: 'army', area: 'X' }), ValidationError);
    const a = await agencies.add(cliActor('t'), { name: 'Fylde Youth Justice (test)', kind: 'youth_justice', area: 'Fylde' });
    const rows = await h.container.platform.db.query(`SELECT actor_id FROM audit_events WHERE action = 'agency.add' AND subject_id = $1`, [a.id]);
    assert.deepEqual(rows.rows, [{ actor_id: 'system:cli:t' }]);
  });

  it('the audit search needs audit:read and sees only its own agency', async () => {
    const { auditLog } = h.container.services.auth;
    await assert.rejects(auditLog.search(viewerA, {}), ForbiddenError);
    const a = await auditLog.search(adminA, {});
    assert.ok(a.rows.length > 0);
    assert.ok(a.rows.every((r) => r.actorAgency === agencyA || r.subjectType === 'user'));
    const b = await auditLog.search(adminB, { user: adminA.email });
    assert.equal(b.total, 0, "another agency's people are not searchable");
    await assert.rejects(auditLog.search(adminA, { from: '2024-13-45x' }), ValidationError);
    const searches = await h.container.platform.db.query(`SELECT 1 FROM audit_events WHERE action = 'audit.view' AND actor_id = $1`, [adminA.userId]);
    assert.ok(searches.rows.length >= 1, 'searching is audited');
  });
});
