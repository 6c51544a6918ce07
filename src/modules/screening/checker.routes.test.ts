import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createHarness, csrfFrom, form, type Harness } from '../../testing/harness.ts';

type Fields = Record<string, string | string[]>;

const decode = (s: string): string =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden fields of the form posting to `action` on the page, as a browser would send them. */
function hiddenOf(html: string, action: string): Fields {
  const m = new RegExp(`<form method="post" action="${action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  assert.ok(m, `no form posting to ${action}`);
  const out: Fields = {};
  for (const f of (m[1] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    const name = decode(f[1] ?? '');
    const value = decode(f[2] ?? '');
    const prev = out[name];
    out[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return out;
}

/** The question the page asks (its main form's action), or undefined. */
const questionOn = (html: string): string | undefined =>
  /<form method="post" action="\/worried\/(who|age|vulnerabilities|signs|how-strong|missing|danger)"/.exec(html)?.[1];

const levelOn = (html: string): string | undefined => /Level: <strong class="govuk-tag[^"]*">\s*([A-Za-z]+)/.exec(html)?.[1]?.toLowerCase();
const routesOn = (html: string): string[] => [...html.matchAll(/<li id="route-([a-z0-9_]+)">/g)].map((m) => m[1] ?? '');
/** The href targets in the GOV.UK error summary. */
const errorHrefs = (html: string): string[] => {
  const summary = /govuk-error-summary[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1] ?? '');
};

interface Answers {
  kind: string;
  age: string;
  vulnerabilities: string[];
  signs: Array<[code: string, severity: string]>;
  missing: string;
  danger: string;
}

describe('"I\'m worried about someone" checker pages', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });

  const post = (url: string, fields: Fields): Promise<LightMyRequestResponse> =>
    h.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(fields) });

  /** Goes through the question pages as a person would, answering whatever each page asks. */
  async function walk(a: Answers): Promise<{ check: string; result: LightMyRequestResponse; asked: string[] }> {
    let res = await h.app.inject({ url: '/worried/who' });
    const asked: string[] = [];
    for (let i = 0; i < 10; i++) {
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['set-cookie'], undefined, 'no cookies');
      const q = questionOn(res.body);
      if (!q) break;
      asked.push(q);
      const fields: Fields = { ...hiddenOf(res.body, `/worried/${q}`) };
      if (q === 'who') fields.kind = a.kind;
      if (q === 'age') fields.age = a.age;
      if (q === 'vulnerabilities') fields.vulnerabilities = a.vulnerabilities.length ? a.vulnerabilities : 'none';
      if (q === 'signs') fields.signs = a.signs.length ? a.signs.map(([c]) => c) : 'none';
      if (q === 'how-strong') for (const [c, s] of a.signs) fields[`severity-${c}`] = s;
      if (q === 'missing') fields.missing = a.missing;
      if (q === 'danger') fields.danger = a.danger;
      res = await post(`/worried/${q}`, fields);
    }
    assert.match(res.body, /<h1 class="govuk-heading-l">Check your answers<\/h1>/);
    const check = res.body;
    const result = await post('/worried/result', hiddenOf(check, '/worried/result'));
    assert.equal(result.statusCode, 200, result.body);
    return { check, result, asked };
  }

  const base: Answers = { kind: 'child', age: '15', vulnerabilities: [], signs: [], missing: '0', danger: 'no' };

  it('asks one thing per page in order, and skips "how strong" when no sign is chosen', async () => {
    const { asked, result } = await walk(base);
    assert.deepEqual(asked, ['who', 'age', 'vulnerabilities', 'signs', 'missing', 'danger']);
    assert.equal(levelOn(result.body), 'low');
    const withSign = await walk({ ...base, signs: [['multiple_phones', 'low']] });
    assert.deepEqual(withSign.asked, ['who', 'age', 'vulnerabilities', 'signs', 'how-strong', 'missing', 'danger']);
  });

  it('a single high sign gives at least high', async () => {
    const { result } = await walk({ ...base, signs: [['weapons', 'high']] });
    assert.equal(levelOn(result.body), 'high');
    assert.match(result.body, /is a strong sign/);
    assert.equal(routesOn(result.body)[0], 'childrens_social_care');
  });

  it('a child under 13 with one low sign is never low', async () => {
    const { result } = await walk({ ...base, age: '11', signs: [['behaviour_change', 'low']] });
    assert.equal(levelOn(result.body), 'medium');
    assert.match(result.body, /Under 13: once there is any sign, this is never rated low/);
  });

  it('an adult with a learning disability and one low sign is never low', async () => {
    const { result } = await walk({ ...base, kind: 'adult', age: '34', vulnerabilities: ['learning_disability'], signs: [['financial_exploitation', 'low']] });
    assert.equal(levelOn(result.body), 'medium');
  });

  it('three missing episodes in 30 days gives at least high', async () => {
    const { result } = await walk({ ...base, missing: '3' });
    assert.equal(levelOn(result.body), 'high');
    assert.match(result.body, /went missing 3 times in the last 30 days/);
  });

  it('danger now is an emergency with 999 first in the route list, shown on check your answers too', async () => {
    const { check, result } = await walk({ ...base, signs: [['out_of_area', 'medium']], danger: 'yes' });
    assert.match(check, /You said someone is in danger right now. Call 999 now./);
    assert.equal(levelOn(result.body), 'emergency');
    assert.match(result.body, /Call 999 now\./);
    const routes = routesOn(result.body);
    assert.equal(routes[0], '999');
    assert.ok(routes.includes('btp_61016'), 'travelling out of area adds British Transport Police');
  });

  it('re-validates the whole state: tampered or skipped answers never give a result', async () => {
    const { check } = await walk({ ...base, signs: [['weapons', 'high']] });
    const good = hiddenOf(check, '/worried/result');
    const cases: Array<[string, Fields, string]> = [
      ['unknown sign code', { ...good, signs: ['weapons', 'not_a_sign'] }, 'signs'],
      ['emergency sign smuggled into the list', { ...good, signs: ['weapons', 'immediate_danger'], 'severity-immediate_danger': 'high' }, 'signs'],
      ['age "abc"', { ...good, age: 'abc' }, 'age'],
      ['age that does not match a child', { ...good, age: '30' }, 'age'],
      ['severity "extreme"', { ...good, 'severity-weapons': 'extreme' }, 'severity-weapons'],
      ['severity missing', Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'severity-weapons')), 'severity-weapons'],
      ['danger missing', Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'danger')), 'danger'],
      ['danger "maybe"', { ...good, danger: 'maybe' }, 'danger'],
      ['kind missing', Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'kind')), 'kind'],
      ['kind "alien"', { ...good, kind: 'alien' }, 'kind'],
      ['vulnerability derived from the age', { ...good, vulnerabilities: 'under_13' }, 'vulnerabilities'],
      ['"none" and a sign together', { ...good, signs: ['none', 'weapons'] }, 'signs'],
      ['missing "-1"', { ...good, missing: '-1' }, 'missing'],
      ['missing "lots"', { ...good, missing: 'lots' }, 'missing'],
      ['everything missing', { _csrf: good._csrf ?? '' }, 'kind'],
    ];
    for (const [name, fields, field] of cases) {
      for (const url of ['/worried/result', '/worried/summary.pdf', '/worried/check']) {
        const res = await post(url, fields);
        assert.equal(res.statusCode, 400, `${name} at ${url}: ${res.statusCode}`);
        assert.match(String(res.headers['content-type']), /text\/html/, `${name} at ${url}: no PDF`);
        assert.match(res.body, /There is a problem/, name);
        assert.deepEqual(errorHrefs(res.body), [field], `${name} at ${url}`);
        assert.match(res.body, new RegExp(`id="${field}-error"`), `${name}: the field shows its own error message`);
        assert.doesNotMatch(res.body, /What to do next, in this order/, `${name}: no result`);
      }
    }
  });

  it('sends a skipped question back with an error, but shows the next new question clean', async () => {
    const csrf = csrfFrom((await h.app.inject({ url: '/worried/who' })).body);
    // Straight to the last question with nothing before it: back to the first, with an error.
    const skipped = await post('/worried/danger', { _csrf: csrf, danger: 'no' });
    assert.equal(skipped.statusCode, 400);
    assert.equal(questionOn(skipped.body), 'who');
    assert.deepEqual(errorHrefs(skipped.body), ['kind']);
    // The usual next step: no error yet.
    const next = await post('/worried/who', { _csrf: csrf, kind: 'adult' });
    assert.equal(next.statusCode, 200);
    assert.equal(questionOn(next.body), 'age');
    assert.doesNotMatch(next.body, /There is a problem/);
    // An answer that is wrong on its own page stays there.
    const bad = await post('/worried/age', { ...hiddenOf(next.body, '/worried/age'), age: '12' });
    assert.equal(bad.statusCode, 400);
    assert.equal(questionOn(bad.body), 'age');
    assert.match(bad.body, /An adult is 18 or over/);
    assert.match(bad.body, /value="12"/, 'what was typed is kept');
  });

  it('a refresh re-posts the same answers and gives the same page; Back and Change keep every answer', async () => {
    const first = await h.app.inject({ url: '/worried/who' });
    const fields = { ...hiddenOf(first.body, '/worried/who'), kind: 'child' };
    const a = await post('/worried/who', fields);
    const b = await post('/worried/who', fields);
    assert.equal(questionOn(a.body), 'age');
    assert.equal(questionOn(b.body), 'age');
    const vuln = await post('/worried/age', { ...hiddenOf(a.body, '/worried/age'), age: '14' });
    assert.equal(questionOn(vuln.body), 'vulnerabilities');
    // Back (its own form carries every answer) shows the age page filled in.
    const back = await post('/worried/change', { ...hiddenOf(vuln.body, '/worried/change'), question: 'age' });
    assert.equal(questionOn(back.body), 'age');
    assert.match(back.body, /name="age" type="text" value="14"|value="14"/);

    // Change from check your answers: switching to "adult" sends you to the age, which no longer fits.
    const { check } = await walk({ ...base, signs: [['weapons', 'medium']] });
    const state = hiddenOf(check, '/worried/result');
    const change = await post('/worried/change', { ...state, question: 'who' });
    assert.equal(questionOn(change.body), 'who');
    assert.match(change.body, /value="child" checked/);
    const switched = await post('/worried/who', { ...hiddenOf(change.body, '/worried/who'), kind: 'adult' });
    assert.equal(switched.statusCode, 400, 'the page shows an error');
    assert.equal(questionOn(switched.body), 'age');
    assert.deepEqual(errorHrefs(switched.body), ['age']);
    // Fixing the age goes straight back to check your answers.
    const fixed = await post('/worried/age', { ...hiddenOf(switched.body, '/worried/age'), age: '19' });
    assert.match(fixed.body, /Check your answers<\/h1>/);
    // Adding a sign asks how strong it is, then returns to check your answers.
    const change2 = await post('/worried/change', { ...hiddenOf(fixed.body, '/worried/result'), question: 'signs' });
    const added = await post('/worried/signs', { ...hiddenOf(change2.body, '/worried/signs'), signs: ['weapons', 'cuckooing'] });
    assert.equal(questionOn(added.body), 'how-strong');
    assert.doesNotMatch(added.body, /There is a problem/);
    assert.match(added.body, /name="severity-weapons" type="radio" value="medium" checked/);
  });

  it('opening a later question by its address starts at the first question (answers are never in URLs)', async () => {
    const res = await h.app.inject({ url: '/worried/danger' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/worried/who');
  });

  it('gives professionals a referral summary PDF that is neither cached nor logged', async () => {
    const { result } = await walk({ ...base, age: '14', vulnerabilities: ['in_care'], signs: [['internal_concealment', 'high']], missing: '2' });
    const logsBefore = h.logs.length;
    const pdf = await post('/worried/summary.pdf', hiddenOf(result.body, '/worried/summary.pdf'));
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="referral-summary.pdf"$/);
    assert.equal(pdf.headers['cache-control'], 'no-store');
    assert.equal(pdf.headers['set-cookie'], undefined);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
    const newLogs = h.logs.slice(logsBefore).join('\n');
    assert.doesNotMatch(newLogs, /internal_concealment|in_care|severity/, 'answers are not logged');
  });

  it('refuses a form without the CSRF token', async () => {
    const res = await post('/worried/result', { kind: 'child', age: '15', vulnerabilities: 'none', signs: 'none', missing: '0', danger: 'no' });
    assert.equal(res.statusCode, 403);
  });
});

describe('sending a checker result to the triage inbox', () => {
  it('needs who the professional is, then puts the referral in the inbox', async () => {
    const h = await createHarness();
    try {
      const start = await h.app.inject({ url: '/worried/who' });
      const csrf = csrfFrom(start.body);
      const answers = { _csrf: csrf, kind: 'child', age: '12', vulnerabilities: 'none', signs: ['missing_from_home'], 'severity-missing_from_home': 'high', missing: '1', danger: 'no' };
      const missingWho = await h.app.inject({ method: 'POST', url: '/worried/refer', payload: form(answers), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(missingWho.statusCode, 400);
      assert.match(missingWho.body, /Enter your name/);
      const sent = await h.app.inject({
        method: 'POST',
        url: '/worried/refer',
        payload: form({ ...answers, referrerName: 'Dana Example', referrerOrganisation: 'Fylde Coast Learning Trust (demo)', referrerContact: 'dana@example.org' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(sent.statusCode, 200, sent.body);
      assert.match(sent.body, /Referral sent/);
      const { rows } = await h.container.platform.db.query<{ source_type: string; urgency: string }>(`SELECT source_type, urgency FROM triage_items`);
      assert.deepEqual(rows.map((r) => r.source_type), ['referral']);
      assert.equal(rows[0]!.urgency, 'high', 'a single high sign means at least high');
      const dump = JSON.stringify((await h.container.platform.db.query('SELECT * FROM triage_referrals')).rows);
      assert.doesNotMatch(dump, /Dana Example|dana@example\.org/, 'referrer details are sealed at rest');
    } finally {
      await h.close();
    }
  });
});
