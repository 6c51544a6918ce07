import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../testing/harness.ts';
import { currentTotpCode, DEMO_USERS, seedAuthDemo } from './demo.ts';
import { signIn } from './testing.ts';
import { ROLES } from './permissions.ts';

describe('demo staff seed', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h.close();
  });

  it('creates fictional agencies and one signed-in-able user per role, printing credentials once', async () => {
    let printed = '';
    const users = await seedAuthDemo(h.container, (t) => (printed += t));
    assert.deepEqual([...new Set(users.flatMap((u) => u.roles))].sort(), [...ROLES].sort());
    for (const u of users) {
      assert.ok(printed.includes(u.email) && printed.includes(u.password) && printed.includes(u.totpSecret));
    }
    const agencies = await h.container.services.auth.agencies.list();
    assert.ok(agencies.length >= 6 && agencies.every((a) => /\(demo/.test(a.name)));
    assert.deepEqual(await seedAuthDemo(h.container, () => assert.fail('printed twice')), [], 'only once');
    const admin = users.find((u) => u.email === DEMO_USERS[0]!.email)!;
    assert.match(await currentTotpCode(h.container.platform, admin.email), /^\d{6}$/);
    const s = await signIn(h, admin);
    assert.equal((await s.get('/staff/users')).statusCode, 200);
  });
});
