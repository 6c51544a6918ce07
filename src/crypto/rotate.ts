/**
 * KEK rotation: re-wraps every stored DEK under the current master key. Content stays as it is
 * (it is sealed with the DEK, which does not change), so rotation is cheap and restartable.
 */
import type { Database } from '../db/database.ts';
import { quoteIdent } from '../db/database.ts';
import { CryptoError, rewrapDataKey, type Keyring } from './envelope.ts';

/** Tables holding wrapped DEKs: (table, primary key column). Constants, never user input. */
export const WRAPPED_KEY_TABLES: ReadonlyArray<{ table: string; idColumn: string }> = [
  { table: 'reports', idColumn: 'id' },
  { table: 'report_drafts', idColumn: 'id_hash' },
  { table: 'triage_items', idColumn: 'id' },
  { table: 'triage_referrals', idColumn: 'id' },
  { table: 'triage_cases', idColumn: 'id' },
  { table: 'live_disclosures', idColumn: 'id' },
];

export interface RotationCounts {
  table: string;
  rewrapped: number;
  alreadyCurrent: number;
  /** Rows wrapped under a key that is not configured: left unchanged and reported. */
  unreadable: number;
}

export async function rotateWrappedKeys(db: Database, ring: Keyring, batchSize = 500): Promise<RotationCounts[]> {
  const out: RotationCounts[] = [];
  for (const { table, idColumn } of WRAPPED_KEY_TABLES) {
    const t = quoteIdent(table);
    const c = quoteIdent(idColumn);
    const counts: RotationCounts = { table, rewrapped: 0, alreadyCurrent: 0, unreadable: 0 };
    const current = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${t} WHERE kek_id = $1`, [ring.currentId]);
    counts.alreadyCurrent = current.rows[0]?.n ?? 0;
    // Keyset pagination over the rows not yet under the current key.
    let after: unknown = null;
    for (;;) {
      const { rows } = await db.query<{ id: unknown; kek_id: string; wrapped_dek: Buffer }>(
        `SELECT ${c} AS id, kek_id, wrapped_dek FROM ${t}
         WHERE kek_id <> $1 AND ($2::text IS NULL OR ${c}::text > $2::text)
         ORDER BY ${c}::text LIMIT $3`,
        [ring.currentId, after === null ? null : idText(after), batchSize],
      );
      if (rows.length === 0) break;
      await db.transaction(async (tx) => {
        for (const row of rows) {
          try {
            const next = rewrapDataKey(ring, { kekId: row.kek_id, wrappedDek: row.wrapped_dek });
            if (!next) continue;
            // Only if nobody re-wrapped it meanwhile (another instance running rotate).
            const res = await tx.query(`UPDATE ${t} SET kek_id = $1, wrapped_dek = $2 WHERE ${c} = $3 AND kek_id = $4`, [
              next.kekId,
              next.wrappedDek,
              row.id,
              row.kek_id,
            ]);
            counts.rewrapped += res.rowCount;
          } catch (err) {
            if (err instanceof CryptoError) counts.unreadable += 1;
            else throw err;
          }
        }
      });
      after = rows[rows.length - 1]!.id;
    }
    out.push(counts);
  }
  return out;
}

function idText(id: unknown): string {
  // bytea ids compare by their text form ('\x..'), the same form PostgreSQL gives ::text.
  return Buffer.isBuffer(id) ? `\\x${id.toString('hex')}` : String(id);
}
