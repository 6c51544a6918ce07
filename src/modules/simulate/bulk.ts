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
 * What differs is only how many travel together: per batch the service's own group-commit
 * statement (reports.repository.ts reportsInsertCtes: unnest of parameter arrays, no SQL built
 * from data), one NOTIFY per batch after commit,
 * and the next batch's CPU work (argon2 in libuv's pool, AES-GCM, HMACs) overlapping the current
 * batch's INSERTs. Memory is bounded by three batches whatever the report count.
 */
import { randomUUID } from 'node:crypto';
import type { Container } from '../../container.ts';
import { createKeyring, newDataKey, seal } from '../../crypto/envelope.ts';
import { createReceiptKeys, newReceipt, normaliseReceipt, randomCrockford } from '../reporting/receipts.ts';
import { emptyContent, validateComplete, type ReportContent } from '../reporting/reports.schema.ts';
import { createTokenHasher, tokensOf } from '../reporting/search-tokens.ts';
import { reportsInsertCtes, type NewReportRow } from '../reporting/reports.repository.ts';
import type { ReportRecord, SimBatch } from './types.ts';

export const DEFAULT_BULK_BATCH = 1000;

interface PreparedBatch {
  /** The rows the service's own intake writes (reports.repository.ts NewReportRow). */
  rows: NewReportRow[];
  ids: string[];
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
  const { config, db, jobs } = container.platform;
  const ring = createKeyring(config.masterKeys);
  const receipts = createReceiptKeys(config.sessionSecret);
  const hashToken = createTokenHasher(config.sessionSecret);
  const owner = await container.services.reporting.resolveReceivingAgency();
  const minute = (iso: string) => new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000);

  async function prepare(reports: readonly ReportRecord[]): Promise<PreparedBatch> {
    const b: PreparedBatch = { rows: [], ids: [], simIds: [] };
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
      b.rows.push({
        id,
        reference: `R-${randomCrockford(4)}-${randomCrockford(4)}-${randomCrockford(4)}`,
        receivedAt: minute(r.at),
        ownerAgencyId: owner,
        channel: 'api',
        dangerNow: null,
        photoCount: 0,
        kekId,
        wrappedDek,
        content: seal(dek, JSON.stringify(c), `report:${id}:content`),
        receiptLookup: receipts.lookup(receipt),
        receiptHash: '',
        tokens: [...new Set(tokens.map(hashToken))],
      });
      if (mode === 'argon2') hashes.push(receipts.hash(receipt));
    }
    const hashed = mode === 'argon2' ? await Promise.all(hashes) : [];
    const shared = mode === 'sealed-off' ? await receipts.hash(normaliseReceipt(newReceipt())!) : '';
    b.rows.forEach((row, i) => (row.receiptHash = hashed[i] ?? shared));
    return b;
  }

  // The statement the service's group commit uses (reports, search tokens and one
  // 'report.submitted' job each, in one atomic statement); workers are woken after it commits.
  async function write(b: PreparedBatch): Promise<void> {
    if (b.rows.length === 0) return;
    await jobs.enqueueManyWithStatement(db, 'report.submitted', b.ids.map((reportId) => ({ reportId })), reportsInsertCtes(b.rows));
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
