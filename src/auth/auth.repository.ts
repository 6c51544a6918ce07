/** SQL for agencies, users, recovery codes, staff sessions and sign-in throttling. Returns rows. */
import type { Queryable } from '../db/database.ts';

export const AGENCY_KINDS = [
  'police',
  'childrens_social_care',
  'adult_social_care',
  'education',
  'health',
  'youth_justice',
  'voluntary_sector',
  'reporting_intermediary',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export interface AgencyRow {
  id: string;
  name: string;
  kind: AgencyKind;
  area: string;
  created_at: Date;
}

export interface UserRow {
  id: string;
  agency_id: string;
  email: string;
  name: string;
  roles: string[];
  password_hash: string | null;
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
  totp_last_step: number | null;
  disabled: boolean;
  setup_token_hash: string | null;
  setup_expires_at: Date | null;
  created_at: Date;
  last_sign_in_at: Date | null;
}

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  mfa_passed: boolean;
  return_to: string | null;
}

export interface SessionWithUserRow extends SessionRow {
  email: string;
  name: string;
  agency_id: string;
  roles: string[];
  disabled: boolean;
}

// Agencies

export async function insertAgency(q: Queryable, a: Omit<AgencyRow, 'created_at'>, now: Date): Promise<void> {
  await q.query('INSERT INTO agencies (id, name, kind, area, created_at) VALUES ($1, $2, $3, $4, $5)', [a.id, a.name, a.kind, a.area, now]);
}

export async function findAgency(q: Queryable, id: string): Promise<AgencyRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await q.query<AgencyRow>('SELECT * FROM agencies WHERE id = $1', [id])).rows[0];
}

export async function findAgencyByName(q: Queryable, name: string): Promise<AgencyRow | undefined> {
  return (await q.query<AgencyRow>('SELECT * FROM agencies WHERE lower(name) = lower($1)', [name])).rows[0];
}

export async function listAgencies(q: Queryable): Promise<AgencyRow[]> {
  return (await q.query<AgencyRow>('SELECT * FROM agencies ORDER BY name')).rows;
}

// Users

export async function insertUser(
  q: Queryable,
  u: Pick<UserRow, 'id' | 'agency_id' | 'email' | 'name' | 'roles' | 'setup_token_hash' | 'setup_expires_at'> &
    Partial<Pick<UserRow, 'password_hash' | 'totp_secret_enc'>>,
  now: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO users (id, agency_id, email, name, roles, password_hash, totp_secret_enc, setup_token_hash, setup_expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10)`,
    [u.id, u.agency_id, u.email, u.name, u.roles, u.password_hash ?? null, u.totp_secret_enc ?? null, u.setup_token_hash, u.setup_expires_at, now],
  );
}

export async function findUser(q: Queryable, id: string): Promise<UserRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await q.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
}

export async function findUserByEmail(q: Queryable, email: string): Promise<UserRow | undefined> {
  return (await q.query<UserRow>('SELECT * FROM users WHERE email = $1', [email.trim().toLowerCase()])).rows[0];
}

export async function findUserBySetupToken(q: Queryable, tokenHash: string): Promise<UserRow | undefined> {
  return (await q.query<UserRow>('SELECT * FROM users WHERE setup_token_hash = $1', [tokenHash])).rows[0];
}

export async function listUsersOfAgency(q: Queryable, agencyId: string): Promise<UserRow[]> {
  return (await q.query<UserRow>('SELECT * FROM users WHERE agency_id = $1 ORDER BY lower(name), email', [agencyId])).rows;
}

export async function setDisabled(q: Queryable, id: string, disabled: boolean): Promise<void> {
  await q.query('UPDATE users SET disabled = $2 WHERE id = $1', [id, disabled]);
}

export async function setPasswordHash(q: Queryable, id: string, hash: string): Promise<void> {
  await q.query('UPDATE users SET password_hash = $2 WHERE id = $1', [id, hash]);
}

export async function setPendingTotp(q: Queryable, id: string, sealed: string): Promise<void> {
  await q.query('UPDATE users SET totp_pending_enc = $2 WHERE id = $1', [id, sealed]);
}

/** Confirms enrolment: the pending secret becomes the secret and the set-up link is spent. */
export async function completeEnrolment(q: Queryable, id: string, sealed: string, step: number | null): Promise<void> {
  await q.query(
    `UPDATE users SET totp_secret_enc = $2, totp_pending_enc = NULL, totp_last_step = $3, setup_token_hash = NULL, setup_expires_at = NULL
     WHERE id = $1`,
    [id, sealed, step],
  );
}

/** Records a used TOTP step only if it is newer than the last (no replay even under races). */
export async function useTotpStep(q: Queryable, id: string, step: number): Promise<boolean> {
  const res = await q.query('UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)', [id, step]);
  return res.rowCount === 1;
}

export async function markSignedIn(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query('UPDATE users SET last_sign_in_at = $2 WHERE id = $1', [id, now]);
}

// Recovery codes

export async function replaceRecoveryCodes(q: Queryable, userId: string, hashes: readonly string[]): Promise<void> {
  await q.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
  for (const h of hashes) await q.query('INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)', [userId, h]);
}

/** Spends a recovery code; true when it existed and was unused. */
export async function useRecoveryCode(q: Queryable, userId: string, hash: string, now: Date): Promise<boolean> {
  const res = await q.query('UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL', [userId, hash, now]);
  return res.rowCount === 1;
}

export async function countUnusedRecoveryCodes(q: Queryable, userId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL', [userId]);
  return rows[0]?.n ?? 0;
}

// Sessions

export async function insertSession(q: Queryable, s: SessionRow): Promise<void> {
  await q.query(
    'INSERT INTO staff_sessions (id, user_id, created_at, last_seen_at, expires_at, mfa_passed, return_to) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.mfa_passed, s.return_to],
  );
}

export async function findSessionWithUser(q: Queryable, id: string): Promise<SessionWithUserRow | undefined> {
  const { rows } = await q.query<SessionWithUserRow>(
    `SELECT s.*, u.email, u.name, u.agency_id, u.roles, u.disabled
     FROM staff_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
    [id],
  );
  return rows[0];
}

export async function touchSession(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query('UPDATE staff_sessions SET last_seen_at = $2 WHERE id = $1', [id, now]);
}

export async function deleteSession(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM staff_sessions WHERE id = $1', [id]);
}

export async function deleteSessionsOfUser(q: Queryable, userId: string): Promise<number> {
  return (await q.query('DELETE FROM staff_sessions WHERE user_id = $1', [userId])).rowCount;
}

export async function countLiveSessions(q: Queryable, userId: string, now: Date): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM staff_sessions WHERE user_id = $1 AND mfa_passed AND expires_at > $2',
    [userId, now],
  );
  return rows[0]?.n ?? 0;
}

// Throttle

export interface ThrottleRow {
  key: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

export async function findLocks(q: Queryable, keys: readonly string[], now: Date): Promise<Date | null> {
  const { rows } = await q.query<{ until: Date | null }>(
    'SELECT max(locked_until) AS until FROM sign_in_throttle WHERE key = ANY($1::text[]) AND locked_until > $2',
    [keys, now],
  );
  return rows[0]?.until ?? null;
}

/** Counts one failure within the window (a stale window restarts at one); returns the count. */
export async function countFailure(q: Queryable, key: string, now: Date, windowStart: Date): Promise<number> {
  const { rows } = await q.query<{ failures: number }>(
    `INSERT INTO sign_in_throttle (key, failures, window_started_at) VALUES ($1, 1, $2)
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN sign_in_throttle.window_started_at < $3 THEN 1 ELSE sign_in_throttle.failures + 1 END,
       window_started_at = CASE WHEN sign_in_throttle.window_started_at < $3 THEN $2 ELSE sign_in_throttle.window_started_at END
     RETURNING failures`,
    [key, now, windowStart],
  );
  return rows[0]?.failures ?? 1;
}

export async function lockKey(q: Queryable, key: string, until: Date, now: Date): Promise<void> {
  await q.query('UPDATE sign_in_throttle SET locked_until = $2, failures = 0, window_started_at = $3 WHERE key = $1', [key, until, now]);
}

export async function clearKey(q: Queryable, key: string): Promise<void> {
  await q.query('DELETE FROM sign_in_throttle WHERE key = $1', [key]);
}

export async function pruneThrottle(q: Queryable, before: Date): Promise<void> {
  await q.query('DELETE FROM sign_in_throttle WHERE window_started_at < $1 AND (locked_until IS NULL OR locked_until < $1)', [before]);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
