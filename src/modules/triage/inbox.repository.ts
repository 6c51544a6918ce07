/**
 * SQL for the inbox. Functions take `db` or a transaction first and return rows; the service maps
 * them. Reads of other modules' tables (reports' search tokens, live disclosures, intel's lines,
 * mentions and watches, auth's agencies and users) are read-only and named as such.
 */
import type { Queryable } from '../../db/database.ts';

export interface ItemRow {
  id: string;
  reference: string;
  source_type: 'report' | 'referral' | 'disclosure';
  source_id: string;
  owner_agency_id: string;
  received_at: Date;
  area: string | null;
  indicators: string[];
  summary: Record<string, unknown>;
  status: 'new' | 'in_progress' | 'closed';
  urgency: 'emergency' | 'high' | 'medium' | 'low';
  due_at: Date;
  grade_source: string | null;
  grade_intelligence: string | null;
  grade_handling: string | null;
  handling_conditions: string | null;
  graded_at: Date | null;
  graded_by: string | null;
  kek_id: string | null;
  wrapped_dek: Buffer | null;
  sanitised: Buffer | null;
  sanitised_at: Date | null;
  sanitised_by: string | null;
  assigned_agency_id: string | null;
  assigned_user_id: string | null;
  case_id: string | null;
  case_reference: string | null;
  outcome: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  overdue_notified_at: Date | null;
  retention_review_on: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  shared_with: string[];
  matches: boolean;
}

export { isUuid } from '../../db/ids.ts';
import { isUuid } from '../../db/ids.ts';

// $1 is the viewing agency (null for the system). An agency sees an item it owns, is assigned or
// has been shared (need-to-know).
const VISIBLE = `($1::text IS NULL OR i.owner_agency_id = $1::text OR i.assigned_agency_id = $1::text
  OR EXISTS (SELECT 1 FROM triage_item_shares s WHERE s.item_id = i.id AND s.agency_id = $1::text))`;

// "Matches a known line or case": linked to a case, or intel found an entity in this source that
// is on the viewing agency's deal-line register or watched for one of its cases (intel tables).
const MATCHES = `(i.case_id IS NOT NULL OR EXISTS (
  SELECT 1 FROM mentions m JOIN entities e ON e.id = m.entity_id
  WHERE m.source_type = i.source_type AND m.source_id = i.source_id AND (
    EXISTS (SELECT 1 FROM deal_line_numbers n JOIN deal_lines dl ON dl.id = n.line_id
            WHERE e.type = 'phone' AND n.number = e.value AND ($1::text IS NULL OR dl.owner_agency_id = $1::text))
    OR EXISTS (SELECT 1 FROM deal_line_entities de JOIN deal_lines dl ON dl.id = de.line_id
            WHERE de.entity_id = e.id AND ($1::text IS NULL OR dl.owner_agency_id = $1::text))
    OR EXISTS (SELECT 1 FROM deal_lines dl WHERE e.type = 'line_name' AND dl.brand = e.value AND ($1::text IS NULL OR dl.owner_agency_id = $1::text))
    OR EXISTS (SELECT 1 FROM entity_watches w WHERE w.entity_id = e.id AND w.subject_type = 'case' AND ($1::text IS NULL OR w.owner_agency_id = $1::text)))))`;

const ITEM_COLUMNS = `i.*, c.reference AS case_reference,
  ARRAY(SELECT s.agency_id FROM triage_item_shares s WHERE s.item_id = i.id ORDER BY s.agency_id) AS shared_with,
  ${MATCHES} AS matches`;

export interface NewItemRow {
  id: string;
  reference: string;
  sourceType: string;
  sourceId: string;
  ownerAgencyId: string;
  receivedAt: Date;
  area: string | null;
  indicators: string[];
  summary: Record<string, unknown>;
  urgency: string;
  dueAt: Date;
  retentionReviewOn: string;
  now: Date;
}

/** Inserts an item unless its source already has one; returns the item id either way. */
export async function insertItem(tx: Queryable, r: NewItemRow): Promise<{ id: string; created: boolean }> {
  const ins = await tx.query<{ id: string }>(
    `INSERT INTO triage_items (id, reference, source_type, source_id, owner_agency_id, received_at, area, indicators, summary, urgency, due_at,
                               retention_review_on, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11, $12, $13, $13)
     ON CONFLICT (source_type, source_id) DO NOTHING RETURNING id`,
    [r.id, r.reference, r.sourceType, r.sourceId, r.ownerAgencyId, r.receivedAt, r.area, r.indicators, JSON.stringify(r.summary), r.urgency, r.dueAt, r.retentionReviewOn, r.now],
  );
  if (ins.rows[0]) return { id: ins.rows[0].id, created: true };
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM triage_items WHERE source_type = $1 AND source_id = $2', [r.sourceType, r.sourceId]);
  return { id: rows[0]!.id, created: false };
}

export async function insertTokens(tx: Queryable, itemId: string, origin: 'source' | 'sanitised', kinds: string[], tokens: string[]): Promise<void> {
  await tx.query('DELETE FROM triage_search_tokens WHERE item_id = $1 AND origin = $2', [itemId, origin]);
  if (tokens.length === 0) return;
  await tx.query(
    `INSERT INTO triage_search_tokens (item_id, origin, kind, token)
     SELECT $1, $2, u.k, u.t FROM unnest($3::text[], $4::text[]) AS u(k, t) ON CONFLICT DO NOTHING`,
    [itemId, origin, kinds, tokens],
  );
}

/** One item with its shares, case reference and match flag; undefined for a malformed or unknown id. */
export async function findItem(db: Queryable, agencyId: string | null, id: string, opts: { forUpdate?: boolean } = {}): Promise<ItemRow | undefined> {
  if (!isUuid(id)) return undefined;
  if (opts.forUpdate) await db.query('SELECT id FROM triage_items WHERE id = $1 FOR UPDATE', [id]);
  const { rows } = await db.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM triage_items i LEFT JOIN triage_cases c ON c.id = i.case_id WHERE i.id = $2`, [agencyId, id]);
  return rows[0];
}

export async function findItemBySource(db: Queryable, sourceType: string, sourceId: string): Promise<{ id: string } | undefined> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM triage_items WHERE source_type = $1 AND source_id = $2', [sourceType, sourceId]);
  return rows[0];
}

export interface ListQuery {
  agencyId: string | null;
  area: string | null;
  status: string | null;
  urgency: string | null;
  indicator: string | null;
  agency: string | null;
  matches: boolean;
  /** Search token hashes (every one must match) or null. */
  tokens: string[] | null;
  /** An exact reference to match instead of tokens. */
  reference: string | null;
  limit: number;
  offset: number;
}

/** The inbox: visible items filtered, ordered by urgency then age (oldest first), open before closed. */
export async function listItems(db: Queryable, q: ListQuery): Promise<{ rows: ItemRow[]; total: number }> {
  const { rows } = await db.query<ItemRow & { total: number }>(
    `SELECT ${ITEM_COLUMNS}, count(*) OVER ()::int8 AS total
     FROM triage_items i LEFT JOIN triage_cases c ON c.id = i.case_id
     WHERE ${VISIBLE}
       AND ($2::text IS NULL OR i.area = $2::text)
       AND ($3::text IS NULL OR i.status = $3::text)
       AND ($4::text IS NULL OR i.urgency = $4::text)
       AND ($5::text IS NULL OR $5::text = ANY (i.indicators)
            OR EXISTS (SELECT 1 FROM intel_sources x WHERE x.source_type = i.source_type AND x.source_id = i.source_id AND $5::text = ANY (x.indicators)))
       AND ($6::text IS NULL OR i.owner_agency_id = $6::text OR i.assigned_agency_id = $6::text
            OR EXISTS (SELECT 1 FROM triage_item_shares s6 WHERE s6.item_id = i.id AND s6.agency_id = $6::text))
       AND (NOT $7::boolean OR ${MATCHES})
       AND (($8::text[] IS NULL AND $9::text IS NULL)
            OR i.reference = $9::text
            OR i.id IN (SELECT t.item_id FROM triage_search_tokens t WHERE t.token = ANY ($8::text[])
                        GROUP BY t.item_id HAVING count(DISTINCT t.token) = $10::int)
            -- Reports' own keyed-hash tokens (reporting's table, read-only): every token must match.
            OR (i.source_type = 'report' AND cardinality($8::text[]) > 0
                AND EXISTS (SELECT 1 FROM report_search_tokens rt WHERE rt.report_id = (CASE WHEN i.source_type = 'report' THEN i.source_id::uuid END) AND rt.tokens @> $8::text[])))
     ORDER BY (i.status = 'closed'),
              CASE i.urgency WHEN 'emergency' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
              i.received_at, i.id
     LIMIT $11 OFFSET $12`,
    [q.agencyId, q.area, q.status, q.urgency, q.indicator, q.agency, q.matches, q.tokens, q.reference, q.tokens?.length ?? 0, q.limit, q.offset],
  );
  return { rows, total: rows[0]?.total ?? 0 };
}

/** Applies an update only when the version matches; returns false when someone else changed it. */
export async function updateItem(tx: Queryable, id: string, version: number, now: Date, set: ItemUpdate): Promise<boolean> {
  const res = await tx.query(
    `UPDATE triage_items SET
       urgency = COALESCE($4, urgency), due_at = COALESCE($5, due_at),
       grade_source = CASE WHEN $6::boolean THEN $7 ELSE grade_source END,
       grade_intelligence = CASE WHEN $6::boolean THEN $8 ELSE grade_intelligence END,
       grade_handling = CASE WHEN $6::boolean THEN $9 ELSE grade_handling END,
       handling_conditions = CASE WHEN $6::boolean THEN $10 ELSE handling_conditions END,
       graded_at = CASE WHEN $6::boolean THEN $3 ELSE graded_at END,
       graded_by = CASE WHEN $6::boolean THEN $11 ELSE graded_by END,
       kek_id = COALESCE($12, kek_id), wrapped_dek = COALESCE($13, wrapped_dek), sanitised = COALESCE($14, sanitised),
       sanitised_at = CASE WHEN $14::bytea IS NULL THEN sanitised_at ELSE $3 END,
       sanitised_by = CASE WHEN $14::bytea IS NULL THEN sanitised_by ELSE $11 END,
       assigned_agency_id = CASE WHEN $15::boolean THEN $16 ELSE assigned_agency_id END,
       assigned_user_id = CASE WHEN $15::boolean THEN $17 ELSE assigned_user_id END,
       case_id = COALESCE($18::uuid, case_id),
       outcome = COALESCE($19, outcome),
       closed_at = CASE WHEN $19::text IS NULL THEN closed_at ELSE $3 END,
       closed_by = CASE WHEN $19::text IS NULL THEN closed_by ELSE $11 END,
       status = CASE WHEN $19::text IS NOT NULL THEN 'closed' WHEN status = 'new' THEN 'in_progress' ELSE status END,
       overdue_notified_at = CASE WHEN $5::timestamptz IS NULL THEN overdue_notified_at ELSE NULL END,
       version = version + 1, updated_at = $3
     WHERE id = $1 AND version = $2`,
    [
      id,
      version,
      now,
      set.urgency ?? null,
      set.dueAt ?? null,
      set.grade !== undefined,
      set.grade?.source ?? null,
      set.grade?.intelligence ?? null,
      set.grade?.handling ?? null,
      set.grade?.conditions ?? null,
      set.by,
      set.sealed?.kekId ?? null,
      set.sealed?.wrappedDek ?? null,
      set.sealed?.content ?? null,
      set.assign !== undefined,
      set.assign?.agencyId ?? null,
      set.assign?.userId ?? null,
      set.caseId ?? null,
      set.outcome ?? null,
    ],
  );
  return res.rowCount === 1;
}

export interface ItemUpdate {
  by: string;
  urgency?: string;
  dueAt?: Date;
  grade?: { source: string; intelligence: string; handling: string; conditions: string | null };
  sealed?: { kekId: string; wrappedDek: Buffer; content: Buffer };
  assign?: { agencyId: string; userId: string | null };
  caseId?: string;
  outcome?: string;
}

/** Bumps the version (for changes that live in other tables, such as shares). */
export async function bumpVersion(tx: Queryable, id: string, version: number, now: Date): Promise<boolean> {
  const res = await tx.query(
    `UPDATE triage_items SET version = version + 1, updated_at = $3, status = CASE WHEN status = 'new' THEN 'in_progress' ELSE status END
     WHERE id = $1 AND version = $2`,
    [id, version, now],
  );
  return res.rowCount === 1;
}

export async function insertShare(tx: Queryable, itemId: string, agencyId: string, by: string, now: Date): Promise<void> {
  await tx.query('INSERT INTO triage_item_shares (item_id, agency_id, shared_at, shared_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [itemId, agencyId, now, by]);
}

// ---- referrals -------------------------------------------------------------------------------

export interface ReferralRow {
  id: string;
  received_at: Date;
  owner_agency_id: string;
  subject_kind: 'child' | 'adult';
  level: string;
  input: Record<string, unknown>;
  result: Record<string, unknown>;
  kek_id: string;
  wrapped_dek: Buffer;
  content: Buffer;
}

export async function insertReferral(
  tx: Queryable,
  r: { id: string; receivedAt: Date; ownerAgencyId: string; subjectKind: string; level: string; input: unknown; result: unknown; kekId: string; wrappedDek: Buffer; content: Buffer },
): Promise<void> {
  await tx.query(
    `INSERT INTO triage_referrals (id, received_at, owner_agency_id, subject_kind, level, input, result, kek_id, wrapped_dek, content)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [r.id, r.receivedAt, r.ownerAgencyId, r.subjectKind, r.level, JSON.stringify(r.input), JSON.stringify(r.result), r.kekId, r.wrappedDek, r.content],
  );
}

export async function findReferral(db: Queryable, id: string): Promise<ReferralRow | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<ReferralRow>('SELECT * FROM triage_referrals WHERE id = $1', [id]);
  return rows[0];
}

export async function setAreaIfUnset(db: Queryable, sourceType: string, sourceId: string, area: string): Promise<void> {
  await db.query('UPDATE triage_items SET area = $3 WHERE source_type = $1 AND source_id = $2 AND area IS NULL', [sourceType, sourceId, area]);
}

/** A live-event disclosure, still sealed (live's table, read-only; visibility is the item's). */
export async function findDisclosure(db: Queryable, id: string): Promise<{ id: string; kek_id: string; wrapped_dek: Buffer; body_sealed: Buffer; deck_id: string; created_at: Date } | undefined> {
  if (!isUuid(id)) return undefined;
  const { rows } = await db.query<{ id: string; kek_id: string; wrapped_dek: Buffer; body_sealed: Buffer; deck_id: string; created_at: Date }>(
    'SELECT id::text AS id, kek_id, wrapped_dek, body_sealed, deck_id, created_at FROM live_disclosures WHERE id = $1',
    [id],
  );
  return rows[0];
}

// ---- agencies and people (auth's tables, read-only) ------------------------------------------

export interface AgencyRow {
  id: string;
  name: string;
}

export async function listAgencies(db: Queryable): Promise<AgencyRow[]> {
  const { rows } = await db.query<AgencyRow>('SELECT id::text AS id, name FROM agencies ORDER BY name');
  return rows;
}

export interface PersonRow {
  id: string;
  name: string;
  agency_id: string;
}

export async function listPeople(db: Queryable, agencyId: string): Promise<PersonRow[]> {
  const { rows } = await db.query<PersonRow>('SELECT id::text AS id, name, agency_id::text AS agency_id FROM users WHERE agency_id::text = $1 AND NOT disabled ORDER BY name', [agencyId]);
  return rows;
}

export async function findPerson(db: Queryable, userId: string): Promise<PersonRow | undefined> {
  if (!isUuid(userId)) return undefined;
  const { rows } = await db.query<PersonRow>('SELECT id::text AS id, name, agency_id::text AS agency_id FROM users WHERE id = $1', [userId]);
  return rows[0];
}

export async function namesOf(db: Queryable, userIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds.filter(isUuid))];
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; name: string }>('SELECT id::text AS id, name FROM users WHERE id = ANY ($1::uuid[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Overdue open items not yet notified (the overdue job). */
export async function overdueItems(db: Queryable, now: Date, limit: number): Promise<Array<{ id: string; reference: string; owner_agency_id: string; assigned_agency_id: string | null; assigned_user_id: string | null; due_at: Date }>> {
  const { rows } = await db.query<{ id: string; reference: string; owner_agency_id: string; assigned_agency_id: string | null; assigned_user_id: string | null; due_at: Date }>(
    `SELECT id, reference, owner_agency_id, assigned_agency_id, assigned_user_id, due_at FROM triage_items
     WHERE status <> 'closed' AND due_at < $1 AND overdue_notified_at IS NULL ORDER BY due_at LIMIT $2`,
    [now, limit],
  );
  return rows;
}

export async function markItemNotified(tx: Queryable, id: string, now: Date): Promise<void> {
  await tx.query('UPDATE triage_items SET overdue_notified_at = $2 WHERE id = $1', [id, now]);
}
