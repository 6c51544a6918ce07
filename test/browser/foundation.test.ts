import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, describeViolations, startBrowserEnv, verifyOnPage, type BrowserEnv } from './support.ts';

describe('foundation pages in Chromium', () => {
  let env: BrowserEnv;
  before(async () => {
    env = await startBrowserEnv();
  });
  after(async () => {
    await env.close();
  });

  for (const [path, heading] of [
    ['/', 'Spot county lines exploitation and report it'],
    ['/accessibility', 'Accessibility statement'],
    ['/privacy', 'Privacy'],
    ['/no-such-page', 'Page not found'],
  ] as const) {
    it(`${path} renders, has no axe violations and loads nothing from third parties`, async () => {
      const { page } = await env.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(env.baseUrl + path);
      await verifyOnPage(page, heading);
      const v = await axeViolations(page);
      assert.equal(v.length, 0, describeViolations(v));
      assert.deepEqual(env.thirdPartyRequests, []);
      assert.deepEqual(errors.filter((e) => !e.includes('404')), [], 'no console errors (CSP violations show here)');
      // govuk-frontend's JavaScript ran under the CSP (the nonce let the module in).
      assert.ok(await page.locator('body.govuk-frontend-supported').count());
      assert.ok(await page.getByRole('button', { name: /Exit this page/ }).count(), 'Exit this page is present');
    });
  }

  it('the start page works without JavaScript', async () => {
    const { page } = await env.newPage({ javaScriptEnabled: false });
    await page.goto(env.baseUrl + '/');
    await verifyOnPage(page, 'Spot county lines exploitation and report it');
    assert.match((await page.locator('footer').textContent()) ?? '', /0800 555 111/);
    assert.match((await page.locator('footer').textContent()) ?? '', /999/);
  });
});
