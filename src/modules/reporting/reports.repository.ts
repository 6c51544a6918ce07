/** SQL for reports. Functions take `db` or a transaction first and return rows; services map them. */
import type { Queryable } from '../../db/database.ts';

export interface ReportRow {
  id: string;
  reference: string;
  received_at: Date;
  owner_agency_id: string;
  channel: 'form' | 'api';
  danger_now: boolean | null;
  status: string;
  photo_count: number;
  kek_id: string;
  wrapped_dek: Buffer;
  content: Buffer;
  receipt_hash: string;
  last_reporter_activity_at: Date | null;
  last_agency_message_at: Date | null;
  shared_with: string[] | null;
}

export interface NewReportRow {
  id: string;
  reference: string;
  receivedAt: Date;
  ownerAgencyId: string;
  channel: 'form' | 'api';
  dangerNow: boolean | null;
  photoCount: number;
  kekId: string;
  wrappedDek: Buffer;
  content: Buffer;
  receiptLookup: Buffer;
  receiptHash: string;
  tokens: string[];
}

/** The WITH entries that insert a report and its search tokens (composed with a job insert). */
export function reportInsertCtes(r: NewReportRow): { ctes: string; params: unknown[] } {
  return {
    ctes: `r AS (
       INSERT INTO reports (id, reference, received_at, owner_agency_id, channel, danger_now, photo_count, kek_id, wrapped_dek, content, receipt_lookup, receipt_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING id),
     t AS (INSERT INTO report_search_tokens (report_id, tokens) SELECT r.id, $13::text[] FROM r)`,
    params: [r.id, r.reference, r.receivedAt, r.ownerAgencyId, r.channel, r.dangerNow, r.photoCount, r.kekId, r.wrappedDek, r.content, r.receiptLookup, r.receiptHash, r.tokens],
  };
}

/**
 * The WITH entries that insert many reports and their search tokens in one statement (the intake's
 * group commit and the simulator's bulk load). Rows travel as parameter arrays through unnest;
 * byte columns as base64 text, which both engines pass through arrays alike. The token rows
 * join the inserted reports, so a token list can never outlive a report the statement refused.
 */
export function reportsInsertCtes(rows: readonly NewReportRow[]): { ctes: string; params: unknown[] } {
  const b64 = (x: Buffer) => x.toString('base64');
  return {
    ctes: `r AS (
       INSERT INTO reports (id, reference, received_at, owner_agency_id, channel, danger_now, photo_count, kek_id, wrapped_dek, content, receipt_lookup, receipt_hash)
       SELECT t.id, t.reference, t.received_at, t.owner, t.channel, t.danger_now, t.photo_count, t.kek_id, decode(t.dek, 'base64'), decode(t.content, 'base64'), decode(t.lookup, 'base64'), t.hash
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::boolean[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         AS t(id, reference, received_at, owner, channel, danger_now, photo_count, kek_id, dek, content, lookup, hash)
       RETURNING id),
     t AS (
       INSERT INTO report_search_tokens (report_id, tokens)
       SELECT r.id, ARRAY(SELECT jsonb_array_elements_text(x->'t')) FROM jsonb_array_elements($13::jsonb) x JOIN r ON r.id = (x->>'i')::uuid)`,
    params: [
      rows.map((r) => r.id),
      rows.map((r) => r.reference),
      rows.map((r) => r.receivedAt.toISOString()),
      rows.map((r) => r.ownerAgencyId),
      rows.map((r) => r.channel),
      rows.map((r) => r.dangerNow),
      rows.map((r) => r.photoCount),
      rows.map((r) => r.kekId),
      rows.map((r) => b64(r.wrappedDek)),
      rows.map((r) => b64(r.content)),
      rows.map((r) => b64(r.receiptLookup)),
      rows.map((r) => r.receiptHash),
      JSON.stringify(rows.map((r) => ({ i: r.id, t: r.tokens }))),
    ],
  };
}

export async function insertReport(tx: Queryable, r: NewReportRow): Promise<void> {
  const { ctes, params } = reportInsertCtes(r);
  await tx.query(`WITH ${ctes} SELECT 1`, params);
}

export interface PhotoRow {
  id: string;
  report_id: string;
  position: number;
  mime: string;
  width: number;
  height: number;
  byte_size: number;
}

export async function insertPhoto(
  tx: Queryable,
  p: { id: string; reportId: string; position: number; mime: string; width: number; height: number; byteSize: number; content: Buffer },
): Promise<void> {
  await tx.query(
    `INSERT INTO report_photos (id, report_id, position, mime, width, height, byte_size, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [p.id, p.reportId, p.position, p.mime, p.width, p.height, p.byteSize, p.content],
  );
}

const REPORT_COLUMNS = `r.id, r.reference, r.received_at, r.owner_agency_id, r.channel, r.danger_now, r.status, r.photo_count, r.kek_id, r.wrapped_dek,
  r.content, r.receipt_hash, r.last_reporter_activity_at, r.last_agency_message_at,
  ARRAY(SELECT s.agency_id FROM report_shares s WHERE s.report_id = r.id ORDER BY s.agency_id) AS shared_with`;

export async function findReport(db: Queryable, id: string): Promise<ReportRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await db.query<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM reports r WHERE r.id = $1`, [id]);
  return rows[0];
}

export async function findReportByReceipt(db: Queryable, lookup: Buffer): Promise<ReportRow | undefined> {
  const { rows } = await db.query<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM reports r WHERE r.receipt_lookup = $1`, [lookup]);
  return rows[0];
}

export interface ReportListRow {
  id: string;
  reference: string;
  received_at: Date;
  owner_agency_id: string;
  channel: string;
  danger_now: boolean | null;
  status: string;
  photo_count: number;
  message_count: number;
  last_reporter_activity_at: Date | null;
}

const VISIBLE = `(r.owner_agency_id = $1 OR EXISTS (SELECT 1 FROM report_shares s WHERE s.report_id = r.id AND s.agency_id = $1))`;
const LIST_COLUMNS = `r.id, r.reference, r.received_at, r.owner_agency_id, r.channel, r.danger_now, r.status, r.photo_count,
  (SELECT count(*) FROM report_messages m WHERE m.report_id = r.id)::int8 AS message_count, r.last_reporter_activity_at`;

/** Recent reports an agency may see (owned or shared); agencyId null means every report (system). */
export async function listVisible(db: Queryable, agencyId: string | null, limit: number, offset: number): Promise<ReportListRow[]> {
  const { rows } = await db.query<ReportListRow>(
    `SELECT ${LIST_COLUMNS} FROM reports r WHERE ($1::text IS NULL OR ${VISIBLE})
     ORDER BY r.received_at DESC, r.id LIMIT $2 OFFSET $3`,
    [agencyId, limit, offset],
  );
  return rows;
}

/** Visible reports holding every one of the given token hashes. */
export async function searchVisible(db: Queryable, agencyId: string | null, tokens: string[], limit: number): Promise<ReportListRow[]> {
  const { rows } = await db.query<ReportListRow>(
    `SELECT ${LIST_COLUMNS} FROM reports r
     WHERE ($1::text IS NULL OR ${VISIBLE})
       AND r.id IN (SELECT t.report_id FROM report_search_tokens t WHERE t.tokens @> $2::text[])
     ORDER BY r.received_at DESC, r.id LIMIT $3`,
    [agencyId, tokens, limit],
  );
  return rows;
}

export async function listPhotos(db: Queryable, reportId: string): Promise<PhotoRow[]> {
  const { rows } = await db.query<PhotoRow>(
    'SELECT id, report_id, position, mime, width, height, byte_size FROM report_photos WHERE report_id = $1 ORDER BY position',
    [reportId],
  );
  return rows;
}

export async function findPhoto(db: Queryable, reportId: string, photoId: string): Promise<(PhotoRow & { content: Buffer }) | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(photoId)) return undefined;
  const { rows } = await db.query<PhotoRow & { content: Buffer }>(
    'SELECT id, report_id, position, mime, width, height, byte_size, content FROM report_photos WHERE report_id = $1 AND id = $2',
    [reportId, photoId],
  );
  return rows[0];
}

export interface MessageRow {
  id: string;
  report_id: string;
  direction: 'agency' | 'reporter';
  author_user_id: string | null;
  author_agency_id: string | null;
  created_at: Date;
  body: Buffer;
}

export async function listMessages(db: Queryable, reportId: string): Promise<MessageRow[]> {
  const { rows } = await db.query<MessageRow>('SELECT id, report_id, direction, author_user_id, author_agency_id, created_at, body FROM report_messages WHERE report_id = $1 ORDER BY seq', [reportId]);
  return rows;
}

export async function insertMessage(
  tx: Queryable,
  m: { id: string; reportId: string; direction: 'agency' | 'reporter'; authorUserId: string | null; authorAgencyId: string | null; createdAt: Date; body: Buffer },
): Promise<void> {
  await tx.query(
    `INSERT INTO report_messages (id, report_id, direction, author_user_id, author_agency_id, created_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [m.id, m.reportId, m.direction, m.authorUserId, m.authorAgencyId, m.createdAt, m.body],
  );
  const column = m.direction === 'agency' ? 'last_agency_message_at' : 'last_reporter_activity_at';
  await tx.query(`UPDATE reports SET ${column} = $2 WHERE id = $1`, [m.reportId, m.createdAt]);
}

// Drafts -----------------------------------------------------------------------------------------

export interface DraftRow {
  id_hash: Buffer;
  expires_at: Date;
  kek_id: string;
  wrapped_dek: Buffer;
  content: Buffer;
}

export async function insertDraft(db: Queryable, d: { idHash: Buffer; expiresAt: Date; kekId: string; wrappedDek: Buffer; content: Buffer }): Promise<void> {
  await db.query('INSERT INTO report_drafts (id_hash, expires_at, kek_id, wrapped_dek, content) VALUES ($1, $2, $3, $4, $5)', [
    d.idHash,
    d.expiresAt,
    d.kekId,
    d.wrappedDek,
    d.content,
  ]);
}

export async function findDraft(db: Queryable, idHash: Buffer, now: Date): Promise<DraftRow | undefined> {
  const { rows } = await db.query<DraftRow>('SELECT * FROM report_drafts WHERE id_hash = $1 AND expires_at > $2', [idHash, now]);
  return rows[0];
}

export async function updateDraft(db: Queryable, idHash: Buffer, content: Buffer, expiresAt: Date): Promise<void> {
  await db.query('UPDATE report_drafts SET content = $2, expires_at = $3 WHERE id_hash = $1', [idHash, content, expiresAt]);
}

export async function deleteDraft(db: Queryable, idHash: Buffer): Promise<number> {
  const res = await db.query('DELETE FROM report_drafts WHERE id_hash = $1', [idHash]);
  return res.rowCount;
}

export async function deleteExpiredDrafts(db: Queryable, now: Date): Promise<number> {
  const res = await db.query('DELETE FROM report_drafts WHERE expires_at <= $1', [now]);
  return res.rowCount;
}

export interface DraftPhotoRow {
  id: string;
  position: number;
  mime: string;
  width: number;
  height: number;
  byte_size: number;
}

export async function listDraftPhotos(db: Queryable, idHash: Buffer): Promise<DraftPhotoRow[]> {
  const { rows } = await db.query<DraftPhotoRow>(
    'SELECT id, position, mime, width, height, byte_size FROM report_draft_photos WHERE draft_id_hash = $1 ORDER BY position',
    [idHash],
  );
  return rows;
}

export async function draftPhotoContents(db: Queryable, idHash: Buffer): Promise<Array<DraftPhotoRow & { content: Buffer }>> {
  const { rows } = await db.query<DraftPhotoRow & { content: Buffer }>(
    'SELECT id, position, mime, width, height, byte_size, content FROM report_draft_photos WHERE draft_id_hash = $1 ORDER BY position',
    [idHash],
  );
  return rows;
}

export async function insertDraftPhoto(
  db: Queryable,
  p: { id: string; idHash: Buffer; position: number; mime: string; width: number; height: number; byteSize: number; content: Buffer },
): Promise<void> {
  await db.query(
    'INSERT INTO report_draft_photos (id, draft_id_hash, position, mime, width, height, byte_size, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [p.id, p.idHash, p.position, p.mime, p.width, p.height, p.byteSize, p.content],
  );
}

export async function deleteDraftPhoto(db: Queryable, idHash: Buffer, photoId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(photoId)) return;
  await db.query('DELETE FROM report_draft_photos WHERE draft_id_hash = $1 AND id = $2', [idHash, photoId]);
}
