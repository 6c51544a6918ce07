/**
 * Access checks used at the top of every service method that touches protected data.
 * An actor sees a record only if its agency owns it or it has been shared with that agency.
 */
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { permissionsFor, type Permission, type Role } from './permissions.ts';

export interface StaffActor {
  readonly kind: 'staff';
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly agencyId: string;
  readonly roles: readonly Role[];
  /** Request correlation id, carried into audit rows. */
  readonly correlationId: string;
}

/** Jobs and the CLI act as the system, still audited by name. */
export interface SystemActor {
  readonly kind: 'system';
  readonly name: string;
  readonly correlationId: string;
}

export type Actor = StaffActor | SystemActor;

export interface Scoped {
  ownerAgencyId: string | null;
  sharedWithAgencyIds?: readonly string[];
}

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  return permissionsFor(actor.roles).has(permission);
}

/** Throws ForbiddenError unless the actor holds the permission. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new ForbiddenError(permission);
}

export function canSee(actor: Actor, record: Scoped): boolean {
  if (actor.kind === 'system') return true;
  if (record.ownerAgencyId === actor.agencyId) return true;
  return (record.sharedWithAgencyIds ?? []).includes(actor.agencyId);
}

/**
 * Throws NotFoundError (not Forbidden) for another agency's record, so ids of records an
 * actor may not see cannot be probed.
 */
export function requireVisible(actor: Actor, record: Scoped | undefined | null, kind: string, id: string): asserts record is Scoped {
  if (!record || !canSee(actor, record)) throw new NotFoundError(kind, id);
}

export interface Access {
  can: typeof can;
  require: typeof requirePermission;
  canSee: typeof canSee;
  requireVisible: typeof requireVisible;
}

// Typed explicitly so `access.requireVisible(...)` narrows as an assertion function (TS2775).
export const access: Access = { can, require: requirePermission, canSee, requireVisible };
