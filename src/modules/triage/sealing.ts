/**
 * Sealing for triage's protected text (sanitised intelligence, referrer details, person records,
 * notes) through src/crypto/envelope.ts: each record has its own data key, stored only wrapped by
 * a master key from configuration, and every value is bound to its row and field by the AAD.
 */
import { createKeyring, newDataKey, open, seal, unwrapDataKey, type Keyring } from '../../crypto/envelope.ts';

export interface SealedRecord {
  kekId: string;
  wrappedDek: Buffer;
}

export interface Sealer {
  /** A new data key for a record, plus a function sealing values with it. */
  newRecord(): SealedRecord & { seal(plaintext: string, aad: string): Buffer };
  /** Seals a value with an existing record's key. */
  sealWith(rec: { kek_id: string; wrapped_dek: Buffer }, plaintext: string, aad: string): Buffer;
  /** Opens a value sealed with a record's key. */
  openWith(rec: { kek_id: string; wrapped_dek: Buffer }, sealed: Buffer, aad: string): string;
}

export function createSealer(masterKeys: readonly string[]): Sealer {
  const ring: Keyring = createKeyring(masterKeys);
  const dekOf = (rec: { kek_id: string; wrapped_dek: Buffer }) => unwrapDataKey(ring, { kekId: rec.kek_id, wrappedDek: rec.wrapped_dek });
  return {
    newRecord() {
      const { dek, kekId, wrappedDek } = newDataKey(ring);
      return { kekId, wrappedDek, seal: (plaintext, aad) => seal(dek, plaintext, aad) };
    },
    sealWith(rec, plaintext, aad) {
      return seal(dekOf(rec), plaintext, aad);
    },
    openWith(rec, sealed, aad) {
      return open(dekOf(rec), sealed, aad).toString('utf8');
    },
  };
}
