import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { axeViolations, describeViolations, startBrowserEnv, verifyOnPage, type BrowserEnv } from './support.ts';
import { createStaffUser, signIn } from '../../src/auth/testing.ts';
import type { StaffActor } from '../../src/auth/access.ts';

// axe runs in the page, so it is checked on the JavaScript-on pass (the markup is the same).
const scriptsOff = new WeakSet<Page>();

async function expectAxeClean(page: Page, where: string): Promise<void> {
  if (scriptsOff.has(page)) return;
  const v = await axeViolations(page);
  assert.equal(v.length, 0, `${where}:\n${describeViolations(v)}`);
}

describe('live events in Chromium', { timeout: 120_000 }, () => {
  let env: BrowserEnv;
  let actor: StaffActor;
  let staffCookie: { name: string; value: string };
  before(async () => {
    env = await startBrowserEnv();
    const user = await createStaffUser(env.harness, { roles: ['campaigns'] });
    const s = await signIn(env.harness, user);
    const [name, value] = Object.entries(s.jar)[0] ?? [];
    staffCookie = { name: name ?? '', value: value ?? '' };
    actor = { kind: 'staff', userId: user.id, name: user.name, email: user.email, agencyId: user.agencyId, roles: ['campaigns'], correlationId: 'browser-test' };
  });
  after(async () => {
    await env.close();
  });

  for (const javaScriptEnabled of [false, true]) {
    it(`attendee joins by code and answers ${javaScriptEnabled ? 'with' : 'without'} JavaScript, axe-clean, no cookies, nothing third-party`, async () => {
      const live = env.harness.container.services.live;
      const s = await live.createSession(actor, { deckId: 'parents-and-carers' });
      const { page, context } = await env.newPage({ javaScriptEnabled });
      if (!javaScriptEnabled) scriptsOff.add(page);
      await page.goto(`${env.baseUrl}/join`);
      await verifyOnPage(page, 'Join a live event');
      await expectAxeClean(page, 'join');
      await page.getByLabel('Join a live event').fill('ZZZZZZ');
      await page.getByRole('button', { name: 'Join' }).click();
      assert.match((await page.locator('.govuk-error-summary').textContent()) ?? '', /no event with that code/);
      await expectAxeClean(page, 'join with an error');
      await page.getByLabel('Join a live event').fill(s.code.toLowerCase());
      await page.getByRole('button', { name: 'Join' }).click();
      await verifyOnPage(page, 'Welcome');
      await expectAxeClean(page, 'intro slide');

      await live.control(actor, s.id, 'next');
      if (javaScriptEnabled) {
        // The event stream reloads the page when the presenter moves on.
        await page.locator('legend h1').waitFor({ timeout: 5000 });
      } else {
        await page.getByRole('link', { name: 'Check for the next question' }).click();
      }
      await verifyOnPage(page, /How confident are you/);
      await expectAxeClean(page, 'question');
      await page.getByRole('button', { name: 'Send answer' }).click();
      assert.match((await page.locator('.govuk-error-summary').textContent()) ?? '', /Select an answer/);
      await expectAxeClean(page, 'question with an error');
      await page.getByLabel('3').check();
      await page.getByRole('button', { name: 'Send answer' }).click();
      await page.getByText('Thank you, your answer is in.').waitFor();
      await expectAxeClean(page, 'answered');
      const view = await live.presenterView(actor, s.id);
      assert.equal(view.question?.total, 1);

      await live.control(actor, s.id, 'signposting');
      if (javaScriptEnabled) {
        // The event stream reloads the page itself; a goto of our own would race it (ERR_ABORTED).
        await page.getByRole('heading', { name: 'Where to go with a worry' }).waitFor({ timeout: 5000 });
      } else {
        await page.goto(page.url());
      }
      await verifyOnPage(page, 'Where to go with a worry');
      await expectAxeClean(page, 'signposting');
      await page.getByLabel('What are you worried about?').fill('A boy on our estate is dropped off by different cars late at night');
      await page.getByRole('button', { name: 'Send privately' }).click();
      await page.getByText('passed to the safeguarding team').waitFor();
      await expectAxeClean(page, 'concern sent');

      assert.deepEqual(await context.cookies(), [], 'public pages set no cookies');
      assert.deepEqual(env.thirdPartyRequests, []);
    });
  }

  it('presenter view is axe-clean and its chart updates live when answers land', async () => {
    const live = env.harness.container.services.live;
    const s = await live.createSession(actor, { deckId: 'professionals' });
    await live.control(actor, s.id, 'next');
    const { page, context } = await env.newPage();
    await context.addCookies([{ ...staffCookie, url: `${env.baseUrl}/staff` }]);
    await page.goto(`${env.baseUrl}/staff/live/${s.id}`);
    await verifyOnPage(page, /How confident are you/);
    await expectAxeClean(page, 'presenter');
    assert.equal(await page.locator('[data-live-total]').textContent(), '0');
    // Give the stream a moment to open, then vote from "phones".
    await page.waitForTimeout(300);
    await live.vote(s.code, 'AAAAAAAAAAAAAAAAAAAAAA', { questionId: 'confidence-refer-before', option: '4' });
    await live.vote(s.code, 'BBBBBBBBBBBBBBBBBBBBBB', { questionId: 'confidence-refer-before', option: '4' });
    await page.locator('[data-live-total]', { hasText: '2' }).waitFor({ timeout: 5000 });
    assert.equal(await page.locator('tr[data-option="4"] [data-live-count]').textContent(), '2');
    assert.match((await page.locator('tr[data-option="4"] [data-live-bar]').getAttribute('class')) ?? '', /live-bar--p100/);
    await page.getByRole('button', { name: 'Lock voting' }).click();
    await page.getByText('Voting locked').waitFor();
    await expectAxeClean(page, 'presenter, locked');
    await page.goto(`${env.baseUrl}/staff/live`);
    await verifyOnPage(page, 'Live events');
    await expectAxeClean(page, 'sessions list');
    await page.goto(`${env.baseUrl}/staff/live/${s.id}/results`);
    await verifyOnPage(page, /Results:/);
    await expectAxeClean(page, 'results');
    assert.deepEqual(env.thirdPartyRequests, []);
  });
});
