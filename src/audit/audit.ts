/**
 * The audit trail: append-only and hash-chained. `record` is called inside the same transaction
 * as the action it records, so an action without its audit row cannot commit. A transaction-level
 * advisory lock orders writers so the chain has exactly one successor per row.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import type { Actor } from '../auth/access.ts';

// Arbitrary constant naming the audit chain in pg_advisory_xact_lock's key space.
const AUDIT_LOCK = 7_140_502_612;
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent {
  /** e.g. "signin.success", "report.view", "case.update", "inbox.export". */
  action: string;
  subjectType?: string;
  subjectId?: string;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  at: string;
  actorId: string | null;
  actorAgency: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  correlationId: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Canonical JSON (sorted keys) so the hash does not depend on key order from the database. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

export function hashRow(row: Omit<AuditRow, 'hash'>): string {
  const { seq, at, actorId, actorAgency, action, subjectType, subjectId, correlationId, detail, prevHash } = row;
  return createHash('sha256')
    .update(canonicalJson({ seq, at, actorId, actorAgency, action, subjectType, subjectId, correlationId, detail, prevHash }))
    .digest('hex');
}

export interface AuditActorFields {
  actorId: string | null;
  actorAgency: string | null;
  correlationId: string | null;
}

export function actorFields(actor: Actor | { kind: 'anonymous'; correlationId: string }): AuditActorFields {
  if (actor.kind === 'staff') return { actorId: actor.userId, actorAgency: actor.agencyId, correlationId: actor.correlationId };
  if (actor.kind === 'system') return { actorId: `system:${actor.name}`, actorAgency: null, correlationId: actor.correlationId };
  return { actorId: null, actorAgency: null, correlationId: actor.correlationId };
}

export interface Audit {
  /** Appends one event inside the caller's transaction. */
  record(tx: Queryable, actor: Parameters<typeof actorFields>[0], event: AuditEvent, now?: Date): Promise<AuditRow>;
}

export function createAudit(clock: () => Date = () => new Date()): Audit {
  return {
    async record(tx, actor, event, now = clock()) {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
      const last = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
      const prev = last.rows[0];
      const base: Omit<AuditRow, 'hash'> = {
        seq: (prev?.seq ?? 0) + 1,
        at: new Date(Math.floor(now.getTime())).toISOString(),
        ...actorFields(actor),
        action: event.action,
        subjectType: event.subjectType ?? null,
        subjectId: event.subjectId ?? null,
        detail: event.detail ?? {},
        prevHash: prev?.hash ?? GENESIS_HASH,
      };
      const row: AuditRow = { ...base, hash: hashRow(base) };
      await tx.query(
        `INSERT INTO audit_events (seq, at, actor_id, actor_agency, action, subject_type, subject_id, correlation_id, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [row.seq, row.at, row.actorId, row.actorAgency, row.action, row.subjectType, row.subjectId, row.correlationId, JSON.stringify(row.detail), row.prevHash, row.hash],
      );
      return row;
    },
  };
}

interface AuditDbRow {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_agency: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  correlation_id: string | null;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export function mapAuditRow(r: AuditDbRow): AuditRow {
  return {
    seq: r.seq,
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorAgency: r.actor_agency,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    correlationId: r.correlation_id,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export type VerifyResult = { ok: true; count: number } | { ok: false; count: number; badSeq: number; reason: string };

/** Recomputes the whole chain in seq order, streaming in pages; names the first bad record. */
export async function verifyAuditChain(db: Database, pageSize = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (;;) {
    const { rows } = await db.query<AuditDbRow>('SELECT * FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2', [expectedSeq, pageSize]);
    if (rows.length === 0) return { ok: true, count };
    for (const raw of rows) {
      const row = mapAuditRow(raw);
      if (row.seq !== expectedSeq) return { ok: false, count, badSeq: expectedSeq, reason: `record ${expectedSeq} is missing (next is ${row.seq})` };
      if (row.prevHash !== prevHash) return { ok: false, count, badSeq: row.seq, reason: `record ${row.seq} does not follow record ${row.seq - 1}` };
      if (hashRow(row) !== row.hash) return { ok: false, count, badSeq: row.seq, reason: `record ${row.seq} was altered (hash mismatch)` };
      prevHash = row.hash;
      expectedSeq += 1;
      count += 1;
    }
  }
}
