/**
 * Browser test support: a real Lookout server on a free port, Debian's Chromium driven by
 * playwright-core (never a downloaded browser), and axe-core checks at WCAG 2.2 AA.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createHarness, type Harness, type HarnessOptions } from '../../src/testing/harness.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserEnv {
  harness: Harness;
  baseUrl: string;
  browser: Browser;
  /** Every request the pages made to anything other than this server. */
  thirdPartyRequests: string[];
  newPage(opts?: { javaScriptEnabled?: boolean }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startBrowserEnv(opts: HarnessOptions = {}): Promise<BrowserEnv> {
  const harness = await createHarness(opts);
  await harness.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = harness.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('server did not start');
  const baseUrl = `http://127.0.0.1:${addr.port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const thirdPartyRequests: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    harness,
    baseUrl,
    browser,
    thirdPartyRequests,
    async newPage(o = {}) {
      // A context per page, made before the page, as axe needs.
      const context = await browser.newContext({ javaScriptEnabled: o.javaScriptEnabled ?? true });
      contexts.push(context);
      const page = await context.newPage();
      page.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(baseUrl) && !u.startsWith('data:') && !u.startsWith('blob:')) thirdPartyRequests.push(u);
      });
      return { context, page };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await harness.close();
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page at WCAG 2.0/2.1/2.2 A and AA; resolves to the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const res = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

export function describeViolations(v: AxeViolation[]): string {
  return v.map((x) => `${x.id} (${x.impact}): ${x.help} at ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

/** Page object check: the page's h1 is what the journey expects. */
export async function verifyOnPage(page: Page, heading: string | RegExp): Promise<void> {
  const h1 = (await page.locator('h1').first().textContent())?.trim() ?? '';
  const ok = typeof heading === 'string' ? h1 === heading : heading.test(h1);
  if (!ok) throw new Error(`Expected to be on "${String(heading)}" but the page heading is "${h1}"`);
}
