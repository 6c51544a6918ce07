/**
 * The bulk load path for simulated reports (`lookout simulate --db --bulk`, `lookout bench
 * simulate-load`): the same rows the reporting service commits for a trusted import, written
 * a batch at a time instead of one transaction per report.
 *
 * Per report, exactly as reports.service.ts `submit` does it (its exported helpers, read only):
 * - content {...emptyContent(), narrative} checked by validateComplete, sealed with the report's
 *   own data key (src/crypto/envelope.ts newDataKey + seal, AAD `report:<id>:content`);
 * - the keyed search tokens (search-tokens.ts tokensOf + createTokenHasher over the same fields);
 * - a receipt nobody is shown: its HMAC lookup key and argon2id hash (receipts.ts), because the
 *   schema requires both and a reporter-side lookup must behave as for any other report;
 * - reference R-XXXX-XXXX-XXXX, received_at to the minute, channel 'api', owner = the receiving
 *   agency, and the follow-on 'report.submitted' job in the same transaction. That job (src/intake.ts)
 *   puts the report into the triage inbox and queues intel extraction, as for every report.
 * What differs is only how the rows travel: per batch one INSERT ... SELECT FROM unnest($arrays)
 * per table (parameterised; no SQL is built from data) in one transaction, one NOTIFY per batch after commit,
 * and the next batch's CPU work (argon2 in libuv's pool, AES-GCM, HMACs) overlapping the current
 * batch's INSERTs. Memory is bounded by three batches whatever the report count.
 */
import { randomUUID } from 'node:crypto';
import type { Container } from '../../container.ts';
import { createKeyring, newDataKey, seal } from '../../crypto/envelope.ts';
import { createReceiptKeys, newReceipt, normaliseReceipt, randomCrockford } from '../reporting/receipts.ts';
import { emptyContent, validateComplete, type ReportContent } from '../reporting/reports.schema.ts';
import { createTokenHasher, tokensOf } from '../reporting/search-tokens.ts';
import type { ReportRecord, SimBatch } from './types.ts';

export const DEFAULT_BULK_BATCH = 1000;

interface PreparedBatch {
  ids: string[];
  references: string[];
  receivedAt: string[];
  kekIds: string[];
  wrappedDeks: string[];
  contents: string[];
  lookups: string[];
  hashes: string[];
  tokens: { i: string; t: string[] }[];
  /** The simulated ids, in the same order (for callers that map them). */
  simIds: string[];
}

export interface BulkLoader {
  /** Seals, hashes and tokenises a batch of reports (CPU only, no database). */
  prepare(reports: readonly ReportRecord[]): Promise<PreparedBatch>;
  /** Writes a prepared batch in one transaction. */
  write(batch: PreparedBatch): Promise<void>;
}

/** Builds the same content the service path stores for a simulated report (src/modules/simulate/load.ts). */
export function reportContent(r: ReportRecord): ReportContent {
  return { ...emptyContent(), narrative: r.text.slice(0, 10_000) };
}

/**
 * Receipt hashes: 'argon2' hashes each report's own (discarded) receipt exactly as the service
 * does (about 0.35 ms of CPU per report). 'sealed-off' hashes one fresh random receipt per batch
 * and stores that hash on every report of the batch: the lookup key is still each report's own,
 * so no receipt can ever verify, which is also true in 'argon2' mode because nobody holds the
 * receipts of imported reports. Only 'argon2' is byte-for-byte the service path.
 */
export type ReceiptMode = 'argon2' | 'sealed-off';

export async function createBulkLoader(container: Container, o: { receipts?: ReceiptMode } = {}): Promise<BulkLoader> {
  const mode: ReceiptMode = o.receipts ?? 'argon2';
  const { config, db } = container.platform;
  const ring = createKeyring(config.masterKeys);
  const receipts = createReceiptKeys(config.sessionSecret);
  const hashToken = createTokenHasher(config.sessionSecret);
  const owner = await container.services.reporting.resolveReceivingAgency();
  const minute = (iso: string) => new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000).toISOString();

  async function prepare(reports: readonly ReportRecord[]): Promise<PreparedBatch> {
    const b: PreparedBatch = { ids: [], references: [], receivedAt: [], kekIds: [], wrappedDeks: [], contents: [], lookups: [], hashes: [], tokens: [], simIds: [] };
    const hashes: Promise<string>[] = [];
    for (const r of reports) {
      const c = reportContent(r);
      const errors = validateComplete(c);
      if (errors.length) throw new Error(`report ${r.id}: ${errors.map((e) => e.message).join('; ')}`);
      const id = randomUUID();
      const receipt = normaliseReceipt(newReceipt())!;
      const { dek, kekId, wrappedDek } = newDataKey(ring);
      const tokens = tokensOf({ texts: [c.narrative, c.what, c.who, c.place, c.address, c.when], phones: c.phones, lineNames: c.lineNames, vehicles: c.vehicles, handles: c.handles, postcodes: c.postcode ? [c.postcode] : [] });
      b.ids.push(id);
      b.simIds.push(r.id);
      b.references.push(`R-${randomCrockford(4)}-${randomCrockford(4)}-${randomCrockford(4)}`);
      b.receivedAt.push(minute(r.at));
      b.kekIds.push(kekId);
      b.wrappedDeks.push(wrappedDek.toString('base64'));
      b.contents.push(seal(dek, JSON.stringify(c), `report:${id}:content`).toString('base64'));
      b.lookups.push(receipts.lookup(receipt).toString('base64'));
      b.tokens.push({ i: id, t: [...new Set(tokens.map(hashToken))] });
      if (mode === 'argon2') hashes.push(receipts.hash(receipt));
    }
    b.hashes = mode === 'argon2' ? await Promise.all(hashes) : Array.from({ length: b.ids.length }, () => '');
    if (mode === 'sealed-off') {
      const shared = await receipts.hash(normaliseReceipt(newReceipt())!);
      b.hashes.fill(shared);
    }
    return b;
  }

  async function write(b: PreparedBatch): Promise<void> {
    if (b.ids.length === 0) return;
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO reports (id, reference, received_at, owner_agency_id, channel, danger_now, photo_count, kek_id, wrapped_dek, content, receipt_lookup, receipt_hash)
         SELECT t.id::uuid, t.reference, t.received_at::timestamptz, $1, 'api', NULL, 0, t.kek_id, decode(t.dek, 'base64'), decode(t.content, 'base64'), decode(t.lookup, 'base64'), t.hash
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS t(id, reference, received_at, kek_id, dek, content, lookup, hash)`,
        [owner, b.ids, b.references, b.receivedAt, b.kekIds, b.wrappedDeks, b.contents, b.lookups, b.hashes],
      );
      await tx.query(
        `INSERT INTO report_search_tokens (report_id, tokens)
         SELECT (x->>'i')::uuid, ARRAY(SELECT jsonb_array_elements_text(x->'t')) FROM jsonb_array_elements($1::jsonb) x`,
        [JSON.stringify(b.tokens)],
      );
      // The follow-on job jobs.enqueue would add for each report: same kind, payload and defaults.
      await tx.query(`INSERT INTO jobs (kind, payload) SELECT 'report.submitted', jsonb_build_object('reportId', r) FROM unnest($1::text[]) r`, [b.ids]);
    });
    // Wake job workers after commit, as src/jobs/jobs.ts does (a lost wake-up only costs the poll interval).
    await db.query(`SELECT pg_notify('lookout_jobs', '')`).catch(() => undefined);
  }

  return { prepare, write };
}

export interface BulkCounts {
  reports: number;
  seconds: number;
}

/**
 * Streams the reports of the batches into the database, `batchSize` per transaction, preparing
 * the next batches while the current one is written. Other records are handed to `other` (in
 * order) so a caller can load referrals and notes through the services.
 */
export async function bulkLoadReports(
  container: Container,
  batches: Iterable<SimBatch>,
  o: { batchSize?: number; receipts?: ReceiptMode; onProgress?: (reports: number) => void; onLoaded?: (simIds: readonly string[], ids: readonly string[]) => void; other?: (records: SimBatch['records']) => void } = {},
): Promise<BulkCounts> {
  const began = performance.now();
  const loader = await createBulkLoader(container, o.receipts ? { receipts: o.receipts } : {});
  const size = Math.max(1, o.batchSize ?? DEFAULT_BULK_BATCH);
  let pending: ReportRecord[] = [];
  // Up to DEPTH batches in flight: while argon2 hashes batch k+1 in libuv's pool and batch k is
  // written, the generator and the sealing of batch k+2 keep the main thread busy. Writes stay in order.
  const DEPTH = 3;
  const inFlight: Promise<void>[] = [];
  let writing: Promise<void> = Promise.resolve();
  let reports = 0;
  const flush = async (list: ReportRecord[]) => {
    const prepared = loader.prepare(list);
    writing = Promise.all([prepared, writing]).then(async ([p]) => {
      await loader.write(p);
      reports += p.ids.length;
      o.onLoaded?.(p.simIds, p.ids);
      o.onProgress?.(reports);
    });
    // A failure is rethrown when the batch is awaited below; this only stops Node calling it unhandled meanwhile.
    writing.catch(() => undefined);
    inFlight.push(writing);
    if (inFlight.length >= DEPTH) await inFlight.shift();
  };
  for (const batch of batches) {
    const others: SimBatch['records'] = [];
    for (const r of batch.records) {
      if (r.kind === 'report') {
        pending.push(r);
        if (pending.length >= size) {
          await flush(pending);
          pending = [];
        }
      } else others.push(r);
    }
    if (others.length && o.other) o.other(others);
  }
  if (pending.length) await flush(pending);
  await Promise.all(inFlight);
  // Fresh statistics for the tables just filled. Until autovacuum gets to them the planner thinks
  // the job queue is empty and claims each job by sorting every pending row (6 ms a claim at 20k
  // pending, O(n) with the backlog) instead of walking the (run_at, id) index.
  await container.platform.db.exec('ANALYZE jobs; ANALYZE reports; ANALYZE report_search_tokens');
  return { reports, seconds: (performance.now() - began) / 1000 };
}
