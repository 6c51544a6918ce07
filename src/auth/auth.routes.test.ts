import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, cookieHeader, cookiesFrom, csrfFrom, form, type Harness } from '../testing/harness.ts';
import { SIGN_IN_FAILED, SIGN_IN_LOCKED } from './auth.service.ts';
import { codeFor, createStaffUser, signIn } from './testing.ts';
import { forgetUsedTotpStep } from './demo.ts';
import { SESSION_COOKIE } from './sessions.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Escaped as Nunjucks renders it. */
const html = (s: string) => s.replace(/'/g, '&#39;');

async function passwordStep(h: Harness, email: string, password: string, jar: Record<string, string> = {}, returnTo?: string) {
  const page = await h.app.inject({ url: `/staff/sign-in${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`, headers: { cookie: cookieHeader(jar) } });
  const res = await h.app.inject({
    method: 'POST',
    url: '/staff/sign-in',
    headers: { ...FORM, cookie: cookieHeader(jar) },
    payload: form({ _csrf: csrfFrom(page.body), email, password, ...(returnTo ? { returnTo } : {}) }),
  });
  cookiesFrom(res, jar);
  return res;
}

async function codeStep(h: Harness, code: string, jar: Record<string, string>) {
  const page = await h.app.inject({ url: '/staff/sign-in/code', headers: { cookie: cookieHeader(jar) } });
  const res = await h.app.inject({
    method: 'POST',
    url: '/staff/sign-in/code',
    headers: { ...FORM, cookie: cookieHeader(jar) },
    payload: form({ _csrf: csrfFrom(page.body), code }),
  });
  cookiesFrom(res, jar);
  return res;
}

describe('staff sign-in', () => {
  let h: Harness;
  let now = new Date('2030-03-04T09:00:00Z').getTime();
  before(async () => {
    h = await createHarness({ clock: () => new Date(now) });
  });
  after(async () => {
    await h.close();
  });

  it('signs in with password then TOTP code, with a new session id at each step (session fixation)', async () => {
    const user = await createStaffUser(h, { roles: ['viewer'] });
    const jar: Record<string, string> = { [SESSION_COOKIE]: 'attacker-planted-token-aaaaaaaaaaaaaaaaaaaa' };
    const first = await passwordStep(h, user.email, user.password, jar);
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, '/staff/sign-in/code');
    const pending = jar[SESSION_COOKIE];
    assert.ok(pending && pending !== 'attacker-planted-token-aaaaaaaaaaaaaaaaaaaa', 'a fresh session at the password step');
    const cookie = first.cookies.find((c) => c.name === SESSION_COOKIE && c.value === pending);
    assert.ok(cookie);
    assert.equal(cookie.path, '/staff');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.maxAge, undefined, 'a browser-session cookie');
    // Half signed in is not signed in.
    assert.equal((await h.app.inject({ url: '/staff', headers: { cookie: cookieHeader(jar) } })).statusCode, 303);
    await forgetUsedTotpStep(h.container.platform, user.id);
    const second = await codeStep(h, codeFor(h, user), jar);
    assert.equal(second.statusCode, 303);
    assert.equal(second.headers.location, '/staff');
    assert.notEqual(jar[SESSION_COOKIE], pending, 'a new session id once the code passes');
    const home = await h.app.inject({ url: '/staff', headers: { cookie: cookieHeader(jar) } });
    assert.equal(home.statusCode, 200);
    assert.match(home.body, new RegExp(html(user.name)));
    assert.match(home.body, /Test Constabulary/);
    assert.match(home.body, /Viewer/);
    // The pending session id no longer works.
    const old = await h.app.inject({ url: '/staff', headers: { cookie: `${SESSION_COOKIE}=${pending}` } });
    assert.equal(old.statusCode, 303);
    const rows = await h.container.platform.db.query<{ action: string; actor_id: string }>(`SELECT action, actor_id FROM audit_events WHERE action = 'signin.success' AND subject_id = $1`, [user.id]);
    assert.equal(rows.rows.length, 1);
    assert.equal(rows.rows[0]?.actor_id, user.id);
  });

  it('gives the same message for an unknown email, a wrong password and a wrong code, and stores no password', async () => {
    const user = await createStaffUser(h, { roles: ['viewer'] });
    const unknown = await passwordStep(h, 'nobody@nowhere.test', 'Secret-canary-password-1');
    const wrongPassword = await passwordStep(h, user.email, 'Secret-canary-password-2');
    const jar: Record<string, string> = {};
    assert.equal((await passwordStep(h, user.email, user.password, jar)).statusCode, 303);
    const wrongCode = await codeStep(h, codeFor(h, user) === '000000' ? '111111' : '000000', jar);
    for (const res of [unknown, wrongPassword, wrongCode]) {
      assert.equal(res.statusCode, 200);
      assert.ok(res.body.includes(SIGN_IN_FAILED), 'the one failure message');
    }
    const audit = await h.container.platform.db.query<{ detail: Record<string, unknown>; actor_id: string | null }>(`SELECT detail, actor_id FROM audit_events WHERE action = 'signin.failure'`);
    assert.ok(audit.rows.length >= 3);
    assert.ok(audit.rows.every((r) => r.actor_id === null));
    const dump = JSON.stringify(audit.rows);
    assert.doesNotMatch(dump, /Secret-canary|nobody@nowhere/, 'no password or email in the audit trail');
    assert.match(dump, /unknown_account/);
    assert.match(dump, /bad_password/);
    assert.match(dump, /bad_code/);
  });

  it('takes similar time for a wrong password and a wrong code (both cost one argon2 verification)', async () => {
    const user = await createStaffUser(h, { roles: ['viewer'] });
    const t0 = performance.now();
    await passwordStep(h, 'unknown-timing@nowhere.test', 'wrong-password-here');
    const unknownMs = performance.now() - t0;
    const jar: Record<string, string> = {};
    await passwordStep(h, user.email, user.password, jar);
    const t1 = performance.now();
    await codeStep(h, '123456', jar);
    const codeMs = performance.now() - t1;
    // Generous bounds: both do one argon2 verification; neither is near-instant.
    assert.ok(unknownMs > codeMs / 4 && codeMs > unknownMs / 4, `unknown ${unknownMs.toFixed(0)} ms vs code ${codeMs.toFixed(0)} ms`);
  });

  it('returns to the page asked for after sign-in, same-origin staff paths only', async () => {
    const user = await createStaffUser(h, { roles: ['admin'] });
    const asked = await h.app.inject({ url: '/staff/users?x=1' });
    assert.equal(asked.statusCode, 303);
    assert.equal(asked.headers.location, '/staff/sign-in?returnTo=%2Fstaff%2Fusers%3Fx%3D1');
    const s = await signIn(h, user, { returnTo: '/staff/users?x=1' });
    assert.equal(s.signInResponse.headers.location, '/staff/users?x=1');
    for (const evil of ['//evil.example', 'https://evil.example', '/\\evil.example', '/staff/../\\evil.example', 'javascript:alert(1)', '/%2F%2Fevil.example', '\t//evil.example']) {
      const t = await signIn(h, user, { returnTo: evil });
      const loc = String(t.signInResponse.headers.location);
      assert.ok(loc.startsWith('/staff') && !loc.startsWith('//') && !loc.includes('evil.example'), `returnTo ${evil} gave ${loc}`);
    }
    const page = await h.app.inject({ url: '/staff/sign-in?returnTo=https%3A%2F%2Fevil.example' });
    assert.doesNotMatch(page.body, /evil\.example/, 'not even carried in the form');
  });

  it('refuses form posts without the CSRF token or with a wrong one (403)', async () => {
    const user = await createStaffUser(h, { roles: ['admin'] });
    const s = await signIn(h, user);
    const target = await createStaffUser(h, { roles: ['viewer'] });
    const none = await h.app.inject({ method: 'POST', url: `/staff/users/${target.id}/disable`, headers: { ...FORM, cookie: s.cookie() }, payload: '' });
    assert.equal(none.statusCode, 403);
    const wrong = await h.app.inject({ method: 'POST', url: `/staff/users/${target.id}/disable`, headers: { ...FORM, cookie: s.cookie() }, payload: form({ _csrf: 's.not-the-token' }) });
    assert.equal(wrong.statusCode, 403);
    // A token from another session is wrong too.
    const other = await signIn(h, await createStaffUser(h, { roles: ['admin'] }));
    const crossed = await h.app.inject({ method: 'POST', url: `/staff/users/${target.id}/disable`, headers: { ...FORM, cookie: s.cookie() }, payload: form({ _csrf: other.csrf }) });
    assert.equal(crossed.statusCode, 403);
    const signInNoToken = await h.app.inject({ method: 'POST', url: '/staff/sign-in', headers: FORM, payload: form({ email: user.email, password: user.password }) });
    assert.equal(signInNoToken.statusCode, 403);
    const ok = await s.post(`/staff/users/${target.id}/disable`);
    assert.equal(ok.statusCode, 303);
  });

  it("a disabled user's live session stops working at once", async () => {
    const admin = await createStaffUser(h, { roles: ['admin'] });
    const victim = await createStaffUser(h, { roles: ['admin'] });
    const a = await signIn(h, admin);
    const v = await signIn(h, victim);
    assert.equal((await v.get('/staff/users')).statusCode, 200);
    // Disabled directly in the database (as another instance would): checked on every request.
    await h.container.platform.db.query('UPDATE users SET disabled = true WHERE id = $1', [victim.id]);
    const after = await v.get('/staff/users');
    assert.equal(after.statusCode, 303);
    assert.match(String(after.headers.location), /^\/staff\/sign-in/);
    await h.container.platform.db.query('UPDATE users SET disabled = false WHERE id = $1', [victim.id]);
    const v2 = await signIn(h, victim);
    assert.equal((await a.post(`/staff/users/${victim.id}/disable`)).statusCode, 303);
    assert.equal((await v2.get('/staff')).statusCode, 303, 'disabling through the UI ends the session too');
    // And they cannot sign in again.
    const res = await passwordStep(h, victim.email, victim.password);
    assert.ok(res.body.includes(SIGN_IN_FAILED));
  });

  it('ends all sessions of a user from the admin page', async () => {
    const admin = await createStaffUser(h, { roles: ['admin'] });
    const user = await createStaffUser(h, { roles: ['viewer'] });
    const a = await signIn(h, admin);
    const u1 = await signIn(h, user);
    const u2 = await signIn(h, user);
    const page = await a.get(`/staff/users/${user.id}`);
    assert.match(page.body, /Signed-in sessions[\s\S]*?2/);
    assert.equal((await a.post(`/staff/users/${user.id}/end-sessions`)).statusCode, 303);
    assert.equal((await u1.get('/staff')).statusCode, 303);
    assert.equal((await u2.get('/staff')).statusCode, 303);
    assert.equal((await a.get('/staff')).statusCode, 200, "the admin's own session is untouched");
  });

  it('expires idle sessions (30 min) and old ones (12 h); the user signs in and comes back', async () => {
    const user = await createStaffUser(h, { roles: ['admin'] });
    const s = await signIn(h, user);
    now += 29 * 60_000;
    assert.equal((await s.get('/staff/users')).statusCode, 200, 'still active inside the idle limit');
    now += 31 * 60_000;
    const expired = await s.get('/staff/audit?user=x');
    assert.equal(expired.statusCode, 303);
    assert.equal(expired.headers.location, '/staff/sign-in?returnTo=%2Fstaff%2Faudit%3Fuser%3Dx');
    const back = await signIn(h, user, { returnTo: '/staff/audit?user=x' });
    assert.equal(back.signInResponse.headers.location, '/staff/audit?user=x');
    // Absolute limit: active every 20 minutes, still ends after 12 hours.
    for (let i = 0; i < 35; i++) {
      now += 20 * 60_000;
      assert.equal((await back.get('/staff')).statusCode, 200, `still signed in after ${(i + 1) * 20} min`);
    }
    now += 20 * 60_000;
    assert.equal((await back.get('/staff')).statusCode, 303, 'ended at 12 hours');
  });

  it('signs out (POST) and the session no longer works', async () => {
    const user = await createStaffUser(h, { roles: ['viewer'] });
    const s = await signIn(h, user);
    const out = await s.post('/staff/sign-out');
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/staff/sign-in?signedOut=1');
    assert.equal((await s.get('/staff')).statusCode, 303);
    const rows = await h.container.platform.db.query(`SELECT 1 FROM audit_events WHERE action = 'signout' AND actor_id = $1`, [user.id]);
    assert.equal(rows.rows.length, 1);
  });

  it('signs in with a recovery code once only', async () => {
    const user = await createStaffUser(h, { roles: ['viewer'] });
    const { generateRecoveryCodes, hashToken, normaliseRecoveryCode } = await import('./auth.service.ts');
    const codes = generateRecoveryCodes(2);
    for (const c of codes) await h.container.platform.db.query('INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)', [user.id, hashToken(normaliseRecoveryCode(c))]);
    const use = async (code: string) => {
      const jar: Record<string, string> = {};
      await passwordStep(h, user.email, user.password, jar);
      const page = await h.app.inject({ url: '/staff/sign-in/recovery', headers: { cookie: cookieHeader(jar) } });
      assert.equal(page.statusCode, 200);
      return h.app.inject({ method: 'POST', url: '/staff/sign-in/recovery', headers: { ...FORM, cookie: cookieHeader(jar) }, payload: form({ _csrf: csrfFrom(page.body), code }) });
    };
    const ok = await use(codes[0]!.toUpperCase());
    assert.equal(ok.statusCode, 303);
    const again = await use(codes[0]!);
    assert.equal(again.statusCode, 200);
    assert.ok(again.body.includes(SIGN_IN_FAILED));
  });

  it('public pages set no cookies, even with a staff session', async () => {
    const s = await signIn(h, await createStaffUser(h, { roles: ['viewer'] }));
    for (const url of ['/', '/privacy', '/accessibility']) {
      const res = await h.app.inject({ url, headers: { cookie: s.cookie() } });
      assert.equal(res.headers['set-cookie'], undefined, url);
    }
    const signInPage = await h.app.inject({ url: '/staff/sign-in' });
    assert.equal(signInPage.headers['set-cookie'], undefined, 'the sign-in page sets no cookie before sign-in');
  });
});

describe('sign-in throttling', () => {
  let h: Harness;
  let now = new Date('2030-03-04T09:00:00Z').getTime();
  before(async () => {
    h = await createHarness({ clock: () => new Date(now) });
  });
  after(async () => {
    await h.close();
  });

  it('locks an account for 15 minutes after 5 failures, and unknown accounts alike', async () => {
    const user = await createStaffUser(h, { roles: ['viewer'] });
    const bodies: string[] = [];
    for (let i = 0; i < 5; i++) bodies.push((await passwordStep(h, user.email, `wrong-password-${i}`)).body);
    assert.ok(bodies.slice(0, 4).every((b) => b.includes(SIGN_IN_FAILED)));
    assert.ok(bodies[4]!.includes(html(SIGN_IN_LOCKED)), 'the fifth failure locks');
    // Even the right password is refused while locked.
    const locked = await passwordStep(h, user.email, user.password);
    assert.ok(locked.body.includes(html(SIGN_IN_LOCKED)));
    // An unknown email behaves the same, so a lock does not reveal an account.
    const ghost: string[] = [];
    for (let i = 0; i < 6; i++) ghost.push((await passwordStep(h, 'ghost@nowhere.test', `wrong-${i}`)).body);
    assert.ok(ghost[5]!.includes(html(SIGN_IN_LOCKED)));
    now += 16 * 60_000;
    const s = await signIn(h, user);
    assert.equal((await s.get('/staff')).statusCode, 200, 'unlocked after 15 minutes');
  });

  it('counts wrong codes towards the lock and ends the half-signed-in session', async () => {
    const user = await createStaffUser(h, { roles: ['viewer'] });
    const jar: Record<string, string> = {};
    assert.equal((await passwordStep(h, user.email, user.password, jar)).statusCode, 303);
    const right = codeFor(h, user);
    let last = '';
    for (let i = 0; i < 5; i++) last = (await codeStep(h, right === '000000' ? '999999' : '000000', jar)).body;
    assert.ok(last.includes(html(SIGN_IN_LOCKED)));
    const codePage = await h.app.inject({ url: '/staff/sign-in/code', headers: { cookie: cookieHeader(jar) } });
    assert.equal(codePage.statusCode, 303, 'back to the start');
  });
});
