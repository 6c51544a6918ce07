import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createHarness, csrfFrom, form, type Harness } from '../../testing/harness.ts';
import { actorHeader, installTestActor, staffActor } from './testing.ts';
import { createStaffUser, createTestAgency, signIn } from '../../auth/testing.ts';

function noCookies(res: LightMyRequestResponse): void {
  assert.equal(res.headers['set-cookie'], undefined, `no cookie on ${res.raw.req.url}`);
}

describe('live routes', () => {
  let h: Harness;
  const campaigns = actorHeader(staffActor());
  const other = actorHeader(staffActor({ userId: 'u-south', agencyId: 'agency-south' }));
  before(async () => {
    h = await createHarness();
    installTestActor(h.app);
  });
  after(async () => {
    await h.close();
  });

  async function startSession(deckId = 'parents-and-carers'): Promise<{ id: string; code: string }> {
    const page = await h.app.inject({ url: '/staff/live', headers: campaigns });
    assert.equal(page.statusCode, 200);
    const res = await h.app.inject({
      method: 'POST',
      url: '/staff/live',
      headers: { ...campaigns, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: csrfFrom(page.body), deckId }),
    });
    assert.equal(res.statusCode, 303, res.body);
    const id = String(res.headers.location).split('/').pop() ?? '';
    const s = await h.container.services.live.getSession(staffActor(), id);
    return { id, code: s.code };
  }

  async function control(id: string, action: string, headers = campaigns): Promise<LightMyRequestResponse> {
    const page = await h.app.inject({ url: `/staff/live/${id}`, headers });
    return h.app.inject({
      method: 'POST',
      url: `/staff/live/${id}/control`,
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ _csrf: csrfFrom(page.body), action }),
    });
  }

  async function join(code: string): Promise<string> {
    const res = await h.app.inject({ url: `/join?code=${code.toLowerCase()}` });
    assert.equal(res.statusCode, 303);
    noCookies(res);
    const loc = String(res.headers.location);
    assert.match(loc, new RegExp(`^/live/${code}/[A-Za-z0-9_-]{22}$`));
    return loc;
  }

  it('staff list, create and present: code, QR image and plain-form controls', async () => {
    const list = await h.app.inject({ url: '/staff/live', headers: campaigns });
    assert.match(list.body, /Start a session/);
    assert.match(list.body, /County lines - what parents and carers can spot/);
    const { id, code } = await startSession();
    const presenter = await h.app.inject({ url: `/staff/live/${id}`, headers: campaigns });
    assert.equal(presenter.statusCode, 200);
    assert.ok(presenter.body.includes(`>${code}<`));
    assert.match(presenter.body, /<img class="live-join__qr" src="data:image\/png;base64,/);
    assert.match(presenter.body, /value="next" name="action"/);
    assert.match(presenter.body, /live-presenter\.mjs" nonce="/);
    const next = await control(id, 'next');
    assert.equal(next.statusCode, 303);
    const q = await h.app.inject({ url: `/staff/live/${id}`, headers: campaigns });
    assert.match(q.body, /How confident are you/, /<h1[^]*?<\/h1>/.exec(q.body)?.[0]);
    assert.match(q.body, /Voting open/);
    assert.match(q.body, /live-bar--p0/);
  });

  it('works for a campaigns user signed in through the real staff sign-in', async () => {
    const user = await createStaffUser(h, { roles: ['campaigns'] });
    const s = await signIn(h, user);
    const created = await s.post('/staff/live', { deckId: 'professionals' });
    assert.equal(created.statusCode, 303, created.body);
    const page = await s.get(String(created.headers.location));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Join on your phone/);
    const id = String(created.headers.location).split('/').pop() ?? '';
    assert.equal((await s.post(`/staff/live/${id}/control`, { action: 'next' })).statusCode, 303);
    const list = await s.get('/staff/live');
    assert.ok(list.body.includes(`/staff/live/${id}`));
    // Another agency's signed-in campaigns user cannot see it.
    const otherUser = await createStaffUser(h, { roles: ['campaigns'], agencyId: (await createTestAgency(h)).id });
    const o = await signIn(h, otherUser);
    assert.equal((await o.get(`/staff/live/${id}`)).statusCode, 404);
  });

  it('guards staff routes: sign-in needed, other agencies get 404, bad ids 404', async () => {
    const { id } = await startSession();
    const anon = await h.app.inject({ url: `/staff/live/${id}` });
    assert.ok([302, 303, 401].includes(anon.statusCode));
    assert.equal((await h.app.inject({ url: `/staff/live/${id}`, headers: other })).statusCode, 404);
    assert.equal((await h.app.inject({ url: `/staff/live/${id}/results.csv`, headers: other })).statusCode, 404);
    assert.equal((await h.app.inject({ url: '/staff/live/not-a-uuid', headers: campaigns })).statusCode, 404);
    const triage = actorHeader(staffActor({ roles: ['triage'] }));
    assert.equal((await h.app.inject({ url: '/staff/live', headers: triage })).statusCode, 403);
    const bad = await control(id, 'explode');
    assert.equal(bad.statusCode, 400);
  });

  it('joins by code with no cookies and shows GOV.UK errors for unknown, malformed and expired codes', async () => {
    const page = await h.app.inject({ url: '/join' });
    assert.equal(page.statusCode, 200);
    noCookies(page);
    assert.match(page.body, /Join a live event/);
    const unknown = await h.app.inject({ url: '/join?code=ZZZZZZ' });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /govuk-error-summary/);
    assert.match(unknown.body, /href="#code"/);
    assert.match(unknown.body, /There is no event with that code/);
    const malformed = await h.app.inject({ url: '/join?code=%3Cscript%3E' });
    assert.equal(malformed.statusCode, 400);
    assert.ok(!malformed.body.includes('<script>'));
    // A stale attendee link to an unknown code goes back to /join with the message.
    const stale = await h.app.inject({ url: '/live/ZZZZZZ/AAAAAAAAAAAAAAAAAAAAAA' });
    assert.equal(stale.statusCode, 303);
    assert.equal(stale.headers.location, '/join?code=ZZZZZZ');
    assert.equal((await h.app.inject({ url: '/live/ZZZZZZ/short' })).statusCode, 404);
  });

  it('attendee answers with plain forms; repeat votes, bad options and votes after lock are refused with a message', async () => {
    const { id, code } = await startSession();
    const me = await join(code);
    const intro = await h.app.inject({ url: me });
    noCookies(intro);
    assert.match(intro.body, /<h1 class="govuk-heading-l">Welcome<\/h1>/);
    assert.match(intro.body, /Check for the next question/);
    assert.match(intro.body, /live-attendee\.mjs" nonce="/);
    await control(id, 'next');
    const q = await h.app.inject({ url: me });
    assert.match(q.body, /name="option"/);
    const csrf = csrfFrom(q.body);
    const vote = (option: string | undefined, path = me) =>
      h.app.inject({
        method: 'POST',
        url: `${path}/vote`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: csrf, questionId: 'confidence-before', ...(option ? { option } : {}) }),
      });
    const missing = await vote(undefined);
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /govuk-error-summary/);
    assert.match(missing.body, /href="#option"/);
    const ok = await vote('3');
    assert.equal(ok.statusCode, 303);
    noCookies(ok);
    const after = await h.app.inject({ url: me });
    assert.match(after.body, /Thank you, your answer is in/);
    const again = await vote('5');
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /You have already answered this question/);
    await control(id, 'lock');
    const other = await join(code);
    const locked = await vote('1', other);
    assert.equal(locked.statusCode, 409);
    assert.match(locked.body, /Voting on this question has closed/);
    // JSON clients (the benchmark, scripts) get the same answers as JSON, never a 500.
    await control(id, 'unlock');
    const j = await h.app.inject({ method: 'POST', url: `${other}/vote`, payload: { questionId: 'confidence-before', option: '2' } });
    assert.equal(j.statusCode, 200);
    assert.deepEqual(j.json(), { ok: true, votes: 1 });
    const jr = await h.app.inject({ method: 'POST', url: `${other}/vote`, payload: { questionId: 'confidence-before', option: '2' } });
    assert.equal(jr.statusCode, 409);
    assert.equal(jr.json().error, 'repeat');
    const junk = await h.app.inject({ method: 'POST', url: `${other}/vote`, payload: { questionId: 42, option: ['x'] } });
    assert.ok(junk.statusCode >= 400 && junk.statusCode < 500, String(junk.statusCode));
  });

  it('shows where to report and takes a private concern; floods are rate limited', async () => {
    const { id, code } = await startSession('professionals');
    await control(id, 'signposting');
    const me = await join(code);
    const page = await h.app.inject({ url: me });
    for (const n of ['999', '0800 555 111', '0800 1111', '0808 800 5000']) assert.ok(page.body.includes(n), n);
    assert.match(page.body, /href="\/report"/);
    assert.match(page.body, /I&#39;m worried about someone|I'm worried about someone/);
    const csrf = csrfFrom(page.body);
    const send = (concern: string) =>
      h.app.inject({ method: 'POST', url: `${me}/concern`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrf, concern }) });
    const empty = await send('');
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /href="#concern"/);
    const sent = await send('A child on my street is picked up by different cars every night');
    assert.equal(sent.statusCode, 303);
    noCookies(sent);
    const thanks = await h.app.inject({ url: String(sent.headers.location) });
    assert.match(thanks.body, /passed to the safeguarding team/);
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await send(`flood ${i}`)).statusCode;
    assert.equal(last, 429);
  });

  it('ending a session shows attendees the end page with signposting, and results and CSV to staff (audited)', async () => {
    const { id, code } = await startSession();
    const me = await join(code);
    await control(id, 'next');
    await h.app.inject({ method: 'POST', url: `${me}/vote`, payload: { questionId: 'confidence-before', option: '4' } });
    const end = await control(id, 'end');
    assert.equal(end.headers.location, `/staff/live/${id}/results`);
    const page = await h.app.inject({ url: me });
    assert.match(page.body, /This event has ended/);
    assert.match(page.body, /0800 555 111/);
    const results = await h.app.inject({ url: `/staff/live/${id}/results`, headers: campaigns });
    assert.equal(results.statusCode, 200);
    assert.match(results.body, /Confidence before and after/);
    const csv = await h.app.inject({ url: `/staff/live/${id}/results.csv`, headers: campaigns });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(String(csv.headers['content-disposition']), new RegExp(`attachment; filename="live-results-${code}-`));
    assert.match(csv.body, /confidence-before,confidence,spot-signs,before,.*,4,4,,1\r\n/);
    const audit = await h.container.platform.db.query("SELECT 1 FROM audit_events WHERE action = 'live.results.export' AND subject_id = $1", [id]);
    assert.equal(audit.rows.length, 1);
  });
});
