/**
 * Abuse control that identifies nobody. Per-client limits use the shared IP-free rate limiter;
 * on top of that, when the whole service sees a burst of reports (a flood from many addresses),
 * submissions must carry a proof of work in the style of ALTCHA (altcha.org): the server hands out
 * an HMAC-signed challenge {salt with expiry, SHA-256 of salt+secret number}; the browser finds
 * the number by brute force (about a second), and the server checks the signature, the expiry,
 * the hash and that the solution was not used before. No cookie, no tracking, no third party.
 * Without JavaScript the reporter is asked to wait a minute and try again; their report is kept.
 */
import { createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export interface Challenge {
  algorithm: 'SHA-256';
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

export interface PowGuard {
  /** Counts one accepted submission towards the burst detector. */
  count(): void;
  /** True while submissions over the last minute exceed the burst threshold. */
  required(): boolean;
  challenge(): Challenge;
  /** Checks a base64 JSON solution; a solution is accepted once. */
  verify(payload: unknown): boolean;
  /** Changes the burst threshold (reports a minute across the service). */
  configure(opts: { burstPerMinute: number }): void;
}

const CHALLENGE_SECONDS = 600;

export function createPowGuard(secret: string, burstPerMinute: number, clock: () => number, maxnumber = 50_000): PowGuard {
  const key = Buffer.from(hkdfSync('sha256', secret, 'lookout', 'report-pow-v1', 32));
  let threshold = burstPerMinute;
  // Counts in 10-second slots over the last minute: a count, nothing about who.
  const slots = new Map<number, number>();
  const used = new Map<string, number>();
  const slotOf = (ms: number) => Math.floor(ms / 10_000);
  const sign = (challenge: string) => createHmac('sha256', key).update(challenge).digest('hex');
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  function prune(now: number): void {
    const oldest = slotOf(now) - 5;
    for (const s of slots.keys()) if (s < oldest) slots.delete(s);
    if (used.size > 1000) for (const [c, exp] of used) if (exp < now / 1000) used.delete(c);
  }
  return {
    count() {
      const now = clock();
      const s = slotOf(now);
      slots.set(s, (slots.get(s) ?? 0) + 1);
      if (slots.size > 8) prune(now);
    },
    required() {
      const now = clock();
      prune(now);
      let total = 0;
      for (const n of slots.values()) total += n;
      return total >= threshold;
    },
    challenge() {
      const expires = Math.floor(clock() / 1000) + CHALLENGE_SECONDS;
      const salt = `${randomBytes(12).toString('hex')}?expires=${expires}`;
      const challenge = sha(`${salt}${randomInt(maxnumber + 1)}`);
      return { algorithm: 'SHA-256', challenge, maxnumber, salt, signature: sign(challenge) };
    },
    verify(payload) {
      if (typeof payload !== 'string' || payload.length > 2000) return false;
      let p: Record<string, unknown>;
      try {
        p = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Record<string, unknown>;
      } catch {
        return false;
      }
      const { algorithm, challenge, number, salt, signature } = p;
      if (algorithm !== 'SHA-256' || typeof challenge !== 'string' || typeof salt !== 'string' || typeof signature !== 'string') return false;
      if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > maxnumber) return false;
      const expires = Number(/\?expires=(\d+)$/.exec(salt)?.[1] ?? 0);
      const nowS = clock() / 1000;
      if (!expires || expires < nowS) return false;
      const want = Buffer.from(sign(challenge));
      const got = Buffer.from(signature);
      if (want.length !== got.length || !timingSafeEqual(want, got)) return false;
      if (sha(`${salt}${number}`) !== challenge) return false;
      if (used.has(challenge)) return false;
      used.set(challenge, expires);
      return true;
    },
    configure(opts) {
      threshold = opts.burstPerMinute;
    },
  };
}

/** Solves a challenge (what the browser script does; used by tests and the bench). */
export function solveChallenge(c: Challenge): string {
  for (let n = 0; n <= c.maxnumber; n++) {
    if (createHash('sha256').update(`${c.salt}${n}`).digest('hex') === c.challenge) {
      return Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature })).toString('base64');
    }
  }
  throw new Error('no solution');
}
