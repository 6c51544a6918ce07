/**
 * Nunjucks views with govuk-frontend macros. Templates are looked up in src/http/views, then in
 * src/modules (so a module renders "reporting/views/start.njk"), then src ("auth/views/..."),
 * then govuk-frontend's dist.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { staffNavigationFor } from './staff-nav.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const GOVUK_DIST = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');

export function createViewEnvironment(globals: Record<string, unknown> = {}): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([join(here, 'views'), join(here, '..', 'modules'), join(here, '..'), GOVUK_DIST], { noCache: false }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  // layouts/staff.njk: the shared staff navigation, computed per render from the actor (see staff-nav.ts).
  env.addGlobal('staffNavigationFor', staffNavigationFor);
  for (const [k, v] of Object.entries(globals)) env.addGlobal(k, v);
  env.addFilter('date', (value: unknown, style: 'short' | 'long' = 'long') => {
    if (value === null || value === undefined || value === '') return '';
    const d = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(d.getTime())) return '';
    return style === 'short'
      ? d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' })
      : d.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
  });
  env.addFilter('json', (value: unknown) => new nunjucks.runtime.SafeString(JSON.stringify(value).replace(/</g, '\\u003c')));
  return env;
}
