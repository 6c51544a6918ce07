import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import { staffActor } from './testing.ts';
import { voteGuard } from './live.service.ts';
import { CODE_ALPHABET } from './live.schema.ts';

const TOKEN_A = 'AAAAAAAAAAAAAAAAAAAAAA';
const TOKEN_B = 'BBBBBBBBBBBBBBBBBBBBBB';

describe('live service', () => {
  let h: Harness;
  let now = new Date('2030-03-01T18:00:00Z');
  const campaigns = staffActor();
  const otherAgency = staffActor({ userId: 'user-2', agencyId: 'agency-south' });
  const triage = staffActor({ userId: 'user-3', roles: ['triage'] });
  before(async () => {
    h = await createHarness({ clock: () => now });
  });
  after(async () => {
    await h.close();
  });
  const live = () => h.container.services.live;

  it('creates a session with a 6-character unambiguous code, audited, for the creator\'s agency', async () => {
    const s = await live().createSession(campaigns, { deckId: 'parents-and-carers' });
    assert.match(s.code, new RegExp(`^[${CODE_ALPHABET}]{6}$`));
    assert.doesNotMatch(s.code, /[01OIL]/);
    assert.equal(s.agencyId, 'agency-north');
    assert.equal(s.status, 'live');
    assert.equal(s.expiresAt.getTime() - s.createdAt.getTime(), 24 * 3600 * 1000);
    const { rows } = await h.container.platform.db.query<{ action: string; subject_id: string }>("SELECT action, subject_id FROM audit_events WHERE action = 'live.session.create'");
    assert.deepEqual(rows.map((r) => r.subject_id), [s.id]);
    const view = await live().presenterView(campaigns, s.id);
    assert.match(view.qrDataUrl, /^data:image\/png;base64,/);
    assert.equal(view.joinUrl, `${h.config.baseUrl}/join?code=${s.code}`);
  });

  it('refuses other roles and hides sessions from other agencies (404)', async () => {
    const s = await live().createSession(campaigns, { deckId: 'professionals' });
    await assert.rejects(live().createSession(triage, { deckId: 'professionals' }), ForbiddenError);
    await assert.rejects(live().presenterView(otherAgency, s.id), NotFoundError);
    await assert.rejects(live().results(otherAgency, s.id), NotFoundError);
    await assert.rejects(live().control(otherAgency, s.id, 'next'), NotFoundError);
    assert.ok(!(await live().listSessions(otherAgency)).some((x) => x.id === s.id));
    assert.ok((await live().listSessions(campaigns)).some((x) => x.id === s.id));
    await assert.rejects(live().createSession(campaigns, { deckId: 'nope' }), ValidationError);
  });

  it('counts votes on the current question only, refuses repeats, votes after lock and bad options', async () => {
    const s = await live().createSession(campaigns, { deckId: 'parents-and-carers' });
    // Slide 0 is the intro: nothing to vote on.
    assert.deepEqual(await live().vote(s.code, TOKEN_A, { questionId: 'confidence-before', option: '2' }), {
      ok: false,
      reason: 'moved_on',
      message: 'The presenter has moved on. Here is the current slide.',
    });
    await live().control(campaigns, s.id, 'next'); // confidence-before
    await live().control(campaigns, s.id, 'next'); // who-is-targeted
    const r1 = await live().vote(s.code, TOKEN_A, { questionId: 'who-is-targeted', option: 'b' });
    assert.deepEqual(r1, { ok: true, votes: 1 });
    const repeat = await live().vote(s.code, TOKEN_A, { questionId: 'who-is-targeted', option: 'a' });
    assert.equal(repeat.ok, false);
    assert.equal(!repeat.ok && repeat.reason, 'repeat');
    const bad = await live().vote(s.code, TOKEN_B, { questionId: 'who-is-targeted', option: 'zzz' });
    assert.equal(!bad.ok && bad.reason, 'invalid_option');
    const none = await live().vote(s.code, TOKEN_B, { questionId: 'who-is-targeted' });
    assert.equal(!none.ok && none.reason, 'invalid_option');
    const wrongQ = await live().vote(s.code, TOKEN_B, { questionId: 'gifts', option: 'yes' });
    assert.equal(!wrongQ.ok && wrongQ.reason, 'moved_on');
    await live().control(campaigns, s.id, 'lock');
    const locked = await live().vote(s.code, TOKEN_B, { questionId: 'who-is-targeted', option: 'a' });
    assert.equal(!locked.ok && locked.reason, 'locked');
    await live().control(campaigns, s.id, 'unlock');
    assert.deepEqual(await live().vote(s.code, TOKEN_B, { questionId: 'who-is-targeted', option: 'a' }), { ok: true, votes: 1 });
    const view = await live().presenterView(campaigns, s.id);
    assert.deepEqual(view.question?.options.map((o) => [o.id, o.votes]), [['a', 1], ['b', 1], ['c', 0]]);
    assert.equal(view.question?.total, 2);
    // The attendee page knows this token has answered, without storing the token.
    assert.equal((await live().attendeeView(s.code, TOKEN_A)).hasVoted, true);
    assert.equal((await live().attendeeView(s.code, 'CCCCCCCCCCCCCCCCCCCCCC')).hasVoted, false);
    // Reveal closes voting.
    await live().control(campaigns, s.id, 'reveal');
    const afterReveal = await live().vote(s.code, 'DDDDDDDDDDDDDDDDDDDDDD', { questionId: 'who-is-targeted', option: 'a' });
    assert.equal(!afterReveal.ok && afterReveal.reason, 'locked');
  });

  it('keeps only aggregates: counts per option and one-way guard hashes, deleted when the session ends', async () => {
    const s = await live().createSession(campaigns, { deckId: 'parents-and-carers' });
    await live().control(campaigns, s.id, 'next');
    await live().vote(s.code, TOKEN_A, { questionId: 'confidence-before', option: '2' });
    await live().vote(s.code, TOKEN_B, { questionId: 'confidence-before', option: '4' });
    const db = h.container.platform.db;
    const guards = await db.query<{ guard: string }>('SELECT * FROM live_vote_guards WHERE session_id = $1', [s.id]);
    assert.deepEqual(Object.keys(guards.rows[0] ?? {}).sort(), ['guard', 'session_id']);
    assert.ok(guards.rows.some((g) => g.guard === voteGuard(s.id, TOKEN_A, 'confidence-before')));
    // Nothing anywhere holds the attendee token itself.
    for (const table of ['live_sessions', 'live_counts', 'live_vote_guards', 'audit_events']) {
      const dump = JSON.stringify((await db.query(`SELECT * FROM ${table}`)).rows);
      assert.ok(!dump.includes(TOKEN_A), `${table} holds no token`);
    }
    const counts = await db.query('SELECT question_id, option_id, votes FROM live_counts WHERE session_id = $1 ORDER BY option_id', [s.id]);
    assert.deepEqual(counts.rows, [
      { question_id: 'confidence-before', option_id: '2', votes: 1 },
      { question_id: 'confidence-before', option_id: '4', votes: 1 },
    ]);
    await live().control(campaigns, s.id, 'end');
    assert.equal((await db.query('SELECT 1 FROM live_vote_guards WHERE session_id = $1', [s.id])).rows.length, 0);
    const ended = await live().vote(s.code, 'EEEEEEEEEEEEEEEEEEEEEE', { questionId: 'confidence-before', option: '1' });
    assert.equal(!ended.ok && ended.reason, 'ended');
    assert.equal((await live().getSession(campaigns, s.id)).status, 'ended');
    // New joins are turned away with a message; someone already in can still send a concern.
    await assert.rejects(live().joinCode(s.code), (e: unknown) => e instanceof ValidationError && /has ended/.test(e.errors[0]?.message ?? ''));
    await live().disclose(s.code, { concern: 'Worried about a fictional neighbour after the event ended' });
  });

  it('measures confidence before and after, and exports CSV with an audit record', async () => {
    const s = await live().createSession(campaigns, { deckId: 'parents-and-carers' });
    await live().control(campaigns, s.id, 'next');
    const tokens = ['FFFFFFFFFFFFFFFFFFFFF1', 'FFFFFFFFFFFFFFFFFFFFF2', 'FFFFFFFFFFFFFFFFFFFFF3'];
    for (const [i, t] of tokens.entries()) await live().vote(s.code, t, { questionId: 'confidence-before', option: String(i + 1) });
    for (let i = 0; i < 6; i++) await live().control(campaigns, s.id, 'next');
    assert.equal((await live().presenterView(campaigns, s.id)).slide.id, 'confidence-after');
    for (const t of tokens) await live().vote(s.code, t, { questionId: 'confidence-after', option: '4' });
    const r = await live().results(campaigns, s.id);
    const c = r.confidence[0];
    assert.ok(c);
    assert.deepEqual(c.before.histogram, [1, 1, 1, 0, 0]);
    assert.equal(c.before.mean, 2);
    assert.equal(c.after.mean, 4);
    assert.equal(c.shift, 2);
    const { csv, filename } = await live().exportCsv(campaigns, s.id);
    assert.match(filename, new RegExp(`^live-results-${s.code}-2030-03-01\\.csv$`));
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'session_code,deck_id,question_id,kind,confidence_pair,confidence_phase,question,option_id,option,correct,votes');
    assert.ok(lines.includes(`${s.code},parents-and-carers,confidence-after,confidence,spot-signs,after,"Now, how confident are you that you would spot a child being exploited by a county line?",4,4,,3`), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith(`${s.code},parents-and-carers,who-is-targeted,multiple_choice,,,`) && l.endsWith(',b,14 to 17,true,0')));
    const audit = await h.container.platform.db.query<{ subject_id: string }>("SELECT subject_id FROM audit_events WHERE action = 'live.results.export'");
    assert.ok(audit.rows.some((a) => a.subject_id === s.id));
  });

  it('refuses unknown and expired codes with a message on the code field', async () => {
    const s = await live().createSession(campaigns, { deckId: 'professionals' });
    assert.equal(await live().joinCode(s.code.toLowerCase()), s.code);
    await assert.rejects(live().joinCode('ZZZZZZ'), (e: unknown) => e instanceof ValidationError && e.errors[0]?.field === 'code' && /no event with that code/.test(e.errors[0].message));
    await assert.rejects(live().joinCode('O0O0'), (e: unknown) => e instanceof ValidationError && /6 letters/.test(e.errors[0]?.message ?? ''));
    const was = now;
    now = new Date(was.getTime() + 25 * 3600 * 1000);
    try {
      await assert.rejects(live().joinCode(s.code), (e: unknown) => e instanceof ValidationError && /expired/.test(e.errors[0]?.message ?? ''));
      // An expired code can be handed out again.
      const again = await live().createSession(campaigns, { deckId: 'professionals' });
      assert.equal(again.status, 'live');
    } finally {
      now = was;
    }
  });

  it('stores disclosures sealed, flagged as from the event, listed only with report:read and audited', async () => {
    const s = await live().createSession(campaigns, { deckId: 'parents-and-carers' });
    const secret = 'My neighbour Jo Fictional has strangers visiting all night';
    await live().disclose(s.code, { concern: `  ${secret}  ` });
    await assert.rejects(live().disclose(s.code, { concern: '   ' }), (e: unknown) => e instanceof ValidationError && e.errors[0]?.field === 'concern');
    const raw = JSON.stringify((await h.container.platform.db.query('SELECT * FROM live_disclosures')).rows);
    assert.ok(!raw.includes('strangers'), 'text is not stored in clear');
    await assert.rejects(live().listDisclosures(campaigns), ForbiddenError);
    const list = await live().listDisclosures(triage, { sessionId: s.id });
    assert.equal(list.length, 1);
    assert.equal(list[0]?.text, secret);
    assert.equal(list[0]?.source, 'live_event');
    assert.equal(list[0]?.deckId, 'parents-and-carers');
    assert.equal(list[0]?.sessionId, s.id);
    assert.equal((await live().listDisclosures(staffActor({ roles: ['triage'], agencyId: 'agency-south' }), { sessionId: s.id })).length, 0);
    const audit = await h.container.platform.db.query<{ detail: { ids: string[] } }>("SELECT detail FROM audit_events WHERE action = 'live.disclosure.view' ORDER BY seq");
    assert.deepEqual(audit.rows[0]?.detail.ids, [list[0]?.id]);
    assert.equal((await live().results(campaigns, s.id)).disclosures, 1);

    // After commit the intake job puts it in the owning agency's triage inbox, flagged as from
    // the event, and the triage officer opens it and reads the words the attendee wrote.
    await h.container.platform.jobs.drain();
    const inbox = h.container.services.triage.inbox;
    const item = (await inbox.list(triage, { q: '', area: '', status: '', urgency: '', indicator: '', agency: '', matches: false, page: 1 })).items.find((i) => i.sourceType === 'disclosure' && i.sourceId === list[0]?.id);
    assert.ok(item, 'the disclosure is in the inbox');
    const view = await inbox.get(triage, item.id);
    assert.deepEqual(view.original, { kind: 'disclosure', text: secret, deckId: 'parents-and-carers' });
  });
});
