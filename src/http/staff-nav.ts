/**
 * The staff navigation, shared by every signed-in staff page. Each module registers its links
 * once, beside its routes:
 *
 *   registerStaffNav({ href: '/staff/inbox', text: 'Inbox', permission: 'report:read', order: 10 });
 *
 * and layouts/staff.njk asks for `staffNavigationFor(actor, currentPath)` on every render, so a
 * page shows exactly the links its viewer may use (a link's permission is the one its route's
 * guard requires; null means any signed-in staff member), in `order`, with the section the page
 * belongs to marked active. Signed-out pages (sign-in, set-up) get no links.
 */
import { can, type StaffActor } from '../auth/access.ts';
import type { Permission } from '../auth/permissions.ts';

export interface StaffNavLink {
  readonly href: string;
  readonly text: string;
  /** The permission the link's page requires; null for any signed-in staff member. */
  readonly permission: Permission | null;
  /** Position from left to right: Home is 0, modules use 10, 20, ... */
  readonly order: number;
  /** 'prefix' (default): also the current section for pages under href/...; 'exact': only href itself. */
  readonly match?: 'prefix' | 'exact';
}

/** An item for govukServiceNavigation: `active` marks the section, `current` the page itself. */
export interface StaffNavItem {
  href: string;
  text: string;
  active?: true;
  current?: true;
}

export interface StaffNavRegistry {
  /** Adds links; registering an href again replaces its link (modules may be loaded twice in tests). */
  register(...links: StaffNavLink[]): void;
  /** The links one signed-in actor may use, with the current section marked. */
  for(actor: StaffActor | undefined, path: string): StaffNavItem[];
  /** Every registered link, in order (tests and documentation). */
  links(): StaffNavLink[];
}

export function createStaffNavRegistry(): StaffNavRegistry {
  const byHref = new Map<string, StaffNavLink>();
  const ordered = (): StaffNavLink[] => [...byHref.values()].sort((a, b) => a.order - b.order || a.text.localeCompare(b.text));
  return {
    register(...links) {
      for (const link of links) byHref.set(link.href, link);
    },
    for(actor, rawPath) {
      if (!actor) return [];
      const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
      const visible = ordered().filter((l) => l.permission === null || can(actor, l.permission));
      // The section is the most specific link the page is at or under.
      let section: StaffNavLink | undefined;
      for (const l of visible) {
        const inside = path === l.href || ((l.match ?? 'prefix') === 'prefix' && path.startsWith(`${l.href}/`));
        if (inside && (!section || l.href.length > section.href.length)) section = l;
      }
      return visible.map((l) => ({
        href: l.href,
        text: l.text,
        ...(l === section ? { active: true as const } : {}),
        ...(l === section && path === l.href ? { current: true as const } : {}),
      }));
    },
    links: ordered,
  };
}

/** The application's registry: route files register into it; the staff layout reads it. */
export const staffNav = createStaffNavRegistry();

/** Registers links in the application's staff navigation (call once at the top of a routes file). */
export function registerStaffNav(...links: StaffNavLink[]): void {
  staffNav.register(...links);
}

/** For the views: the navigation items for this actor on this page. */
export function staffNavigationFor(actor: StaffActor | undefined, path: string): StaffNavItem[] {
  return staffNav.for(actor, path);
}
