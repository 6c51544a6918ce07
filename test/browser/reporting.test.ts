/** The guided anonymous report in Chromium, with JavaScript on and off: axe-clean pages, no third parties, a receipt at the end. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { axeViolations, describeViolations, startBrowserEnv, verifyOnPage, type BrowserEnv } from './support.ts';

/**
 * With JavaScript off axe cannot run in the page itself, so the same HTML is loaded into a
 * JavaScript-enabled page on this origin (styles included) and checked there.
 */
let axePage: Page | undefined;
async function checkPage(page: Page, heading: string | RegExp): Promise<void> {
  await verifyOnPage(page, heading);
  let target = page;
  if (axePage) {
    await axePage.setContent(await page.content(), { waitUntil: 'load' });
    target = axePage;
  }
  const v = await axeViolations(target);
  assert.equal(v.length, 0, describeViolations(v));
  assert.ok(await page.locator('.govuk-exit-this-page').count(), 'Exit this page is on every public page');
}

async function journey(env: BrowserEnv, javaScriptEnabled: boolean): Promise<void> {
  const { context, page } = await env.newPage({ javaScriptEnabled });
  if (!javaScriptEnabled) {
    axePage = (await env.newPage({ javaScriptEnabled: true })).page;
    await axePage.goto(`${env.baseUrl}/health`);
  } else axePage = undefined;
  await page.goto(`${env.baseUrl}/report`);
  await checkPage(page, 'Report what you have seen');
  await page.getByRole('button', { name: 'Start now' }).click();

  await checkPage(page, 'Is anyone in danger right now?');
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'Is anyone in danger right now?'); // error summary shown
  assert.ok(await page.locator('.govuk-error-summary').count());
  await page.getByLabel('Yes').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'Call 999 now if someone is in danger');
  await page.getByRole('button', { name: 'Continue with your report' }).click();

  await checkPage(page, 'What did you see or hear?');
  await page.getByLabel('What did you see or hear?').fill('A boy of about 14 is dropped at the flat above the launderette most nights. <script>alert(1)</script>');
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'Who was involved?');
  await page.getByLabel('Who was involved?').fill('Man in his 30s called "Big T"');
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'Where did it happen?');
  await page.getByLabel('Postcode (if you know it)').fill('pr1 4aa');
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'When did it happen?');
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'Phone numbers and line names');
  await page.getByLabel('Phone numbers').fill('07700 900123');
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'Were any vehicles involved?');
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'Social media accounts');
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'Add photos (optional)');
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'Do you want to give contact details?');
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, 'Check your answers before sending your report');
  assert.match(await page.content(), /PR1 4AA/);
  await page.getByRole('button', { name: 'Send report' }).click();
  await checkPage(page, 'Report sent');
  const receipt = (await page.locator('#receipt').textContent())?.trim() ?? '';
  assert.match(receipt, /^(\w{4}-){4}\w{4}$/);
  assert.equal((await context.cookies()).length, 0, 'no cookies were set');

  await page.goto(`${env.baseUrl}/report/follow-up`);
  await checkPage(page, 'Follow up your report');
  await page.getByLabel('Follow up your report').fill(receipt);
  await page.getByRole('button', { name: 'Continue' }).click();
  await checkPage(page, /^Your report R-/);
}

describe('reporting in the browser', () => {
  let env: BrowserEnv;
  before(async () => {
    env = await startBrowserEnv({ config: { publicPostsPerMinute: 1000 } });
  });
  after(async () => {
    await env?.close();
  });

  test('the whole guided report with JavaScript on', async () => {
    await journey(env, true);
    assert.deepEqual(env.thirdPartyRequests, []);
  });

  test('the whole guided report with JavaScript off', async () => {
    await journey(env, false);
    assert.deepEqual(env.thirdPartyRequests, []);
  });
});
