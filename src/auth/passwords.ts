/**
 * Passwords, judged per NCSC password guidance: a minimum length, a generous maximum, a deny-list
 * of common passwords and no composition rules (no "must contain a symbol"). Hashed with argon2id.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import argon2 from 'argon2';

/** Minimum length. NCSC sets no single number; 12 suits accounts that can see safeguarding data. */
export const PASSWORD_MIN_LENGTH = 12;
/** Long passphrases are welcome; the cap only bounds hashing work. */
export const PASSWORD_MAX_LENGTH = 256;

const here = dirname(fileURLToPath(import.meta.url));
export const DENY_LIST_PATH = join(here, '..', '..', 'content', 'auth', 'common-passwords.txt');

/** Reads the deny-list (content/auth/common-passwords.txt): one password a line, # comments. */
export function loadDenyList(path = DENY_LIST_PATH): ReadonlySet<string> {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const set = new Set(lines.map((l) => l.trim().toLowerCase()).filter((l) => l && !l.startsWith('#')));
  if (set.size < 1000) throw new Error(`The common-password deny-list at ${path} has only ${set.size} entries.`);
  return set;
}

export interface PasswordContext {
  email?: string;
  name?: string;
}

/** Returns why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, denyList: ReadonlySet<string>, ctx: PasswordContext = {}): string | null {
  const length = [...password].length; // code points, so an emoji counts once
  if (length === 0) return 'Enter a password';
  if (length < PASSWORD_MIN_LENGTH) return `Password must be ${PASSWORD_MIN_LENGTH} characters or more`;
  if (length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
  const folded = password.trim().toLowerCase();
  if (denyList.has(folded) || denyList.has(folded.replace(/\s+/g, ''))) return 'Password is too common. Choose something harder to guess, such as three random words';
  if (new Set(folded).size <= 2) return 'Password is too easy to guess. Choose something harder to guess, such as three random words';
  const email = ctx.email?.toLowerCase();
  const local = email?.split('@')[0];
  const name = ctx.name?.toLowerCase().replace(/\s+/g, '');
  if ((email && folded === email) || (local && local.length >= 4 && folded.includes(local)) || (name && name.length >= 4 && folded.replace(/\s+/g, '').includes(name))) {
    return 'Password must not contain your name or email address';
  }
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  // argon2id with the library defaults (64 MiB, 3 passes, 4 lanes), above OWASP's minimum.
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/**
 * A hash of a random password, verified against when the account is unknown (or has no password),
 * so every failed sign-in costs one argon2 verification and takes about the same time.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummy;
}
