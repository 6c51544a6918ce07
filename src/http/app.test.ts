import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../testing/harness.ts';

describe('HTTP foundation', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });

  it('serves the start page with the service name, footer numbers, skip link and Exit this page', async () => {
    const res = await h.app.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<title>[^<]*Lookout<\/title>/);
    assert.match(res.body, /govuk-phase-banner/);
    assert.match(res.body, /0800 555 111/);
    assert.match(res.body, /call 999/);
    assert.match(res.body, /href="#main-content"[^>]*govuk-skip-link|govuk-skip-link[^>]*href="#main-content"/);
    assert.match(res.body, /govuk-exit-this-page/);
  });

  it('sets security headers on every response, with a fresh nonce each time', async () => {
    const a = await h.app.inject({ url: '/' });
    const b = await h.app.inject({ url: '/health' });
    for (const res of [a, b]) {
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
      assert.ok(res.headers['permissions-policy']);
      assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS outside production');
    }
    const nonceA = /nonce-([^']+)/.exec(String(a.headers['content-security-policy']))?.[1];
    const nonceB = /nonce-([^']+)/.exec(String(b.headers['content-security-policy']))?.[1];
    assert.ok(nonceA && nonceB && nonceA !== nonceB);
    assert.ok(a.body.includes(`nonce="${nonceA}"`), 'inline script carries the nonce');
  });

  it('gives the GOV.UK 404 page for unknown routes and JSON 404 for the API', async () => {
    const page = await h.app.inject({ url: '/no/such/page' });
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /Page not found/);
    const api = await h.app.inject({ url: '/api/v1/nothing' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error, 'not_found');
  });

  it('reports liveness, readiness and Prometheus metrics', async () => {
    assert.deepEqual((await h.app.inject({ url: '/health' })).json(), { status: 'ok' });
    const ready = await h.app.inject({ url: '/ready' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
    await h.app.inject({ url: '/' });
    const metrics = await h.app.inject({ url: '/metrics' });
    assert.match(String(metrics.headers['content-type']), /text\/plain/);
    assert.match(metrics.body, /lookout_http_request_duration_seconds_count\{method="GET",route="\/",status="200"\}/);
  });

  it('is not ready when a migration is pending', async () => {
    await h.container.platform.db.query(`DELETE FROM schema_migrations WHERE name = '0001_foundation.sql'`);
    const ready = await h.app.inject({ url: '/ready' });
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.json().reason, 'migrations pending');
    const { listMigrations } = await import('../db/migrate.ts');
    const m = listMigrations().find((x) => x.name === '0001_foundation.sql')!;
    await h.container.platform.db.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [m.name, m.checksum]);
    assert.equal((await h.app.inject({ url: '/ready' })).statusCode, 200);
  });

  it('serves govuk-frontend assets from this origin only', async () => {
    const css = await h.app.inject({ url: '/govuk/govuk-frontend.min.css' });
    assert.equal(css.statusCode, 200);
    const js = await h.app.inject({ url: '/govuk/govuk-frontend.min.js' });
    assert.equal(js.statusCode, 200);
    const other = await h.app.inject({ url: '/govuk/template.njk' });
    assert.equal(other.statusCode, 404, 'templates are not served');
    const page = await h.app.inject({ url: '/' });
    assert.doesNotMatch(page.body, /(src|href)="https?:\/\/(?!www\.bbc\.co\.uk\/weather)/, 'no third-party assets');
  });

  it('logs requests by route pattern only: no IP address, user agent or query string', async () => {
    await h.app.inject({
      url: '/no-such-page?secret-canary=xyz',
      headers: { 'user-agent': 'CanaryAgent/9.9', 'x-forwarded-for': '203.0.113.77' },
    });
    const all = h.logs.join('\n');
    assert.match(all, /"route":"unmatched"/);
    assert.doesNotMatch(all, /CanaryAgent|203\.0\.113\.77|127\.0\.0\.1|secret-canary/);
  });
});
