/**
 * TOTP second factor (RFC 6238: 6 digits, 30-second steps, SHA-1, as every authenticator app
 * supports) and encryption of TOTP secrets at rest.
 *
 * Secrets are sealed with AES-256-GCM under a key derived by HKDF-SHA256 from config.masterKeys
 * (info "lookout:auth:totp-secret"). The first master key seals; any listed key opens, so a
 * master key rotation keeps enrolled authenticators working. A database dump alone reveals none.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import QRCode from 'qrcode';

const STEP_SECONDS = 30;
const ISSUER = 'Lookout';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function createSecretBox(masterKeys: readonly string[], info = 'lookout:auth:totp-secret'): SecretBox {
  const keys = masterKeys.map((k) => {
    const key = Buffer.from(hkdfSync('sha256', Buffer.from(k, 'base64'), Buffer.from('lookout-auth'), Buffer.from(info), 32));
    return { id: createHash('sha256').update(key).digest('hex').slice(0, 12), key };
  });
  const current = keys[0];
  if (!current) throw new Error('No master key configured');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    },
    open(sealed) {
      const [v, id, iv, tag, ct] = sealed.split('.');
      const k = keys.find((x) => x.id === id);
      if (v !== 'v1' || !k || !iv || !tag || ct === undefined) throw new Error('Cannot open sealed secret: unknown format or key');
      const decipher = createDecipheriv('aes-256-gcm', k.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** A new 160-bit secret, base32 (what authenticator apps expect). */
export function generateTotpSecret(): string {
  return authenticator.generateSecret(20);
}

/** The code an authenticator shows at `at` (tests and the demo use it). */
export function totpCode(secret: string, at: Date): string {
  return authenticator.clone({ epoch: at.getTime() }).generate(secret);
}

export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / STEP_SECONDS);
}

/**
 * Checks a code allowing one step of clock drift either way. Returns the matched time step, or
 * null when the code is wrong or its step was already used (a code is never accepted twice).
 */
export function checkTotp(secret: string, code: string, at: Date, lastStep: number | null): number | null {
  const cleaned = code.replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(cleaned)) return null;
  const delta = authenticator.clone({ epoch: at.getTime(), window: 1 }).checkDelta(cleaned, secret);
  if (delta === null) return null;
  const step = totpStep(at) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

export function totpUri(email: string, secret: string): string {
  return authenticator.keyuri(email, ISSUER, secret);
}

/** A QR code as a data: URL image (the CSP allows img-src data:; nothing leaves the server). */
export function qrDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/** The secret in groups of four so it can be typed into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}
