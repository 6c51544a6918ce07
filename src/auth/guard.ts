/**
 * Route guards for the staff area. They only decide whether to show a page: services still
 * check permissions themselves (access.require) because routes are not the only callers.
 * `req.actor` is set by the staff session plugin (src/auth) when a fully signed-in session exists.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import { can, type StaffActor } from './access.ts';
import type { Permission } from './permissions.ts';

/** What a guard requires; read by the route registry so the access-matrix test covers every route. */
export interface StaffGuardInfo {
  readonly permission: Permission | null;
}

export type StaffGuard = ((req: FastifyRequest, reply: FastifyReply) => Promise<void>) & { readonly staffGuard: StaffGuardInfo };

/** preHandler: requires a signed-in staff member, optionally holding a permission. */
export function requireStaff(permission?: Permission): StaffGuard {
  async function guard(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (!req.actor) throw new UnauthenticatedError();
    if (permission && !can(req.actor, permission)) throw new ForbiddenError(permission);
  }
  return Object.assign(guard, { staffGuard: { permission: permission ?? null } });
}

/** The signed-in actor, for handlers behind requireStaff. */
export function actorOf(req: FastifyRequest): StaffActor {
  if (!req.actor) throw new UnauthenticatedError();
  return req.actor;
}
