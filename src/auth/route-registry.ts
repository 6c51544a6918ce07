/**
 * Records every route under /staff with what its guard requires, so the access-matrix test
 * (access-matrix.test.ts) tries every role against every staff route, including routes other
 * modules add later. A /staff route must either use requireStaff(...) or say
 * `config: { staffPublic: true }` (sign-in, set-up): the matrix test fails on anything else.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { StaffGuardInfo } from './guard.ts';
import type { Permission } from './permissions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A /staff route that needs no signed-in session (sign-in, set-up links). */
    staffPublic?: true;
  }
}

export interface StaffRouteInfo {
  method: string;
  url: string;
  /** 'public': no session needed; null: any signed-in staff; otherwise the permission needed. */
  requires: 'public' | 'unguarded' | { permission: Permission | null };
}

const registries = new WeakMap<FastifyInstance, StaffRouteInfo[]>();

export function isStaffPath(url: string): boolean {
  return url === '/staff' || url.startsWith('/staff/') || url.startsWith('/staff?');
}

function guardOf(opts: RouteOptions): StaffGuardInfo | undefined {
  const handlers = opts.preHandler === undefined ? [] : Array.isArray(opts.preHandler) ? opts.preHandler : [opts.preHandler];
  for (const h of handlers as unknown[]) {
    const info = (h as { staffGuard?: StaffGuardInfo }).staffGuard;
    if (info) return info;
  }
  return undefined;
}

/** Starts recording (call before any staff route is registered). */
export function recordStaffRoutes(app: FastifyInstance): void {
  const list: StaffRouteInfo[] = [];
  registries.set(app, list);
  app.addHook('onRoute', (opts) => {
    if (!isStaffPath(opts.url ?? '')) return;
    const methods = (Array.isArray(opts.method) ? opts.method : [opts.method]).filter((m) => m !== 'HEAD');
    const guard = guardOf(opts);
    const requires: StaffRouteInfo['requires'] = guard ? { permission: guard.permission } : opts.config?.staffPublic ? 'public' : 'unguarded';
    for (const method of methods) list.push({ method, url: opts.url ?? '', requires });
  });
}

/** Every /staff route registered so far. */
export function staffRoutesOf(app: FastifyInstance): readonly StaffRouteInfo[] {
  return registries.get(app) ?? [];
}
