import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { axeViolations, describeViolations, startBrowserEnv, verifyOnPage, type BrowserEnv } from './support.ts';

describe('Spot the signs and the checker in Chromium', () => {
  let env: BrowserEnv;
  before(async () => {
    env = await startBrowserEnv();
  });
  after(async () => {
    await env.close();
  });

  const scriptsOff = new WeakSet<Page>();

  /**
   * Every page on a journey: the heading, zero axe violations, Exit this page, no cookies, nothing
   * from elsewhere. axe needs JavaScript in the page, so it runs on the JavaScript-on walks (the same pages).
   */
  async function check(page: Page, heading: string | RegExp): Promise<void> {
    await verifyOnPage(page, heading);
    if (!scriptsOff.has(page)) {
      const v = await axeViolations(page);
      assert.equal(v.length, 0, `${page.url()}\n${describeViolations(v)}`);
    }
    assert.ok(await page.getByRole('button', { name: /Exit this page/ }).count(), `${page.url()}: Exit this page`);
    assert.deepEqual(await page.context().cookies(), [], `${page.url()}: no cookies`);
    assert.deepEqual(env.thirdPartyRequests, []);
  }

  for (const javaScriptEnabled of [true, false]) {
    it(`walks the checker to an emergency result and downloads the PDF (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const { page } = await env.newPage({ javaScriptEnabled });
      if (!javaScriptEnabled) scriptsOff.add(page);
      await page.goto(`${env.baseUrl}/`);
      await page.getByRole('link', { name: 'Check a worry about someone' }).click();
      await check(page, "I'm worried about someone");
      await page.getByRole('button', { name: 'Start now' }).click();

      await check(page, 'Are you worried about a child or an adult?');
      // Continue without answering: the error summary points at the question.
      await page.getByRole('button', { name: 'Continue' }).click();
      await check(page, 'Are you worried about a child or an adult?');
      assert.match((await page.locator('.govuk-error-summary').textContent()) ?? '', /Select if you are worried about a child or an adult/);
      await page.getByLabel('A child (under 18)').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      await check(page, 'How old are they?');
      await page.getByLabel('How old are they?').fill('abc');
      await page.getByRole('button', { name: 'Continue' }).click();
      await check(page, 'How old are they?');
      await page.locator('.govuk-error-summary a[href="#age"]').click();
      await page.getByLabel('How old are they?').fill('14');
      await page.getByRole('button', { name: 'Continue' }).click();

      await check(page, 'Does anything here make them more at risk?');
      await page.getByLabel('In care (looked after)').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      await check(page, 'Which signs have you noticed?');
      await page.getByLabel('More than one phone').check();
      await page.getByLabel('Travelling to places they have no link to').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      await check(page, 'How strong is each sign?');
      await page.getByRole('group', { name: 'More than one phone' }).getByLabel('Medium').check();
      // Back keeps the answers so far.
      await page.getByRole('button', { name: 'Back' }).click();
      await check(page, 'Which signs have you noticed?');
      assert.ok(await page.getByLabel('More than one phone').isChecked());
      await page.getByRole('button', { name: 'Continue' }).click();
      await check(page, 'How strong is each sign?');
      await page.getByRole('group', { name: 'More than one phone' }).getByLabel('Medium').check();
      await page.getByRole('group', { name: 'Travelling to places they have no link to' }).getByLabel('High').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      await check(page, 'How many times have they gone missing in the last 30 days?');
      await page.getByLabel('How many times have they gone missing in the last 30 days?').fill('1');
      await page.getByRole('button', { name: 'Continue' }).click();

      await check(page, 'Is anyone in danger right now?');
      await page.getByLabel('Yes').check();
      await page.getByRole('button', { name: 'Continue' }).click();

      await check(page, 'Check your answers');
      assert.match((await page.locator('main').textContent()) ?? '', /Call 999 now/);
      await page.getByRole('button', { name: 'See the result' }).click();

      await check(page, 'Emergency: call 999 now');
      const routes = await page.locator('ol.lookout-routes > li').allTextContents();
      assert.match(routes[0] ?? '', /Call 999/);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download the referral summary/ }).click()]);
      assert.equal(download.suggestedFilename(), 'referral-summary.pdf');
      const path = await download.path();
      const { readFileSync } = await import('node:fs');
      assert.equal(readFileSync(path).subarray(0, 5).toString('latin1'), '%PDF-');
    });
  }

  it('plays a scenario to an ending and every page on the way is accessible', async () => {
    const { page } = await env.newPage();
    await page.goto(`${env.baseUrl}/spot-the-signs`);
    await check(page, 'Spot the signs of county lines');
    await page.getByRole('link', { name: 'For parents and family' }).click();
    await check(page, 'For parents and family');
    await page.goto(`${env.baseUrl}/spot-the-signs/signs`);
    await check(page, 'All the signs of county lines exploitation');
    await page.goto(`${env.baseUrl}/spot-the-signs/slang`);
    await check(page, 'County lines slang');
    await page.goto(`${env.baseUrl}/directory`);
    await check(page, 'Local contacts');
    await page.goto(`${env.baseUrl}/scenarios`);
    await check(page, 'Practise: what would you do?');
    await page.getByRole('link', { name: 'Cash in the coat pocket' }).click();
    await check(page, 'Cash in the coat pocket');
    await page.getByRole('button', { name: 'Start' }).click();
    for (let i = 0; i < 10; i++) {
      if ((await page.locator('h1').first().textContent())?.trim() === 'The end') break;
      await check(page, /.+/);
      // Choose the first option each time (any path must end).
      await page.locator('input[name="choice"]').first().check();
      await page.getByRole('button', { name: 'Choose' }).click();
      await check(page, /Good choice|Partly right|Not the best choice/);
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await check(page, 'The end');
    assert.ok(await page.locator('ol.lookout-routes > li').count());
  });

  it('plays a scenario step with JavaScript off', async () => {
    const { page } = await env.newPage({ javaScriptEnabled: false });
    scriptsOff.add(page);
    await page.goto(`${env.baseUrl}/scenarios/train-passenger`);
    await page.getByRole('button', { name: 'Start' }).click();
    await page.locator('input[name="choice"]').first().check();
    await page.getByRole('button', { name: 'Choose' }).click();
    await check(page, /Good choice|Partly right|Not the best choice/);
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.match(page.url(), /\/scenarios\/train-passenger\/[a-z0-9-]+$/);
  });

  it('takes the quiz with an explanation after each answer (JavaScript on)', async () => {
    const { page } = await env.newPage();
    await page.goto(`${env.baseUrl}/quiz`);
    await check(page, 'How much do you know about county lines?');
    await page.getByRole('button', { name: 'Start the quiz' }).click();
    for (let i = 0; i < 50; i++) {
      await check(page, /.+/);
      await page.locator('input[name="answer"]').first().check();
      await page.getByRole('button', { name: 'Check my answer' }).click();
      await check(page, /^(Correct|Not quite)$/);
      assert.ok(await page.locator('.lookout-explanation').count(), 'explanation shown');
      const next = page.getByRole('button', { name: /Next question|See your score/ });
      const last = (await next.textContent())?.includes('See your score');
      await next.click();
      if (last) break;
    }
    await check(page, /^You got \d+ out of \d+$/);
  });
});
