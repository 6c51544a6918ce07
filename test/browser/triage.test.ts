/**
 * The triage journey in Chromium: a public report arrives through the real API, a triage officer
 * grades, sanitises and shares it, and a case worker opens a case, records a missing episode and
 * completes the return home interview task. Every page is checked with axe (WCAG 2.2 AA).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { createStaffUser, createTestAgency, signIn } from '../../src/auth/testing.ts';
import type { TestStaffUser } from '../../src/auth/testing.ts';
import { axeViolations, describeViolations, startBrowserEnv, verifyOnPage, type BrowserEnv } from './support.ts';

describe('triage journey in Chromium', () => {
  let env: BrowserEnv;
  let agencyA: { id: string; name: string };
  let agencyB: { id: string; name: string };
  let officer: TestStaffUser;
  let worker: TestStaffUser;

  async function pageAs(user: TestStaffUser): Promise<{ context: BrowserContext; page: Page }> {
    const session = await signIn(env.harness, user);
    const { context, page } = await env.newPage();
    await context.addCookies(Object.entries(session.jar).map(([name, value]) => ({ name, value, url: `${env.baseUrl}/staff` })));
    return { context, page };
  }

  async function axeClean(page: Page): Promise<void> {
    const v = await axeViolations(page);
    assert.equal(v.length, 0, `${page.url()}: ${describeViolations(v)}`);
  }

  before(async () => {
    env = await startBrowserEnv();
    // The agency content/reporting.yaml names as the receiver of public reports, so a report
    // reaches its inbox exactly as in a deployment.
    agencyA = await createTestAgency(env.harness, { name: 'Lancashire Constabulary (demo)' });
    agencyB = await createTestAgency(env.harness, { name: 'Lancaster Children’s Services (test)', kind: 'childrens_social_care' });
    officer = await createStaffUser(env.harness, { roles: ['triage'], agencyId: agencyA.id, name: 'Tess Triage' });
    worker = await createStaffUser(env.harness, { roles: ['caseworker'], agencyId: agencyA.id, name: 'Cas Worker' });
  });
  after(async () => env.close());

  it('a public report is graded and shared, then a case worker opens a case and completes a task', async () => {
    // 1. A public report through the real API.
    const res = await fetch(`${env.baseUrl}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ narrative: 'Young lad dropped off by a grey car most nights near Lancaster station, texts a number for food.', phones: ['07700 900321'] }),
    });
    assert.equal(res.status, 201);
    const { reference } = (await res.json()) as { reference: string };
    // After commit, the jobs take it into the inbox and intel (which also finds its area).
    await env.harness.container.platform.jobs.drain();

    // 2. The triage officer grades, sanitises and shares it.
    const { page } = await pageAs(officer);
    await page.goto(`${env.baseUrl}/staff/inbox`);
    await verifyOnPage(page, 'Inbox');
    await axeClean(page);
    await page.getByRole('link', { name: reference }).click();
    await verifyOnPage(page, reference);
    await axeClean(page);
    const itemId = new URL(page.url()).pathname.split('/')[3]!;
    // The area the report names (Lancaster), found by intel's extraction.
    assert.match(await page.locator('main').innerText(), /Area\s+Lancaster/);
    await page.getByLabel('2: Untested').check();
    await page.getByLabel('B: Known indirectly but corroborated').check();
    await page.getByLabel('P: Lawful sharing permitted', { exact: true }).check();
    await page.locator('#save-grading').click();
    await verifyOnPage(page, reference);
    assert.match(await page.locator('main').innerText(), /2BP/);
    await page.locator('#sanitised').fill('A boy is dropped off near a railway station at night; a mobile number is used to order drugs.');
    await page.getByLabel('I have removed anything that could identify the reporter').check();
    await page.locator('#save-sanitised').click();
    await verifyOnPage(page, reference);
    await page.locator('#share-agencyId').selectOption(agencyB.id);
    await page.locator('#share').click();
    await verifyOnPage(page, reference);
    assert.match(await page.locator('main').innerText(), new RegExp(agencyB.name.replace(/[()’]/g, '.')));
    await axeClean(page);

    // 3. A case worker opens a case from the item and completes the return home interview task.
    const { page: p2 } = await pageAs(worker);
    await p2.goto(`${env.baseUrl}/staff/cases/new?item=${itemId}`);
    await verifyOnPage(p2, 'Open a case for a person at risk');
    await axeClean(p2);
    await p2.locator('#name').fill('Tyler Fictional');
    await p2.getByLabel('Child (under 18)').check();
    await p2.locator('#age').fill('14');
    await p2.locator('#homeArea').selectOption('Lancaster');
    await p2.locator('#open-case').click();
    await verifyOnPage(p2, 'Tyler Fictional');
    await axeClean(p2);
    await p2.locator('#wentMissing').fill('2025-01-01');
    await p2.locator('#add-missing').click();
    await verifyOnPage(p2, 'Tyler Fictional');
    assert.match(await p2.locator('#tasks + table').innerText(), /return home interview/i);
    await p2.getByRole('button', { name: /Mark done/ }).first().click();
    await verifyOnPage(p2, 'Tyler Fictional');
    assert.match(await p2.locator('#tasks + table').innerText(), /Done/);
    await axeClean(p2);
    for (const [path, heading] of [
      ['/staff/cases?mine', 'My cases'],
      ['/staff/mace', 'MACE: people, places and lines'],
    ] as const) {
      await p2.goto(env.baseUrl + path);
      await verifyOnPage(p2, heading);
      await axeClean(p2);
    }
    assert.deepEqual(env.thirdPartyRequests, []);
  });
});
