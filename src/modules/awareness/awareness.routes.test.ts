import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createHarness, csrfFrom, form, type Harness } from '../../testing/harness.ts';
import { loadContent } from './content.ts';

const content = loadContent(fileURLToPath(new URL('../../../content', import.meta.url)));
const titleOf = (html: string): string => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
const h1Of = (html: string): string => /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1]?.replace(/<[^>]+>/g, '').trim() ?? '';
const unescape = (s: string): string => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('Spot the signs, scenarios, quiz and directory pages', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });

  const get = (url: string) => h.app.inject({ url });
  const post = (url: string, fields: Record<string, string>) =>
    h.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(fields) });

  const publicPages = [
    '/spot-the-signs',
    ...content.pathways.map((p) => `/spot-the-signs/${p.id}`),
    '/spot-the-signs/signs',
    '/spot-the-signs/slang',
    '/scenarios',
    ...content.scenarios.map((s) => `/scenarios/${s.id}`),
    ...content.scenarios.flatMap((s) => s.steps.map((st) => `/scenarios/${s.id}/${st.id}`)),
    '/quiz',
    ...content.quiz.questions.map((_q, i) => `/quiz/${i + 1}`),
    '/quiz/result?score=4',
    '/directory',
    '/worried',
    '/worried/who',
  ];

  it('every public page is 200 with Exit this page, no cookie, no third-party address and a unique title', async () => {
    const titles = new Map<string, string>();
    for (const url of publicPages) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['set-cookie'], undefined, `${url} sets no cookie`);
      assert.match(res.body, /govuk-exit-this-page/, `${url} has Exit this page`);
      // Only this origin is loaded from: scripts, styles, images.
      for (const m of res.body.matchAll(/<(?:script|link|img)\b[^>]*(?:src|href)="([^"]+)"/g)) {
        assert.ok(m[1]?.startsWith('/'), `${url} loads ${m[1]}`);
      }
      const title = titleOf(res.body);
      assert.ok(!titles.has(title), `${url} and ${titles.get(title)} share the title "${title}"`);
      titles.set(title, url);
    }
  });

  it('unknown guides, scenarios, steps and quiz questions are 404', async () => {
    for (const url of ['/spot-the-signs/aliens', '/scenarios/nope', '/scenarios/parent-cash-missing/nope', '/quiz/999', '/quiz/abc']) {
      assert.equal((await get(url)).statusCode, 404, url);
    }
  });

  it('a guide shows its signs with explanations, what to do and the routes with contacts', async () => {
    for (const p of content.pathways) {
      const res = await get(`/spot-the-signs/${p.id}`);
      for (const code of p.signs) {
        const ind = content.indicators.find((i) => i.code === code);
        assert.ok(ind);
        assert.ok(unescape(res.body).includes(ind.explanation.trim()), `${p.id}: explains ${code}`);
      }
      for (const r of p.routes) {
        const route = content.routes.find((x) => x.id === r);
        assert.ok(route && unescape(res.body).includes(route.contact), `${p.id}: route ${r} with its contact`);
      }
    }
  });

  it('the sign library lists every code with its explanation, examples and source', async () => {
    const html = unescape((await get('/spot-the-signs/signs')).body);
    for (const ind of content.indicators) {
      assert.match(html, new RegExp(`<code>${ind.code}</code>`));
      assert.ok(html.includes(ind.explanation.trim()), ind.code);
      for (const e of ind.examples) assert.ok(html.includes(e), `${ind.code}: ${e}`);
      assert.ok(html.includes(ind.source), `${ind.code}: source`);
    }
  });

  it('the directory shows the illustrative notice and every contact', async () => {
    const html = unescape((await get('/directory')).body);
    for (const d of content.directories) {
      if (d.illustrative) {
        assert.match(html, /Important: these contacts are examples/);
        assert.ok(d.notice && html.includes(d.notice.trim()));
      }
      for (const c of d.contacts) assert.ok(html.includes(c.phone), c.phone);
    }
  });

  it('every scenario can be walked through its forms from the start to an ending, trying every choice', async () => {
    for (const s of content.scenarios) {
      const start = await get(`/scenarios/${s.id}`);
      const first = /href="(\/scenarios\/[^"]+)" role="button"/.exec(start.body)?.[1];
      assert.equal(first, `/scenarios/${s.id}/${s.steps[0]?.id}`);
      // Breadth first over every choice, following each Continue link, as a reader without JavaScript would.
      const seen = new Set<string>([first]);
      const queue = [first];
      const endings = new Set<string>();
      while (queue.length) {
        const url = queue.shift() ?? '';
        const page = await get(url);
        assert.equal(page.statusCode, 200, url);
        if (/<h1 class="govuk-heading-xl">The end<\/h1>/.test(page.body)) {
          endings.add(url);
          assert.match(page.body, /<li id="route-/, `${url}: an ending signposts routes`);
          continue;
        }
        const csrf = csrfFrom(page.body);
        const choices = [...page.body.matchAll(/name="choice" type="radio" value="([^"]+)"/g)].map((m) => m[1] ?? '');
        assert.ok(choices.length >= 2, `${url} offers choices`);
        for (const choice of choices) {
          const fb = await post(url, { _csrf: csrf, choice });
          assert.equal(fb.statusCode, 200, `${url} ${choice}`);
          assert.match(fb.body, /Good choice|Partly right|Not the best choice/);
          const next = /<a href="(\/scenarios\/[^"]+)" role="button"[^>]*>Continue<\/a>/.exec(fb.body)?.[1];
          assert.ok(next, `${url} ${choice}: Continue`);
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      assert.ok(endings.size >= 1, `${s.id} reaches an ending`);
      assert.equal(seen.size, s.steps.length, `${s.id}: every step is reachable through the forms`);
    }
  });

  it('a scenario step posted without a choice shows the error summary and keeps the question', async () => {
    const s = content.scenarios[0];
    assert.ok(s);
    const url = `/scenarios/${s.id}/${s.steps[0]?.id}`;
    const csrf = csrfFrom((await get(url)).body);
    for (const fields of [{ _csrf: csrf }, { _csrf: csrf, choice: 'not-a-choice' }] as Array<Record<string, string>>) {
      const res = await post(url, fields);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /There is a problem/);
      assert.match(res.body, /href="#choice"/);
      assert.match(res.body, /id="choice-error"/);
    }
  });

  it('the quiz explains every answer and carries the score without cookies', async () => {
    const total = content.quiz.questions.length;
    let url = '/quiz/1';
    let expected = 0;
    for (const [i, q] of content.quiz.questions.entries()) {
      const page = await get(url);
      assert.equal(page.statusCode, 200, url);
      assert.equal(unescape(h1Of(page.body)), q.question.trim());
      // Alternate right and wrong answers.
      const right = i % 2 === 0;
      const wrongOption = q.options.find((o) => o.id !== q.answer);
      const choice = right ? q.answer : (wrongOption?.id ?? q.answer);
      const fb = await post(`/quiz/${i + 1}`, { _csrf: csrfFrom(page.body), score: /name="score" value="(\d+)"/.exec(page.body)?.[1] ?? '', answer: choice });
      assert.equal(fb.statusCode, 200);
      assert.equal(fb.headers['set-cookie'], undefined);
      assert.match(fb.body, right ? /<h1 class="govuk-heading-xl">Correct<\/h1>/ : /<h1 class="govuk-heading-xl">Not quite<\/h1>/);
      assert.ok(unescape(fb.body).includes(q.explanation.trim()), `explanation after question ${i + 1}`);
      if (right) expected++;
      const next = /<a href="([^"]+)" role="button"[^>]*>(?:Next question|See your score)<\/a>/.exec(fb.body)?.[1];
      assert.ok(next);
      url = unescape(next);
    }
    assert.equal(url, `/quiz/result?score=${expected}`);
    const result = await get(url);
    assert.match(result.body, new RegExp(`You got ${expected} out of ${total}`));
  });

  it('a quiz answer left out is an error; an edited score stays in range', async () => {
    const page = await get('/quiz/2?score=1');
    const res = await post('/quiz/2', { _csrf: csrfFrom(page.body), score: '1' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#answer"/);
    assert.match((await get('/quiz/2?score=999')).body, /name="score" value="1"/);
    assert.match((await get('/quiz/result?score=-5')).body, /You got 0 out of/);
  });
});
