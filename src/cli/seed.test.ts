import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../testing/harness.ts';
import { createStaffUser, signIn } from '../auth/testing.ts';
import { seedOnFirstStart } from './seed.ts';

describe('first-start demo world', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ env: { SEED_DEMO: 'true' } });
  });
  after(async () => h.close());

  const count = async (table: string) => (await h.container.platform.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  it('seeds a fictional world once, it reaches the inbox, and every staff page says the data is fictional', async () => {
    await seedOnFirstStart(h.container);
    const reports = await count('reports');
    assert.ok(reports >= 250, `a few hundred demo reports (${reports})`);
    assert.ok((await count('users')) >= 5, 'demo staff accounts, one per role');
    // The receiving agency named in content/reporting.yaml exists, so the reports are owned by it.
    const owners = await h.container.platform.db.query<{ owner: string }>('SELECT DISTINCT owner_agency_id AS owner FROM reports');
    const agencies = await h.container.platform.db.query<{ id: string }>('SELECT id::text AS id FROM agencies');
    assert.ok(owners.rows.every((o) => agencies.rows.some((a) => a.id === o.owner)), 'every demo report belongs to a real agency');

    // A second start seeds nothing more.
    await seedOnFirstStart(h.container);
    assert.equal(await count('reports'), reports);

    await h.container.platform.jobs.drain(100_000);
    assert.ok((await count('triage_items')) >= reports, 'every report is in the triage inbox');
    assert.ok((await count('mentions')) > reports, 'intel has linked them');

    const agencyId = agencies.rows[0]!.id;
    const session = await signIn(h, await createStaffUser(h, { roles: ['triage'], agencyId }));
    for (const url of ['/staff', '/staff/inbox']) {
      const page = await session.get(url);
      assert.equal(page.statusCode, 200, url);
      assert.match(page.body, /Fictional data: every person/, `${url} is marked as fictional`);
    }
  });
});
