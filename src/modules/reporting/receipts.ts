/**
 * Receipt codes: 20 Crockford base32 characters (100 bits) in five groups of four, e.g.
 * "K7PQ-2XMD-9RTA-0HWE-5NBC". Crockford's alphabet has no I, L, O or U, and reading accepts the
 * usual slips (O for 0, I or L for 1, lower case, spaces, missing hyphens).
 *
 * Storage: an HMAC lookup key (key derived from SESSION_SECRET, so a dump cannot be used to test
 * guesses offline) finds the row without scanning; an argon2id hash with a per-report salt
 * verifies it. Parameters: with 100 bits of entropy no hash setting changes guessability (2^100
 * guesses is out of reach even for plain SHA-256), so argon2id here is defence in depth, tuned
 * (512 KiB, 1 pass: about 0.4 ms) so the public intake can take 1,000 reports/s on two cores. Online guessing is
 * limited by the receipt rate-limit bucket (5 a minute).
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import argon2 from 'argon2';

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECEIPT_CHARS = 20;

export const ARGON2_RECEIPT = { type: argon2.argon2id, memoryCost: 512, timeCost: 1, parallelism: 1 } as const;

/** `n` random Crockford characters, 5 bits each from one CSPRNG read (32 divides 256: no bias). */
export function randomCrockford(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += CROCKFORD[bytes[i]! & 31];
  return s;
}

export function newReceipt(): string {
  return formatReceipt(randomCrockford(RECEIPT_CHARS));
}

export function formatReceipt(chars: string): string {
  return chars.match(/.{1,4}/g)!.join('-');
}

/** Canonical form of what someone typed, or null if it cannot be a receipt. */
export function normaliseReceipt(input: string): string | null {
  const s = input
    .toUpperCase()
    .replace(/[\s\-–—_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== RECEIPT_CHARS) return null;
  for (const ch of s) if (!CROCKFORD.includes(ch)) return null;
  return s;
}

export interface ReceiptKeys {
  lookup(normalised: string): Buffer;
  hash(normalised: string): Promise<string>;
  verify(hash: string, normalised: string): Promise<boolean>;
}

export function createReceiptKeys(sessionSecret: string): ReceiptKeys {
  const lookupKey = Buffer.from(hkdfSync('sha256', sessionSecret, 'lookout', 'receipt-lookup-v1', 32));
  return {
    lookup(normalised) {
      return createHmac('sha256', lookupKey).update(normalised).digest();
    },
    hash(normalised) {
      return argon2.hash(normalised, { ...ARGON2_RECEIPT, salt: randomBytes(16) });
    },
    async verify(hash, normalised) {
      try {
        return await argon2.verify(hash, normalised);
      } catch {
        return false;
      }
    },
  };
}
