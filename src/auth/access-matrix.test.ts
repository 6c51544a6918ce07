/**
 * The access matrix: every role (and no session at all) against every route under /staff,
 * expecting what the permission table (permissions.ts) says. Routes are read from the route
 * registry, so pages other modules add later are covered without editing this file; a /staff
 * route with neither requireStaff(...) nor `config: { staffPublic: true }` fails the test.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createHarness, csrfFrom, form, type Harness } from '../testing/harness.ts';
import { ROLE_PERMISSIONS, ROLES, type Role } from './permissions.ts';
import { staffRoutesOf, type StaffRouteInfo } from './route-registry.ts';
import { createStaffUser, signIn, type StaffSession } from './testing.ts';

function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+(\([^)]*\))?/g, () => randomUUID()).replace(/\*$/, 'x');
}

function allowed(role: Role, route: StaffRouteInfo): boolean {
  if (typeof route.requires !== 'object') return true;
  const p = route.requires.permission;
  return p === null || ROLE_PERMISSIONS[role].includes(p);
}

describe('access matrix: every role against every /staff route', () => {
  let h: Harness;
  let routes: readonly StaffRouteInfo[];
  const sessions = new Map<Role, StaffSession>();
  before(async () => {
    h = await createHarness();
    await h.app.ready();
    routes = staffRoutesOf(h.app);
    for (const role of ROLES) sessions.set(role, await signIn(h, await createStaffUser(h, { roles: [role] })));
  });
  after(async () => {
    await h.close();
  });

  it('finds the staff routes, and every one is guarded or deliberately public', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    for (const expected of ['GET /staff', 'GET /staff/users', 'POST /staff/users/new', 'POST /staff/users/:id/disable', 'GET /staff/audit', 'GET /staff/sign-in']) {
      assert.ok(urls.includes(expected), `${expected} is registered`);
    }
    const unguarded = routes.filter((r) => r.requires === 'unguarded').map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(unguarded, [], 'every /staff route uses requireStaff(...) or config.staffPublic');
  });

  it('without a session, every protected route sends the user to sign in', async () => {
    const page = await h.app.inject({ url: '/staff/sign-in' });
    const publicToken = csrfFrom(page.body);
    for (const route of routes.filter((r) => typeof r.requires === 'object')) {
      const url = concrete(route.url);
      const res =
        route.method === 'GET'
          ? await h.app.inject({ url, headers: { accept: 'text/html' } })
          : await h.app.inject({ method: route.method as 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: form({ _csrf: publicToken }) });
      assert.equal(res.statusCode, 303, `${route.method} ${route.url} without a session`);
      assert.match(String(res.headers.location), /^\/staff\/sign-in\?returnTo=/, `${route.method} ${route.url} redirects to sign-in`);
    }
  });

  for (const role of ROLES) {
    it(`role ${role}: allowed where the permission table allows, 403 elsewhere`, async () => {
      const s = sessions.get(role)!;
      const problems: string[] = [];
      let tried = 0;
      for (const route of routes.filter((r) => typeof r.requires === 'object')) {
        const url = concrete(route.url);
        const res = route.method === 'GET' ? await s.get(url, { headers: { accept: 'text/html' } }) : await s.post(url, {});
        tried += 1;
        const expectOk = allowed(role, route);
        const status = res.statusCode;
        const toSignIn = /^\/staff\/sign-in/.test(String(res.headers.location ?? ''));
        const ok = expectOk
          ? status !== 401 && status !== 403 && status < 500 && !toSignIn && (route.method !== 'GET' || route.url.includes(':') || status === 200 || (status >= 300 && status < 400))
          : status === 403;
        if (!ok) problems.push(`${route.method} ${route.url} -> ${status}${toSignIn ? ' (to sign-in)' : ''}, expected ${expectOk ? 'allowed' : '403'}`);
      }
      assert.ok(tried > 0);
      assert.deepEqual(problems, [], `role ${role}`);
      // The session survived the whole matrix (no route signed it out).
      assert.equal((await s.get('/staff')).statusCode, 200);
    });
  }
});
