import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authenticator } from 'otplib';
import { createHarness, cookieHeader, cookiesFrom, csrfFrom, form, type Harness } from '../testing/harness.ts';
import { createStaffUser, signIn } from './testing.ts';
import { totpCode } from './totp.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const decode = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('first sign-in: set-up link, password, authenticator, recovery codes', () => {
  let h: Harness;
  let now = new Date('2030-05-06T10:00:00Z').getTime();
  before(async () => {
    h = await createHarness({ clock: () => new Date(now) });
  });
  after(async () => {
    await h.close();
  });

  async function post(url: string, fields: Record<string, string>) {
    const page = await h.app.inject({ url: url.replace(/\/(password|authenticator)$/, '') });
    return h.app.inject({ method: 'POST', url, headers: FORM, payload: form({ _csrf: csrfFrom(page.body), ...fields }) });
  }

  it('an admin adds a user in the UI, who enrols and then signs in', async () => {
    const admin = await signIn(h, await createStaffUser(h, { roles: ['admin'] }));
    const added = await admin.post('/staff/users/new', { name: 'Priya Shah', email: 'priya.shah@test.lookout.test', roles: ['triage', 'viewer'] });
    assert.equal(added.statusCode, 200);
    const link = /<code id="setup-link">([^<]+)<\/code>/.exec(added.body)?.[1];
    assert.ok(link);
    const path = new URL(link).pathname;
    assert.equal(added.headers['set-cookie'], undefined);

    // Password policy, per NCSC: length and deny-list, re-rendered with GOV.UK errors.
    for (const [password, message] of [
      ['short', /12 characters or more/],
      ['password1234', /too common/],
      ['x'.repeat(257), /256 characters or fewer/],
    ] as const) {
      const res = await post(`${path}/password`, { password, confirmPassword: password });
      assert.equal(res.statusCode, 200);
      assert.match(decode(res.body), message);
      assert.match(res.body, /govuk-error-summary/);
    }
    const mismatch = await post(`${path}/password`, { password: 'marble kettle sunrise', confirmPassword: 'marble kettle sunrisE' });
    assert.match(mismatch.body, /Passwords do not match/);
    const ok = await post(`${path}/password`, { password: 'marble kettle sunrise', confirmPassword: 'marble kettle sunrise' });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, path);

    const enrol = await h.app.inject({ url: path });
    assert.match(enrol.body, /Set up your authenticator app/);
    assert.match(enrol.body, /<img src="data:image\/png;base64,/);
    const secret = /data-secret="([A-Z2-7]+)"/.exec(enrol.body)?.[1];
    assert.ok(secret);
    assert.equal((await h.app.inject({ url: path })).body.includes(secret), true, 'the same secret until confirmed');
    const stored = await h.container.platform.db.query<{ totp_pending_enc: string }>(`SELECT totp_pending_enc FROM users WHERE email = 'priya.shah@test.lookout.test'`);
    assert.ok(stored.rows[0]?.totp_pending_enc && !stored.rows[0].totp_pending_enc.includes(secret), 'encrypted at rest');

    const wrong = await post(`${path}/authenticator`, { code: '000000' === totpCode(secret, new Date(now)) ? '111111' : '000000' });
    assert.match(wrong.body, /The code is not correct/);
    const done = await post(`${path}/authenticator`, { code: authenticator.clone({ epoch: now }).generate(secret) });
    assert.equal(done.statusCode, 200);
    const codes = [...done.body.matchAll(/<li><code>([a-z2-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10);
    assert.equal((await h.app.inject({ url: path })).statusCode, 404, 'the link works once');

    // Sign in with password and the next code.
    now += 30_000;
    const jar: Record<string, string> = {};
    const page = await h.app.inject({ url: '/staff/sign-in' });
    const first = await h.app.inject({ method: 'POST', url: '/staff/sign-in', headers: FORM, payload: form({ _csrf: csrfFrom(page.body), email: 'Priya.Shah@test.lookout.test', password: 'marble kettle sunrise' }) });
    assert.equal(first.statusCode, 303);
    cookiesFrom(first, jar);
    const codePage = await h.app.inject({ url: '/staff/sign-in/code', headers: { cookie: cookieHeader(jar) } });
    const second = await h.app.inject({
      method: 'POST',
      url: '/staff/sign-in/code',
      headers: { ...FORM, cookie: cookieHeader(jar) },
      payload: form({ _csrf: csrfFrom(codePage.body), code: totpCode(secret, new Date(now)) }),
    });
    assert.equal(second.statusCode, 303);
    cookiesFrom(second, jar);
    const home = await h.app.inject({ url: '/staff', headers: { cookie: cookieHeader(jar) } });
    assert.match(home.body, /Priya Shah/);
    assert.match(home.body, /Triage officer, Viewer/);
    const actions = await h.container.platform.db.query<{ action: string }>(`SELECT action FROM audit_events ORDER BY seq`);
    const list = actions.rows.map((r) => r.action);
    for (const a of ['user.add', 'password.set', 'mfa.enrol', 'signin.success']) assert.ok(list.includes(a), a);
  });

  it('an expired or unknown set-up link says so', async () => {
    const admin = await signIn(h, await createStaffUser(h, { roles: ['admin'] }));
    const added = await admin.post('/staff/users/new', { name: 'Late Larry', email: 'late@test.lookout.test', roles: ['viewer'] });
    const path = new URL(/<code id="setup-link">([^<]+)<\/code>/.exec(added.body)![1]!).pathname;
    assert.equal((await h.app.inject({ url: path })).statusCode, 200);
    now += 73 * 3_600_000;
    const expired = await h.app.inject({ url: path });
    assert.equal(expired.statusCode, 404);
    assert.match(expired.body, /This set-up link does not work/);
    assert.equal((await h.app.inject({ url: '/staff/set-up/not-a-real-token-at-all-xxxx' })).statusCode, 404);
  });

  it('the users page lists only the own agency and the add form keeps what was typed on error', async () => {
    const admin = await signIn(h, await createStaffUser(h, { roles: ['admin'] }));
    const list = await admin.get('/staff/users');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Priya Shah/);
    const bad = await admin.post('/staff/users/new', { name: 'Keep Me', email: 'not-an-email', roles: [] });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /value="Keep Me"/);
    assert.match(bad.body, /Select at least one role/);
    const audit = await admin.get('/staff/audit?subject=&user=&from=2030-01-01&to=2031-01-01');
    assert.equal(audit.statusCode, 200);
    assert.match(audit.body, /user\.add/);
    const badDate = await admin.get('/staff/audit?from=yesterday');
    assert.equal(badDate.statusCode, 400);
    assert.match(badDate.body, /Enter the start date/);
  });
});
