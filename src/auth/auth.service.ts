/**
 * Signing in and out, the TOTP second factor, recovery codes and first-time set-up.
 *
 * Failures never say which part was wrong: an unknown email, a wrong password and a wrong code
 * all give SIGN_IN_FAILED, and every failure costs one argon2 verification (against a dummy hash
 * when there is no account) so they take about the same time. Failures are counted per account
 * and per client address (both only as keyed hashes): from the third the reply slows down, at
 * the fifth for an account (twentieth for an address) sign-in locks for 15 minutes. Unknown
 * emails are counted and locked exactly like real ones, so a lock reveals nothing.
 */
import { createHash, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Platform } from '../platform.ts';
import type { Queryable } from '../db/database.ts';
import { ValidationError } from '../errors.ts';
import type { StaffActor } from './access.ts';
import { isRole } from './permissions.ts';
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import type { NewSession, SessionService } from './sessions.ts';
import { SESSION_POLICY } from './sessions.ts';
import { checkTotp, generateTotpSecret, groupSecret, qrDataUrl, totpUri, type SecretBox } from './totp.ts';
import * as repo from './auth.repository.ts';

export const SIGN_IN_FAILED = 'The details you entered are not correct. Check them and try again.';
export const SIGN_IN_LOCKED = 'There have been too many attempts to sign in. Wait 15 minutes and try again.';

export const THROTTLE_POLICY = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  accountLimit: 5,
  addressLimit: 20,
  /** From this many failures in the window each further failure waits longer (250 ms, 500 ms, ...). */
  slowFrom: 3,
  maxDelayMs: 2_000,
} as const;

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i
const SETUP_TOKEN_TTL_MS = 72 * 3_600_000;

/** What a route knows about the request: its correlation id and the client's address. */
export interface RequestContext {
  correlationId: string;
  clientAddress: string;
}

export type SignInResult = { ok: true; session: NewSession } | { ok: false; reason: 'invalid' | 'locked' };
export type SecondFactorResult = { ok: true; session: NewSession; returnTo: string | null } | { ok: false; reason: 'invalid' | 'locked' | 'expired' };

export interface SetupState {
  userId: string;
  email: string;
  name: string;
  step: 'password' | 'authenticator';
}

export interface Enrolment {
  email: string;
  secret: string;
  secretGrouped: string;
  qrDataUrl: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function generateRecoveryCodes(n = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: n }, () => {
    const raw = Array.from({ length: 16 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return raw.replace(/(.{4})(?!$)/g, '$1-');
  });
}

export function staffActorFromUser(u: Pick<repo.UserRow, 'id' | 'name' | 'email' | 'agency_id' | 'roles'>, correlationId: string): StaffActor {
  return { kind: 'staff', userId: u.id, name: u.name, email: u.email, agencyId: u.agency_id, roles: u.roles.filter(isRole), correlationId };
}

export function createAuthService(platform: Platform, deps: { sessions: SessionService; box: SecretBox; denyList: ReadonlySet<string> }) {
  const { db, clock, audit, config } = platform;
  const { sessions, box, denyList } = deps;
  const throttleKey = Buffer.from(hkdfSync('sha256', Buffer.from(config.sessionSecret), Buffer.from('lookout-auth'), Buffer.from('lookout:auth:throttle'), 32));
  const keyed = (value: string) => createHmac('sha256', throttleKey).update(value).digest('base64url');
  const keysFor = (email: string, address: string) => ({ account: `a:${keyed(`account:${email}`)}`, address: `i:${keyed(`ip:${address}`)}`, emailRef: keyed(`email:${email}`).slice(0, 22) });

  /** Counts a failure against both keys, locking either when over its limit. Returns whether the account is now locked. */
  async function countFailure(tx: Queryable, keys: ReturnType<typeof keysFor>, now: Date): Promise<{ failures: number; locked: boolean }> {
    const windowStart = new Date(now.getTime() - THROTTLE_POLICY.windowMs);
    const until = new Date(now.getTime() + THROTTLE_POLICY.lockMs);
    const failures = await repo.countFailure(tx, keys.account, now, windowStart);
    const byAddress = await repo.countFailure(tx, keys.address, now, windowStart);
    let locked = false;
    if (failures >= THROTTLE_POLICY.accountLimit) {
      await repo.lockKey(tx, keys.account, until, now);
      locked = true;
    }
    if (byAddress >= THROTTLE_POLICY.addressLimit) {
      await repo.lockKey(tx, keys.address, until, now);
      locked = true;
    }
    await repo.pruneThrottle(tx, new Date(now.getTime() - 4 * THROTTLE_POLICY.windowMs));
    return { failures, locked };
  }

  async function slowDown(failures: number): Promise<void> {
    if (failures < THROTTLE_POLICY.slowFrom) return;
    await sleep(Math.min(THROTTLE_POLICY.maxDelayMs, 250 * 2 ** (failures - THROTTLE_POLICY.slowFrom)));
  }

  async function recordFailure(
    ctx: RequestContext,
    keys: ReturnType<typeof keysFor>,
    user: repo.UserRow | undefined,
    reason: string,
    stage: 'password' | 'code' | 'recovery_code',
    alreadyLocked: boolean,
    pendingSessionId?: string,
  ): Promise<{ ok: false; reason: 'invalid' | 'locked' }> {
    const now = clock();
    const result = await db.transaction(async (tx) => {
      const counted = alreadyLocked ? { failures: 0, locked: true } : await countFailure(tx, keys, now);
      if (counted.locked && pendingSessionId) await sessions.destroy(tx, pendingSessionId);
      await audit.record(tx, { kind: 'anonymous', correlationId: ctx.correlationId }, {
        action: 'signin.failure',
        // The subject is the account when there is one; never the password, never the email itself.
        ...(user ? { subjectType: 'user', subjectId: user.id } : {}),
        detail: { reason, stage, emailRef: keys.emailRef, ...(counted.locked ? { locked: true } : {}) },
      });
      return counted;
    });
    await slowDown(result.failures);
    return { ok: false, reason: result.locked ? 'locked' : 'invalid' };
  }

  async function pendingSession(sessionId: string | undefined): Promise<{ session: repo.SessionWithUserRow; user: repo.UserRow } | null> {
    if (!sessionId) return null;
    const session = await repo.findSessionWithUser(db, sessionId);
    if (!session || session.mfa_passed || new Date(session.expires_at).getTime() <= clock().getTime()) return null;
    const user = await repo.findUser(db, session.user_id);
    return user ? { session, user } : null;
  }

  async function completeSignIn(ctx: RequestContext, user: repo.UserRow, pending: repo.SessionRow, keys: ReturnType<typeof keysFor>, method: string, tx: Queryable, extra: Record<string, unknown> = {}) {
    const now = clock();
    await sessions.destroy(tx, pending.id);
    // A new session id once the second factor passes (session fixation).
    const session = await sessions.create(tx, user.id, { mfaPassed: true });
    await repo.clearKey(tx, keys.account);
    await repo.markSignedIn(tx, user.id, now);
    await audit.record(tx, staffActorFromUser(user, ctx.correlationId), { action: 'signin.success', subjectType: 'user', subjectId: user.id, detail: { method, ...extra } });
    return session;
  }

  async function setupUser(token: string): Promise<repo.UserRow | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const user = await repo.findUserBySetupToken(db, hashToken(token));
    if (!user || user.disabled || !user.setup_expires_at || new Date(user.setup_expires_at).getTime() <= clock().getTime()) return null;
    return user;
  }

  return {
    /** Step one: email and password. On success opens a short pending session for the code step. */
    async signInWithPassword(ctx: RequestContext, input: { email: string; password: string; returnTo: string | null; currentSessionId?: string | undefined }): Promise<SignInResult> {
      const now = clock();
      const email = input.email.trim().toLowerCase().slice(0, 320);
      const keys = keysFor(email, ctx.clientAddress);
      const lockedUntil = await repo.findLocks(db, [keys.account, keys.address], now);
      const user = email ? await repo.findUserByEmail(db, email) : undefined;
      const hash = user?.password_hash ?? (await dummyHash());
      // Always one argon2 verification, whatever happens next (similar timing for every failure).
      const matches = (await verifyPassword(hash, input.password.slice(0, 1024))) && input.password.length <= 1024 && !!user?.password_hash;
      let reason: string | null = null;
      if (lockedUntil) reason = 'locked';
      else if (!user) reason = 'unknown_account';
      else if (!matches) reason = 'bad_password';
      else if (user.disabled) reason = 'disabled';
      else if (!user.totp_secret_enc) reason = 'not_enrolled';
      if (reason || !user) return recordFailure(ctx, keys, user, reason ?? 'unknown_account', 'password', !!lockedUntil);
      const session = await db.transaction(async (tx) => {
        if (input.currentSessionId) await sessions.destroy(tx, input.currentSessionId);
        return sessions.create(tx, user.id, { mfaPassed: false, returnTo: input.returnTo });
      });
      return { ok: true, session };
    },

    /** Whether this session is between the password and the code steps. */
    async hasPendingSignIn(sessionId: string | undefined): Promise<boolean> {
      return (await pendingSession(sessionId)) !== null;
    },

    /** Step two: the TOTP code. On success replaces the pending session with a full one. */
    async completeWithCode(ctx: RequestContext, input: { sessionId: string | undefined; code: string }): Promise<SecondFactorResult> {
      const pending = await pendingSession(input.sessionId);
      if (!pending) return { ok: false, reason: 'expired' };
      const { user, session } = pending;
      const now = clock();
      const keys = keysFor(user.email, ctx.clientAddress);
      const lockedUntil = await repo.findLocks(db, [keys.account, keys.address], now);
      // Same work as a password failure, so a wrong code and a wrong password take as long.
      await verifyPassword(await dummyHash(), input.code.slice(0, 64));
      const step = !lockedUntil && user.totp_secret_enc && !user.disabled ? checkTotp(box.open(user.totp_secret_enc), input.code, now, user.totp_last_step) : null;
      if (step !== null) {
        const done = await db.transaction(async (tx) => {
          if (!(await repo.useTotpStep(tx, user.id, step))) return null;
          return completeSignIn(ctx, user, session, keys, 'totp', tx);
        });
        if (done) return { ok: true, session: done, returnTo: session.return_to };
      }
      return recordFailure(ctx, keys, user, lockedUntil ? 'locked' : user.disabled ? 'disabled' : 'bad_code', 'code', !!lockedUntil, session.id);
    },

    /** Step two with a single-use recovery code instead of the authenticator. */
    async completeWithRecoveryCode(ctx: RequestContext, input: { sessionId: string | undefined; code: string }): Promise<SecondFactorResult> {
      const pending = await pendingSession(input.sessionId);
      if (!pending) return { ok: false, reason: 'expired' };
      const { user, session } = pending;
      const now = clock();
      const keys = keysFor(user.email, ctx.clientAddress);
      const lockedUntil = await repo.findLocks(db, [keys.account, keys.address], now);
      await verifyPassword(await dummyHash(), input.code.slice(0, 64));
      const code = normaliseRecoveryCode(input.code.slice(0, 64));
      if (!lockedUntil && !user.disabled && code.length === 16) {
        const done = await db.transaction(async (tx) => {
          if (!(await repo.useRecoveryCode(tx, user.id, hashToken(code), now))) return null;
          const remaining = await repo.countUnusedRecoveryCodes(tx, user.id);
          return completeSignIn(ctx, user, session, keys, 'recovery_code', tx, { remaining });
        });
        if (done) return { ok: true, session: done, returnTo: session.return_to };
      }
      return recordFailure(ctx, keys, user, lockedUntil ? 'locked' : 'bad_recovery_code', 'recovery_code', !!lockedUntil, session.id);
    },

    /** Ends this session (audited when it was a signed-in one). */
    async signOut(ctx: RequestContext, input: { sessionId: string | undefined; actor: StaffActor | undefined }): Promise<void> {
      const sessionId = input.sessionId;
      if (!sessionId) return;
      await db.transaction(async (tx) => {
        await sessions.destroy(tx, sessionId);
        if (input.actor) await audit.record(tx, input.actor, { action: 'signout', subjectType: 'user', subjectId: input.actor.userId });
      });
    },

    /** Where a set-up link stands, or null when it is unknown, used or expired. */
    async setupState(token: string): Promise<SetupState | null> {
      const user = await setupUser(token);
      if (!user) return null;
      return { userId: user.id, email: user.email, name: user.name, step: user.password_hash ? 'authenticator' : 'password' };
    },

    /** Set-up step one: choose a password (NCSC policy, see passwords.ts). */
    async choosePassword(ctx: RequestContext, token: string, input: { password: string; confirmPassword: string }): Promise<void> {
      const user = await setupUser(token);
      if (!user) throw new ValidationError([{ field: 'password', message: 'This set-up link has expired. Ask your administrator for a new one' }]);
      const problem = passwordProblem(input.password, denyList, { email: user.email, name: user.name });
      if (problem) throw new ValidationError([{ field: 'password', message: problem }]);
      if (input.password !== input.confirmPassword) throw new ValidationError([{ field: 'confirmPassword', message: 'Passwords do not match' }]);
      const hash = await hashPassword(input.password);
      await db.transaction(async (tx) => {
        await repo.setPasswordHash(tx, user.id, hash);
        await audit.record(tx, staffActorFromUser(user, ctx.correlationId), { action: 'password.set', subjectType: 'user', subjectId: user.id });
      });
    },

    /** Set-up step two: the secret to add to an authenticator app (kept until confirmed). */
    async enrolment(token: string): Promise<Enrolment | null> {
      const user = await setupUser(token);
      if (!user || !user.password_hash) return null;
      let secret: string;
      if (user.totp_pending_enc) secret = box.open(user.totp_pending_enc);
      else {
        secret = generateTotpSecret();
        await repo.setPendingTotp(db, user.id, box.seal(secret));
      }
      return { email: user.email, secret, secretGrouped: groupSecret(secret), qrDataUrl: await qrDataUrl(totpUri(user.email, secret)) };
    },

    /** Confirms the authenticator with a code; spends the set-up link; returns the recovery codes (shown once). */
    async confirmEnrolment(ctx: RequestContext, token: string, code: string): Promise<string[]> {
      const user = await setupUser(token);
      if (!user || !user.password_hash || !user.totp_pending_enc) {
        throw new ValidationError([{ field: 'code', message: 'This set-up link has expired. Ask your administrator for a new one' }]);
      }
      const now = clock();
      const sealed = user.totp_pending_enc;
      const step = checkTotp(box.open(sealed), code, now, null);
      if (step === null) throw new ValidationError([{ field: 'code', message: 'The code is not correct. Enter the 6-digit code your app shows now' }]);
      const codes = generateRecoveryCodes();
      await db.transaction(async (tx) => {
        // The enrolment code's step is not marked used: the person usually signs in straight
        // away, and refusing the code their app still shows would only confuse them.
        await repo.completeEnrolment(tx, user.id, sealed, null);
        await repo.replaceRecoveryCodes(tx, user.id, codes.map((c) => hashToken(normaliseRecoveryCode(c))));
        await audit.record(tx, staffActorFromUser(user, ctx.correlationId), { action: 'mfa.enrol', subjectType: 'user', subjectId: user.id, detail: { recoveryCodes: codes.length } });
      });
      return codes;
    },

    /** A new one-time set-up token (only its hash is stored) and its expiry. */
    newSetupToken(): { token: string; hash: string; expiresAt: Date } {
      const token = randomBytes(32).toString('base64url');
      return { token, hash: hashToken(token), expiresAt: new Date(clock().getTime() + SETUP_TOKEN_TTL_MS) };
    },

    /** The idle and absolute limits, for the pages that explain them. */
    sessionPolicy: SESSION_POLICY,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
