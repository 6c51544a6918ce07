/**
 * Intelligence pages in Chromium: the network view with JavaScript (sigma.js and graphology,
 * vendored and served from this origin) and without (tables), the server-rendered map, the
 * register and entity pages. Every page is checked with axe (WCAG 2.2 AA) and loads nothing
 * from third parties.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { createStaffUser, signIn, type TestStaffUser } from '../../src/auth/testing.ts';
import type { Extraction } from '../../src/modules/intel/intel.types.ts';
import { axeViolations, describeViolations, startBrowserEnv, verifyOnPage, type BrowserEnv } from './support.ts';

function ex(...ents: [string, string][]): Extraction {
  return { entities: ents.map(([type, value], i) => ({ type, value, start: i * 30, end: i * 30 + value.length })), indicators: [] };
}

describe('intelligence pages in Chromium', () => {
  let env: BrowserEnv;
  let analyst: TestStaffUser;
  let lineId = 0;
  let entityId = 0;

  async function pageAs(user: TestStaffUser, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const session = await signIn(env.harness, user);
    const { context, page } = await env.newPage({ javaScriptEnabled });
    await context.addCookies(Object.entries(session.jar).map(([name, value]) => ({ name, value, url: `${env.baseUrl}/staff` })));
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    return { context, page, errors };
  }

  async function axeClean(page: Page): Promise<void> {
    const v = await axeViolations(page);
    assert.equal(v.length, 0, `${page.url()}: ${describeViolations(v)}`);
  }

  before(async () => {
    env = await startBrowserEnv();
    analyst = await createStaffUser(env.harness, { roles: ['analyst'] });
    const { db } = env.harness.container.platform;
    const intel = env.harness.container.services.intel;
    const line = await intel.register.createLine({ kind: 'staff', userId: analyst.id, name: analyst.name, email: analyst.email, agencyId: analyst.agencyId, roles: ['analyst'], correlationId: 'test' }, {
      brand: 'kash',
      displayName: 'Kash',
      exportingArea: 'Liverpool',
      importingAreas: ['Preston', 'Blackpool'],
      number: '+447700900100',
    });
    lineId = line.id;
    // Three small clusters of runners, vehicles and numbers around the line, across towns.
    const towns = ['Preston', 'Blackpool', 'Lancaster', 'Burnley', 'Morecambe'];
    for (let i = 0; i < 60; i++) {
      const c = i % 3;
      const extraction = ex(
        ['phone', `+4477009001${String(c * 10 + (i % 4)).padStart(2, '0')}`],
        ['handle', `runner_${c}_${i % 5}`],
        ['vehicle', `KA${c}${i % 3}CAR`],
        ['place', towns[i % towns.length]!],
        ...(c === 0 ? ([['line_name', 'kash']] as [string, string][]) : []),
      );
      await db.transaction((tx) =>
        intel.ingestExtraction(tx, { sourceType: 'report', sourceId: `br-${i}`, text: '', occurredAt: new Date(Date.UTC(2025, 4, 1 + (i % 28))), ownerAgencyId: analyst.agencyId }, extraction),
      );
    }
    const { rows } = await db.query<{ id: number }>("SELECT id FROM entities WHERE type = 'phone' AND value = '+447700900100'");
    entityId = rows[0]!.id;
  });
  after(async () => {
    await env.close();
  });

  it('network view with JavaScript: sigma draws the graph from this origin, no errors, axe-clean', async () => {
    const { page, errors } = await pageAs(analyst);
    await page.goto(`${env.baseUrl}/staff/intel/network?focus=line:${lineId}&hops=2`);
    await verifyOnPage(page, /^Network around Kash line/);
    await page.locator('#intel-network:not([hidden]) canvas').first().waitFor({ timeout: 15_000 });
    assert.ok((await page.locator('#intel-network canvas').count()) >= 1, 'sigma created its canvases');
    await axeClean(page);
    assert.deepEqual(env.thirdPartyRequests, []);
    assert.deepEqual(errors, [], 'no console errors (CSP violations would show here)');
    // The tables are there too.
    assert.ok(await page.getByRole('table').first().isVisible());
  });

  it('network view without JavaScript: the table view lists nodes and links', async () => {
    const { page } = await pageAs(analyst, false);
    await page.goto(`${env.baseUrl}/staff/intel/network?focus=entity:${entityId}&hops=2`, { timeout: 20_000 });
    await verifyOnPage(page, /^Network around \+447700900100/);
    assert.equal(await page.locator('#intel-network').isVisible(), false, 'the interactive view stays hidden');
    const text = (await page.locator('main').textContent({ timeout: 10_000 })) ?? '';
    assert.match(text, /Key entities/);
    assert.match(text, /runner_0_/);
    // Following an entity link re-centres the network, still without JavaScript.
    await page.locator('a[href^="/staff/intel/network?focus=entity:"]', { hasText: /^kash$/ }).first().click({ timeout: 10_000 });
    await verifyOnPage(page, /^Network around kash/);
    // axe runs in the page, so it is checked on the JavaScript-on passes (the markup is the same).
  });

  it('map, register, line, entity, suggestions and notifications pages are axe-clean without third parties', async () => {
    const { page, errors } = await pageAs(analyst);
    for (const [path, heading] of [
      ['/staff/intel', 'Intelligence'],
      ['/staff/intel/map', 'Map'],
      ['/staff/intel/map?view=north-west', 'Map'],
      ['/staff/intel/lines', 'Deal-line register'],
      [`/staff/intel/lines/${lineId}`, 'Kash line'],
      [`/staff/intel/entities/${entityId}`, '+447700900100'],
      ['/staff/intel/suggestions', 'Suggestions'],
      ['/staff/notifications', 'Notifications'],
    ] as const) {
      await page.goto(env.baseUrl + path);
      await verifyOnPage(page, heading);
      await axeClean(page);
    }
    await page.goto(`${env.baseUrl}/staff/intel/map?view=north-west`);
    assert.ok(await page.locator('svg.intel-map').isVisible());
    assert.ok((await page.locator('svg.intel-map .intel-map__flow').count()) >= 1, 'the Kash flow is drawn');
    assert.ok((await page.locator('svg.intel-map .intel-map__hotspot').count()) >= 3);
    assert.deepEqual(env.thirdPartyRequests, []);
    assert.deepEqual(errors, []);
  });
});
