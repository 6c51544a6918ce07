/**
 * Security headers, CSRF tokens and privacy-preserving rate limiting.
 *
 * CSRF: staff forms carry an HMAC of the server-side session id (synchroniser token); public
 * forms, which must work without cookies, carry an HMAC of a day bucket, and every form POST
 * from another site is refused outright by Fetch Metadata (Sec-Fetch-Site: cross-site).
 *
 * Rate limiting stores no IP address: each client is counted under an HMAC of its address with
 * a random key that is replaced every window, so yesterday's counters cannot be tied to anyone.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export function cspHeader(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    "manifest-src 'self'",
  ].join('; ');
}

export function setSecurityHeaders(reply: FastifyReply, nonce: string, production: boolean): void {
  reply.header('Content-Security-Policy', cspHeader(nonce));
  reply.header('X-Frame-Options', 'DENY');
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('Cross-Origin-Opener-Policy', 'same-origin');
  reply.header('Cross-Origin-Resource-Policy', 'same-origin');
  reply.header(
    'Permissions-Policy',
    'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()',
  );
  if (production) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}

const DAY_MS = 86_400_000;

export class Csrf {
  constructor(
    private readonly secret: string,
    private readonly clock: () => number = Date.now,
  ) {}

  private mac(input: string): string {
    return createHmac('sha256', this.secret).update(`csrf:${input}`).digest('base64url');
  }

  /** The token to embed in forms for this request. */
  tokenFor(sessionId: string | undefined): string {
    if (sessionId) return `s.${this.mac(`session:${sessionId}`)}`;
    const day = Math.floor(this.clock() / DAY_MS);
    return `p.${this.mac(`public:${day}`)}`;
  }

  verify(sessionId: string | undefined, token: unknown): boolean {
    if (typeof token !== 'string' || token.length > 200) return false;
    const candidates: string[] = [];
    if (sessionId) candidates.push(`s.${this.mac(`session:${sessionId}`)}`);
    else {
      // A public form stays valid for a day or two so a slow reporter never loses their report.
      const day = Math.floor(this.clock() / DAY_MS);
      candidates.push(`p.${this.mac(`public:${day}`)}`, `p.${this.mac(`public:${day - 1}`)}`);
    }
    const given = Buffer.from(token);
    return candidates.some((c) => {
      const want = Buffer.from(c);
      return want.length === given.length && timingSafeEqual(want, given);
    });
  }
}

/** Fetch Metadata: browsers mark cross-site form posts; refuse them whatever the token. */
export function isCrossSite(req: FastifyRequest): boolean {
  return req.headers['sec-fetch-site'] === 'cross-site';
}

export interface RateLimiter {
  /** Counts one hit for this client in this bucket; false when over the limit. */
  hit(clientAddress: string, bucket: string, limit: number): boolean;
  /** Seconds until the current window ends. */
  retryAfter(): number;
}

export function createRateLimiter(windowMs = 60_000, clock: () => number = Date.now): RateLimiter {
  let key = randomBytes(32);
  let windowStart = clock();
  let counts = new Map<string, number>();
  function rotate(): void {
    const now = clock();
    if (now - windowStart >= windowMs) {
      // New key and empty counters: nothing from the last window survives, not even hashes.
      key = randomBytes(32);
      counts = new Map();
      windowStart = now - ((now - windowStart) % windowMs);
    }
  }
  return {
    hit(clientAddress, bucket, limit) {
      rotate();
      const id = createHmac('sha256', key).update(`${bucket}\u0000${clientAddress}`).digest('base64url');
      const n = (counts.get(id) ?? 0) + 1;
      counts.set(id, n);
      return n <= limit;
    },
    retryAfter() {
      return Math.max(1, Math.ceil((windowStart + windowMs - clock()) / 1000));
    },
  };
}
