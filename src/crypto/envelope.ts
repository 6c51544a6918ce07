/**
 * Envelope encryption with Node's AES-256-GCM. Each record gets a random 256-bit data key (DEK)
 * that seals its content; the DEK is stored only wrapped (encrypted) by a key-encryption key
 * (KEK) from configuration (MASTER_KEYS, current first). The database holds the wrapped DEK and
 * the KEK's id (a short hash of the key), never a KEK, so a database dump alone reveals nothing.
 * Rotating the KEK re-wraps DEKs; content is never re-encrypted.
 *
 * Sealed format: version byte (1) | 12-byte random IV | 16-byte GCM tag | ciphertext. The caller
 * passes associated data naming what the bytes are ("report:<id>:content") so a sealed value
 * cannot be moved to another row or field without failing authentication.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class CryptoError extends Error {
  override name = 'CryptoError';
}

export interface Keyring {
  /** Id of the current KEK (new DEKs are wrapped under it). */
  readonly currentId: string;
  /** Every configured KEK by id, the current one included. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Short public id of a KEK: the first 8 bytes of SHA-256 over a label and the key, hex. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('lookout-kek-id\u0000').update(key).digest('hex').slice(0, 16);
}

/** Builds the keyring from config.masterKeys (base64 32-byte keys, the first is current). */
export function createKeyring(masterKeys: readonly string[]): Keyring {
  const keys = new Map<string, Buffer>();
  let currentId = '';
  for (const [i, b64] of masterKeys.entries()) {
    const key = Buffer.from(b64, 'base64');
    if (key.length !== KEY_BYTES) throw new CryptoError(`master key ${i + 1} is not 32 bytes`);
    const id = keyId(key);
    if (i === 0) currentId = id;
    keys.set(id, key);
  }
  if (!currentId) throw new CryptoError('no master key configured');
  return { currentId, keys };
}

/** AES-256-GCM seal of `plaintext` under `key` with associated data `aad`. */
export function seal(key: Buffer, plaintext: Buffer | string, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

/** Opens a value made by `seal`; throws CryptoError if it was altered or the AAD differs. */
export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new CryptoError('not a sealed value');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new CryptoError('sealed value failed authentication');
  }
}

export interface WrappedKey {
  kekId: string;
  wrappedDek: Buffer;
}

/** A fresh data key and its wrapped form under the current KEK. */
export function newDataKey(ring: Keyring): WrappedKey & { dek: Buffer } {
  const dek = randomBytes(KEY_BYTES);
  return { dek, ...wrapDataKey(ring, dek) };
}

export function wrapDataKey(ring: Keyring, dek: Buffer): WrappedKey {
  const kek = ring.keys.get(ring.currentId)!;
  return { kekId: ring.currentId, wrappedDek: seal(kek, dek, `dek:${ring.currentId}`) };
}

/** Unwraps a stored DEK with whichever configured KEK wrapped it. */
export function unwrapDataKey(ring: Keyring, w: WrappedKey): Buffer {
  const kek = ring.keys.get(w.kekId);
  if (!kek) throw new CryptoError(`master key ${w.kekId} is not configured (was it removed before rotation finished?)`);
  return open(kek, w.wrappedDek, `dek:${w.kekId}`);
}

/** Re-wraps a DEK under the current KEK (key rotation); returns null when already current. */
export function rewrapDataKey(ring: Keyring, w: WrappedKey): WrappedKey | null {
  if (w.kekId === ring.currentId) return null;
  return wrapDataKey(ring, unwrapDataKey(ring, w));
}
