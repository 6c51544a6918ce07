import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authenticator } from 'otplib';
import type { Page } from 'playwright-core';
import { axeViolations, describeViolations, startBrowserEnv, verifyOnPage, type BrowserEnv } from './support.ts';
import { cliActor } from '../../src/auth/cli-context.ts';

async function expectAxeClean(page: Page, where: string): Promise<void> {
  const v = await axeViolations(page);
  assert.equal(v.length, 0, `${where}:\n${describeViolations(v)}`);
}

describe('staff enrolment and sign-in in Chromium', () => {
  let env: BrowserEnv;
  let setupPath: string;
  before(async () => {
    env = await startBrowserEnv();
    const { agencies, users } = env.harness.container.services.auth;
    const agency = await agencies.add(cliActor('test'), { name: 'Lancashire Constabulary (browser test)', kind: 'police', area: 'Lancashire' });
    const added = await users.add(cliActor('test'), { email: 'robin.admin@test.lookout.test', name: 'Robin Admin', roles: ['admin'], agencyId: agency.id });
    setupPath = new URL(added.setupUrl).pathname;
  });
  after(async () => {
    await env.close();
  });

  it('set-up link -> password -> authenticator -> recovery codes -> sign in with a code -> staff home, each page axe-clean', async () => {
    const { page, context } = await env.newPage();
    const password = 'harbour lantern teacup';

    await page.goto(env.baseUrl + setupPath);
    await verifyOnPage(page, 'Create a password');
    await expectAxeClean(page, 'create a password');
    await page.getByLabel('Password', { exact: true }).fill('password1234');
    await page.getByLabel('Confirm password').fill('password1234');
    await page.getByRole('button', { name: 'Continue' }).click();
    await verifyOnPage(page, 'Create a password');
    assert.match((await page.locator('.govuk-error-summary').textContent()) ?? '', /too common/);
    await expectAxeClean(page, 'create a password with errors');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill(password);
    await page.getByRole('button', { name: 'Continue' }).click();

    await verifyOnPage(page, 'Set up your authenticator app');
    await expectAxeClean(page, 'authenticator');
    assert.ok(await page.locator('img[src^="data:image/png"]').count(), 'QR code as a data: image');
    const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await page.getByLabel('Code from your app').fill(authenticator.generate(secret));
    await page.getByRole('button', { name: 'Continue' }).click();

    await verifyOnPage(page, 'Your account is set up');
    await expectAxeClean(page, 'recovery codes');
    assert.equal(await page.locator('#recovery-codes li').count(), 10);
    await page.getByRole('link', { name: 'Continue to sign in' }).click();

    await verifyOnPage(page, 'Sign in');
    await expectAxeClean(page, 'sign in');
    await page.getByLabel('Email address').fill('robin.admin@test.lookout.test');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Continue' }).click();

    await verifyOnPage(page, 'Enter your security code');
    await expectAxeClean(page, 'security code');
    await page.getByLabel('Enter your security code').fill(authenticator.generate(secret));
    await page.getByRole('button', { name: 'Sign in' }).click();

    await verifyOnPage(page, 'Lookout staff');
    await expectAxeClean(page, 'staff home');
    assert.match((await page.locator('main').textContent()) ?? '', /Robin Admin/);
    const cookies = await context.cookies();
    const staff = cookies.find((c) => c.name === 'lookout_staff');
    assert.ok(staff && staff.httpOnly && staff.path === '/staff' && staff.sameSite === 'Lax');

    await page.getByRole('link', { name: 'Users' }).first().click();
    await verifyOnPage(page, 'Users');
    await expectAxeClean(page, 'users');
    await page.goto(env.baseUrl + '/staff/audit');
    await verifyOnPage(page, 'Audit log');
    await expectAxeClean(page, 'audit log');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await verifyOnPage(page, 'Sign in');
    assert.match((await page.locator('.govuk-notification-banner').textContent()) ?? '', /You have signed out/);
    assert.deepEqual(env.thirdPartyRequests, []);
  });
});
