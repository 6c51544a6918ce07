/**
 * Route guards for the staff area. They only decide whether to show a page: services still
 * check permissions themselves (access.require) because routes are not the only callers.
 * `req.actor` is set by the staff session plugin (src/auth) when a fully signed-in session exists.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../errors.ts';
import { can, type StaffActor } from './access.ts';
import type { Permission } from './permissions.ts';

/** preHandler: requires a signed-in staff member, optionally holding a permission. */
export function requireStaff(permission?: Permission) {
  return async function guard(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (!req.actor) throw new UnauthenticatedError();
    if (permission && !can(req.actor, permission)) throw new ForbiddenError(permission);
  };
}

/** The signed-in actor, for handlers behind requireStaff. */
export function actorOf(req: FastifyRequest): StaffActor {
  if (!req.actor) throw new UnauthenticatedError();
  return req.actor;
}
