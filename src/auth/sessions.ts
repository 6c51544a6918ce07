/**
 * Staff sessions, stored server-side so every app instance shares them. The cookie carries a
 * random token; the database holds only its SHA-256 (the session id). Policy (see docs/auth.md):
 * 30 minutes idle, 12 hours absolute, 10 minutes between the password and the code steps.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { Platform } from '../platform.ts';
import { isRole, type Role } from './permissions.ts';
import * as repo from './auth.repository.ts';

export const SESSION_COOKIE = 'lookout_staff';
export const SESSION_POLICY = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
  pendingMs: 10 * 60_000,
  /** last_seen_at is written at most this often, to spare the database a write per request. */
  touchMs: 60_000,
} as const;

/** The session id (stored) for a cookie token (sent). */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewSession {
  token: string;
  id: string;
}

export interface ResolvedSession {
  id: string;
  userId: string;
  mfaPassed: boolean;
  returnTo: string | null;
  user: { email: string; name: string; agencyId: string; roles: Role[] };
}

export interface SessionService {
  /** Opens a new session (always a fresh id: session fixation cannot carry over). */
  create(tx: Queryable, userId: string, opts: { mfaPassed: boolean; returnTo?: string | null }): Promise<NewSession>;
  /** The live session for a cookie token, or null (expired, unknown, or the user is disabled). */
  resolve(token: string): Promise<ResolvedSession | null>;
  destroy(tx: Queryable, id: string): Promise<void>;
}

export function createSessionService(platform: Platform): SessionService {
  const { db, clock } = platform;
  return {
    async create(tx, userId, opts) {
      const token = randomBytes(32).toString('base64url');
      const id = sessionIdOf(token);
      const now = clock();
      const ttl = opts.mfaPassed ? SESSION_POLICY.absoluteMs : SESSION_POLICY.pendingMs;
      await repo.insertSession(tx, {
        id,
        user_id: userId,
        created_at: now,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + ttl),
        mfa_passed: opts.mfaPassed,
        return_to: opts.returnTo ?? null,
      });
      return { token, id };
    },

    async resolve(token) {
      if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
      const id = sessionIdOf(token);
      const row = await repo.findSessionWithUser(db, id);
      if (!row) return null;
      const now = clock().getTime();
      const idle = now - new Date(row.last_seen_at).getTime() > SESSION_POLICY.idleMs;
      const expired = now >= new Date(row.expires_at).getTime();
      // A disabled account stops at once: checked on every request, not only at sign-in.
      if (expired || idle || row.disabled) {
        await repo.deleteSession(db, id);
        return null;
      }
      if (now - new Date(row.last_seen_at).getTime() > SESSION_POLICY.touchMs) await repo.touchSession(db, id, new Date(now));
      return {
        id,
        userId: row.user_id,
        mfaPassed: row.mfa_passed,
        returnTo: row.return_to,
        user: { email: row.email, name: row.name, agencyId: row.agency_id, roles: row.roles.filter(isRole) },
      };
    },

    async destroy(tx, id) {
      await repo.deleteSession(tx, id);
    },
  };
}
