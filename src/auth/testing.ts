/**
 * Test helpers for any module's route tests: make staff users and sign them in through the real
 * sign-in and TOTP routes, then make requests as them.
 *
 *   const admin = await createStaffUser(h, { roles: ['admin'] });
 *   const s = await signIn(h, admin);
 *   const res = await s.get('/staff/users');
 *   const res2 = await s.post('/staff/users/new', { name: 'A', email: 'a@x.test', roles: ['viewer'] });
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { cookieHeader, cookiesFrom, csrfFrom, form, type Harness } from '../testing/harness.ts';
import type { Role } from './permissions.ts';
import type { AgencyKind } from './auth.repository.ts';
import { createEnrolledUser, forgetUsedTotpStep, type EnrolledUser } from './demo.ts';
import { cliActor } from './cli-context.ts';
import { totpCode } from './totp.ts';

export type TestStaffUser = EnrolledUser;

/** Adds an agency (name defaults to a unique "Test agency ..."). */
export async function createTestAgency(h: Harness, opts: { name?: string; kind?: AgencyKind; area?: string } = {}): Promise<{ id: string; name: string }> {
  const agency = await h.container.services.auth.agencies.add(cliActor('test'), {
    name: opts.name ?? `Test agency ${randomBytes(4).toString('hex')}`,
    kind: opts.kind ?? 'police',
    area: opts.area ?? 'Lancashire',
  });
  return { id: agency.id, name: agency.name };
}

const defaultAgency = new WeakMap<Harness, Promise<{ id: string }>>();

/** A fully enrolled staff user (password and TOTP set). Without `agencyId`, one shared test agency per harness. */
export async function createStaffUser(
  h: Harness,
  opts: { roles: Role[]; agencyId?: string; email?: string; name?: string; password?: string; disabled?: boolean },
): Promise<TestStaffUser> {
  let agencyId = opts.agencyId;
  if (!agencyId) {
    let p = defaultAgency.get(h);
    if (!p) {
      p = createTestAgency(h, { name: 'Test Constabulary' });
      defaultAgency.set(h, p);
    }
    agencyId = (await p).id;
  }
  const tag = randomBytes(4).toString('hex');
  return createEnrolledUser(h.container.platform, {
    email: opts.email ?? `${opts.roles.join('-')}-${tag}@test.lookout.test`,
    name: opts.name ?? `Test ${opts.roles.join(' ')} ${tag}`,
    roles: opts.roles,
    agencyId,
    ...(opts.password ? { password: opts.password } : {}),
    ...(opts.disabled ? { disabled: true } : {}),
  });
}

/** A signed-in browser-like session: cookie jar plus the session's CSRF token. */
export interface StaffSession {
  user: TestStaffUser;
  jar: Record<string, string>;
  /** The CSRF token bound to this session (send as `_csrf` in form posts). */
  csrf: string;
  /** The response of the final sign-in step (a 303 redirect). */
  signInResponse: LightMyRequestResponse;
  cookie(): string;
  get(url: string, opts?: Omit<InjectOptions, 'method' | 'url'>): Promise<LightMyRequestResponse>;
  /** Form POST with this session's cookie and CSRF token added. */
  post(url: string, fields?: Record<string, string | string[]>): Promise<LightMyRequestResponse>;
}

/** The current TOTP code for a test user, by the harness clock. */
export function codeFor(h: Harness, user: Pick<TestStaffUser, 'totpSecret'>): string {
  return totpCode(user.totpSecret, h.container.platform.clock());
}

/** Signs in through GET/POST /staff/sign-in and POST /staff/sign-in/code. Throws if any step fails. */
export async function signIn(h: Harness, user: TestStaffUser, opts: { returnTo?: string } = {}): Promise<StaffSession> {
  const jar: Record<string, string> = {};
  const page = await h.app.inject({ url: '/staff/sign-in' });
  const first = await h.app.inject({
    method: 'POST',
    url: '/staff/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ _csrf: csrfFrom(page.body), email: user.email, password: user.password, ...(opts.returnTo ? { returnTo: opts.returnTo } : {}) }),
  });
  assert.equal(first.statusCode, 303, `password step failed for ${user.email}: ${first.statusCode}`);
  cookiesFrom(first, jar);
  const codePage = await h.app.inject({ url: '/staff/sign-in/code', headers: { cookie: cookieHeader(jar) } });
  assert.equal(codePage.statusCode, 200, 'code page');
  // A TOTP code is accepted once; tests may sign the same user in twice within 30 seconds.
  await forgetUsedTotpStep(h.container.platform, user.id);
  const second = await h.app.inject({
    method: 'POST',
    url: '/staff/sign-in/code',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    payload: form({ _csrf: csrfFrom(codePage.body), code: codeFor(h, user) }),
  });
  assert.equal(second.statusCode, 303, `code step failed for ${user.email}: ${second.statusCode}`);
  cookiesFrom(second, jar);
  const home = await h.app.inject({ url: '/staff', headers: { cookie: cookieHeader(jar) } });
  assert.equal(home.statusCode, 200, 'staff home after sign-in');
  const csrf = csrfFrom(home.body);
  const session: StaffSession = {
    user,
    jar,
    csrf,
    signInResponse: second,
    cookie: () => cookieHeader(jar),
    get: (url, o = {}) => h.app.inject({ ...o, method: 'GET', url, headers: { ...(o.headers ?? {}), cookie: cookieHeader(jar) } }),
    post: (url, fields = {}) =>
      h.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
        payload: form({ _csrf: csrf, ...fields }),
      }),
  };
  return session;
}
