import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createHarness, type Harness } from '../testing/harness.ts';
import type { StaffActor } from '../auth/access.ts';
import { ROLE_PERMISSIONS, ROLES, type Role } from '../auth/permissions.ts';
import { staffRoutesOf, type StaffRouteInfo } from '../auth/route-registry.ts';
import { createStaffUser, signIn, type StaffSession } from '../auth/testing.ts';
import { createStaffNavRegistry, staffNav, type StaffNavLink } from './staff-nav.ts';

const actorWith = (roles: Role[]): StaffActor => ({ kind: 'staff', userId: randomUUID(), name: 'Test', email: 't@test.lookout.test', agencyId: randomUUID(), roles, correlationId: randomUUID() });

interface NavLink {
  href: string;
  text: string;
  current: string | null;
}

/** The links in a page's service navigation (the sign-out button is a form, not a link). */
function navLinks(html: string): NavLink[] {
  const list = /<ul class="govuk-service-navigation__list"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<a class="govuk-service-navigation__link" href="([^"]+)"([^>]*)>([\s\S]*?)<\/a>/g)].map((m) => ({
    href: m[1]!,
    text: m[3]!.replace(/<[^>]+>/g, '').trim(),
    current: /aria-current="(\w+)"/.exec(m[2]!)?.[1] ?? null,
  }));
}

describe('staff navigation registry', () => {
  const links: StaffNavLink[] = [
    { href: '/staff/b', text: 'B', permission: 'case:read', order: 20 },
    { href: '/staff', text: 'Home', permission: null, order: 0, match: 'exact' },
    { href: '/staff/a', text: 'A', permission: 'report:read', order: 10 },
    { href: '/staff/a/deeper', text: 'Deeper', permission: 'report:read', order: 15 },
    { href: '/staff/u', text: 'U', permission: 'user:manage', order: 30 },
  ];
  const reg = createStaffNavRegistry();
  reg.register(...links);

  it('lists, in order, only the links the actor may use; nothing when signed out', () => {
    assert.deepEqual(reg.for(undefined, '/staff'), []);
    assert.deepEqual(
      reg.for(actorWith(['viewer']), '/staff/other').map((l) => l.text),
      ['Home', 'A', 'Deeper', 'B'],
    );
    assert.deepEqual(
      reg.for(actorWith(['campaigns']), '/staff').map((l) => l.text),
      ['Home'],
    );
    assert.deepEqual(
      reg.for(actorWith(['admin', 'triage']), '/staff').map((l) => l.text),
      ['Home', 'A', 'Deeper', 'B', 'U'],
    );
  });

  it('marks the most specific section active, and the page itself current', () => {
    const marked = (path: string) => reg.for(actorWith(['admin']), path).filter((l) => l.active).map((l) => `${l.text}${l.current ? ' (current)' : ''}`);
    assert.deepEqual(marked('/staff'), ['Home (current)']);
    assert.deepEqual(marked('/staff/a'), ['A (current)']);
    assert.deepEqual(marked('/staff/a/'), ['A (current)']);
    assert.deepEqual(marked('/staff/a/123'), ['A']);
    assert.deepEqual(marked('/staff/a/deeper/1'), ['Deeper']);
    assert.deepEqual(marked('/staff/ab'), [], 'a prefix counts only at a path boundary');
    assert.deepEqual(marked('/staff/notifications'), [], 'Home matches /staff exactly');
  });

  it('registering an href again replaces it', () => {
    const r = createStaffNavRegistry();
    r.register({ href: '/staff/x', text: 'Old', permission: null, order: 1 });
    r.register({ href: '/staff/x', text: 'New', permission: null, order: 1 });
    assert.deepEqual(r.links().map((l) => l.text), ['New']);
  });
});

describe('staff navigation on every signed-in page', () => {
  let h: Harness;
  let getRoutes: Map<string, StaffRouteInfo>;
  const sessions = new Map<Role, StaffSession>();

  /** What the page behind a link requires, from the route's own guard. */
  const guardOf = (href: string): string | null => {
    const route = getRoutes.get(href);
    assert.ok(route, `nav link ${href} has no GET route`);
    return typeof route.requires === 'object' ? route.requires.permission : null;
  };
  const allowedFor = (role: Role) => staffNav.links().filter((l) => {
    const p = guardOf(l.href);
    return p === null || (ROLE_PERMISSIONS[role] as readonly string[]).includes(p);
  });

  before(async () => {
    h = await createHarness();
    await h.app.ready();
    getRoutes = new Map(staffRoutesOf(h.app).filter((r) => r.method === 'GET').map((r) => [r.url, r]));
    for (const role of ROLES) sessions.set(role, await signIn(h, await createStaffUser(h, { roles: [role] })));
  });
  after(async () => h.close());

  it('every module registers its section, and each link asks for what its page requires', () => {
    const hrefs = staffNav.links().map((l) => l.href);
    for (const href of ['/staff', '/staff/inbox', '/staff/cases', '/staff/mace', '/staff/intel', '/staff/live', '/staff/retention', '/staff/users', '/staff/audit', '/staff/notifications']) {
      assert.ok(hrefs.includes(href), `${href} is in the staff navigation`);
    }
    for (const l of staffNav.links()) assert.equal(l.permission, guardOf(l.href), `${l.href}: the link's permission is the page's`);
  });

  for (const role of ROLES) {
    it(`the ${role} role sees exactly the links its permissions allow, the same on every page it can open`, async () => {
      const s = sessions.get(role)!;
      const expected = allowedFor(role).map((l) => ({ href: l.href, text: l.text }));
      const home = await s.get('/staff');
      assert.equal(home.statusCode, 200);
      const onHome = navLinks(home.body);
      assert.deepEqual(onHome.map(({ href, text }) => ({ href, text })), expected);
      assert.deepEqual(onHome.filter((l) => l.current).map((l) => [l.href, l.current]), [['/staff', 'page']]);
      for (const { href } of expected) {
        const page = await s.get(href);
        assert.equal(page.statusCode, 200, `${role} GET ${href}`);
        const nav = navLinks(page.body);
        assert.deepEqual(nav.map(({ href: x, text }) => ({ href: x, text })), expected, `the same links on ${href}`);
        assert.deepEqual(nav.filter((l) => l.current).map((l) => [l.href, l.current]), [[href, 'page']], `${href} is marked as the current page`);
      }
    });
  }

  it('a page inside a section marks that section; signed-out pages show no links', async () => {
    const caseworker = sessions.get('caseworker')!;
    const page = await caseworker.get('/staff/cases/new');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(navLinks(page.body).filter((l) => l.current).map((l) => [l.href, l.current]), [['/staff/cases', 'true']]);
    const signInPage = await h.app.inject({ url: '/staff/sign-in' });
    assert.equal(signInPage.statusCode, 200);
    assert.deepEqual(navLinks(signInPage.body), []);
  });
});
