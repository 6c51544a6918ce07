/**
 * Retention (MoPI: records are reviewed and deleted when no longer needed for a policing purpose).
 * Every inbox item and case has a review date from content/triage.yaml `retention_days`. The
 * review queue lists records of the actor's agency whose date has come; a reviewer keeps a record
 * for another period or deletes it. Deletion removes the content completely, in one transaction:
 *
 * - report: the reporting module offers no delete API, so its rows are deleted here by SQL
 *   (`reports`; photos, messages, shares and search tokens go with it by ON DELETE CASCADE),
 *   which destroys the sealed content and its wrapped data key;
 * - referral: the sealed referral row; disclosure: the live_disclosures row (live's table, no API);
 * - case: the case (sealed person record, events, risk history, tasks, shares by cascade);
 * - the inbox item itself with its shares, search tokens and sealed sanitised version.
 *
 * What remains is a tombstone (record type, id, reference, when, by whom, why) and the audit row.
 */
import type { Actor } from '../../auth/access.ts';
import { access } from '../../auth/access.ts';
import type { Queryable } from '../../db/database.ts';
import { ForbiddenError, NotFoundError } from '../../errors.ts';
import type { Platform } from '../../platform.ts';
import { addDays, isoDay } from './dates.ts';
import { isUuid } from './inbox.repository.ts';
import { parseOrThrow, retentionDeleteForm, RETENTION_TYPES, type RetentionType, type TriageContent } from './triage.schema.ts';

export interface RetentionEntry {
  recordType: RetentionType;
  id: string;
  reference: string;
  createdAt: Date;
  reviewOn: string;
  status: string;
}

export interface Tombstone {
  recordType: RetentionType;
  recordId: string;
  reference: string | null;
  deletedAt: Date;
  deletedBy: string;
  reason: string;
}

interface DueRow {
  record_type: RetentionType;
  id: string;
  reference: string;
  created_at: Date;
  review_on: string;
  status: string;
}

export function isRetentionType(v: string): v is RetentionType {
  return (RETENTION_TYPES as readonly string[]).includes(v);
}

export function createRetentionService(platform: Platform, deps: { content: TriageContent }) {
  const { db, clock, audit } = platform;
  const ownAgency = (actor: Actor): string | null => (actor.kind === 'staff' ? actor.agencyId : null);
  const byOf = (actor: Actor): string => (actor.kind === 'staff' ? actor.userId : `system:${actor.name}`);
  // What other modules derived from a source (intel's mentions, links and the source's area) goes
  // in the same transaction as the source: deletion is complete or does not happen.
  const sourceDeletedHooks: Array<(tx: Queryable, type: Exclude<RetentionType, 'case'>, sourceId: string) => Promise<void>> = [];

  /** The record, if the actor's agency owns it (retention is the owner's decision); 404 otherwise. */
  async function owned(tx: Queryable, actor: Actor, type: RetentionType, id: string): Promise<{ id: string; reference: string; owner: string; sourceId: string | null }> {
    if (!isUuid(id)) throw new NotFoundError(type, id);
    const { rows } =
      type === 'case'
        ? await tx.query<{ id: string; reference: string; owner: string; source_id: null }>('SELECT id, reference, owner_agency_id AS owner, NULL AS source_id FROM triage_cases WHERE id = $1 FOR UPDATE', [id])
        : await tx.query<{ id: string; reference: string; owner: string; source_id: string }>(
            'SELECT id, reference, owner_agency_id AS owner, source_id FROM triage_items WHERE id = $1 AND source_type = $2 FOR UPDATE',
            [id, type],
          );
    const row = rows[0];
    access.requireVisible(actor, row ? { ownerAgencyId: row.owner } : null, type, id);
    return { id: row!.id, reference: row!.reference, owner: row!.owner, sourceId: row!.source_id };
  }

  return {
    /** Records of the actor's agency whose retention review date has come. Audited. */
    async queue(actor: Actor): Promise<{ due: RetentionEntry[]; tombstones: Tombstone[] }> {
      access.require(actor, 'retention:review');
      const today = isoDay(clock());
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<DueRow>(
          `SELECT source_type AS record_type, id, reference, received_at AS created_at, retention_review_on::text AS review_on, status
             FROM triage_items WHERE retention_review_on <= $2::date AND ($1::text IS NULL OR owner_agency_id = $1::text)
           UNION ALL
           SELECT 'case', id, reference, created_at, review_on::text, status
             FROM (SELECT id, reference, created_at, retention_review_on AS review_on, status, owner_agency_id FROM triage_cases) k
             WHERE k.review_on <= $2::date AND ($1::text IS NULL OR k.owner_agency_id = $1::text)
           ORDER BY review_on, reference LIMIT 500`,
          [ownAgency(actor), today],
        );
        const tomb = await tx.query<{ record_type: RetentionType; record_id: string; reference: string | null; deleted_at: Date; deleted_by: string; reason: string }>(
          'SELECT record_type, record_id, reference, deleted_at, deleted_by, reason FROM retention_tombstones WHERE ($1::text IS NULL OR owner_agency_id = $1::text) ORDER BY deleted_at DESC LIMIT 100',
          [ownAgency(actor)],
        );
        await audit.record(tx, actor, { action: 'retention.queue', detail: { due: rows.length } });
        return {
          due: rows.map((r) => ({ recordType: r.record_type, id: r.id, reference: r.reference, createdAt: r.created_at, reviewOn: r.review_on, status: r.status })),
          tombstones: tomb.rows.map((t) => ({ recordType: t.record_type, recordId: t.record_id, reference: t.reference, deletedAt: t.deleted_at, deletedBy: t.deleted_by, reason: t.reason })),
        };
      });
    },

    /** Registers what must also go, in the same transaction, when a report, referral or disclosure is deleted. */
    onSourceDeleted(hook: (tx: Queryable, type: Exclude<RetentionType, 'case'>, sourceId: string) => Promise<void>): void {
      sourceDeletedHooks.push(hook);
    },

    /** Keeps a record for another retention period (reviewed and still needed). */
    async keep(actor: Actor, type: RetentionType, id: string): Promise<{ reviewOn: string }> {
      access.require(actor, 'retention:review');
      const reviewOn = isoDay(addDays(clock(), deps.content.retention_days[type]));
      await db.transaction(async (tx) => {
        const rec = await owned(tx, actor, type, id);
        if (type === 'case') await tx.query('UPDATE triage_cases SET retention_review_on = $2 WHERE id = $1', [rec.id, reviewOn]);
        else await tx.query('UPDATE triage_items SET retention_review_on = $2 WHERE id = $1', [rec.id, reviewOn]);
        await audit.record(tx, actor, { action: 'retention.keep', subjectType: type, subjectId: rec.id, detail: { reviewOn } });
      });
      return { reviewOn };
    },

    /** Deletes the record's content everywhere and leaves an audited tombstone. */
    async delete(actor: Actor, type: RetentionType, id: string, body: unknown): Promise<Tombstone> {
      access.require(actor, 'retention:delete');
      if (actor.kind !== 'staff' && actor.kind !== 'system') throw new ForbiddenError('retention:delete');
      const { reason } = parseOrThrow(retentionDeleteForm, body);
      const now = clock();
      return db.transaction(async (tx) => {
        const rec = await owned(tx, actor, type, id);
        if (type === 'case') {
          await tx.query('UPDATE triage_items SET case_id = NULL WHERE case_id = $1', [rec.id]);
          await tx.query('DELETE FROM triage_cases WHERE id = $1', [rec.id]);
        } else {
          // Source ids are UUIDs from the services; anything else has no source row to delete.
          const source = { report: 'reports', referral: 'triage_referrals', disclosure: 'live_disclosures' }[type];
          if (rec.sourceId && isUuid(rec.sourceId)) await tx.query(`DELETE FROM ${source} WHERE id = $1::uuid`, [rec.sourceId]);
          if (rec.sourceId) for (const hook of sourceDeletedHooks) await hook(tx, type, rec.sourceId);
          await tx.query('DELETE FROM triage_items WHERE id = $1', [rec.id]);
        }
        const tomb: Tombstone = { recordType: type, recordId: rec.id, reference: rec.reference, deletedAt: now, deletedBy: byOf(actor), reason };
        await tx.query(
          'INSERT INTO retention_tombstones (record_type, record_id, reference, owner_agency_id, deleted_at, deleted_by, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [type, rec.id, rec.reference, rec.owner, now, tomb.deletedBy, reason],
        );
        await audit.record(tx, actor, { action: 'retention.delete', subjectType: type, subjectId: rec.id, detail: { reference: rec.reference, ...(rec.sourceId ? { sourceId: rec.sourceId } : {}) } });
        return tomb;
      });
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
