/** SQL for the deal-line register, suggestions, entity watches and notifications. */
import type { Queryable } from '../../db/database.ts';
import type { DealLine, EntityType, LineNumber, LineStatus, Notification, NotificationDraft, Suggestion, SuggestionKind, SuggestionProposal } from './intel.types.ts';

interface LineRow {
  id: number;
  brand: string;
  display_name: string;
  status: LineStatus;
  exporting_area: string | null;
  importing_areas: string[];
  owner_agency_id: string;
  owner_user_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function mapLine(r: LineRow): DealLine {
  return {
    id: r.id,
    brand: r.brand,
    displayName: r.display_name,
    status: r.status,
    exportingArea: r.exporting_area,
    importingAreas: r.importing_areas,
    ownerAgencyId: r.owner_agency_id,
    ownerUserId: r.owner_user_id,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface LineListRow extends DealLine {
  currentNumbers: string[];
}

export async function listLines(q: Queryable, agencyId: string, filter: { status?: LineStatus | undefined; q?: string | undefined; area?: string | undefined }): Promise<LineListRow[]> {
  const { rows } = await q.query<LineRow & { current_numbers: string[] | null }>(
    `SELECT l.*, (SELECT array_agg(n.number ORDER BY n.active_from) FROM deal_line_numbers n WHERE n.line_id = l.id AND n.active_to IS NULL) AS current_numbers
     FROM deal_lines l
     WHERE l.owner_agency_id = $1
       AND ($2::text IS NULL OR l.status = $2)
       AND ($3::text IS NULL OR l.brand LIKE '%' || $3 || '%' OR lower(l.display_name) LIKE '%' || $3 || '%'
            OR EXISTS (SELECT 1 FROM deal_line_numbers n WHERE n.line_id = l.id AND n.number LIKE '%' || $3 || '%'))
       AND ($4::text IS NULL OR lower(l.exporting_area) = $4 OR $4 = ANY(SELECT lower(x) FROM unnest(l.importing_areas) x))
     ORDER BY l.status, l.brand LIMIT 500`,
    [agencyId, filter.status ?? null, filter.q ? filter.q.toLowerCase() : null, filter.area ? filter.area.toLowerCase() : null],
  );
  return rows.map((r) => ({ ...mapLine(r), currentNumbers: r.current_numbers ?? [] }));
}

export async function findLine(q: Queryable, id: number, forUpdate = false): Promise<DealLine | undefined> {
  const { rows } = await q.query<LineRow>(`SELECT * FROM deal_lines WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? mapLine(rows[0]) : undefined;
}

export async function findLineByBrand(q: Queryable, agencyId: string, brand: string): Promise<DealLine | undefined> {
  const { rows } = await q.query<LineRow>('SELECT * FROM deal_lines WHERE owner_agency_id = $1 AND brand = $2', [agencyId, brand]);
  return rows[0] ? mapLine(rows[0]) : undefined;
}

export async function insertLine(
  q: Queryable,
  l: { brand: string; displayName: string; exportingArea: string | null; importingAreas: string[]; ownerAgencyId: string; ownerUserId: string | null; at: Date },
): Promise<DealLine> {
  const { rows } = await q.query<LineRow>(
    `INSERT INTO deal_lines (brand, display_name, status, exporting_area, importing_areas, owner_agency_id, owner_user_id, version, created_at, updated_at)
     VALUES ($1, $2, 'active', $3, $4, $5, $6, 1, $7, $7) RETURNING *`,
    [l.brand, l.displayName, l.exportingArea, l.importingAreas, l.ownerAgencyId, l.ownerUserId, l.at],
  );
  return mapLine(rows[0]!);
}

/** Updates when the version still matches; undefined means someone else changed it first. */
export async function updateLine(
  q: Queryable,
  id: number,
  expectedVersion: number,
  c: { status: LineStatus; displayName: string; exportingArea: string | null; importingAreas: string[]; at: Date },
): Promise<DealLine | undefined> {
  const { rows } = await q.query<LineRow>(
    `UPDATE deal_lines SET status = $3, display_name = $4, exporting_area = $5, importing_areas = $6, updated_at = $7, version = version + 1
     WHERE id = $1 AND version = $2 RETURNING *`,
    [id, expectedVersion, c.status, c.displayName, c.exportingArea, c.importingAreas, c.at],
  );
  return rows[0] ? mapLine(rows[0]) : undefined;
}

/** Changes made by the system (accepted suggestions) bump the version too, so open forms go stale. */
export async function touchLine(q: Queryable, id: number, at: Date, importingAreas?: string[]): Promise<void> {
  await q.query('UPDATE deal_lines SET updated_at = $2, version = version + 1, importing_areas = COALESCE($3, importing_areas) WHERE id = $1', [id, at, importingAreas ?? null]);
}

export async function lineNumbers(q: Queryable, lineId: number): Promise<LineNumber[]> {
  const { rows } = await q.query<{ id: number; number: string; active_from: Date; active_to: Date | null }>(
    'SELECT id, number, active_from, active_to FROM deal_line_numbers WHERE line_id = $1 ORDER BY active_from, id',
    [lineId],
  );
  return rows.map((r) => ({ id: r.id, number: r.number, activeFrom: r.active_from, activeTo: r.active_to }));
}

export async function addLineNumber(q: Queryable, lineId: number, number: string, activeFrom: Date, at: Date): Promise<void> {
  await q.query('INSERT INTO deal_line_numbers (line_id, number, active_from, added_at) VALUES ($1, $2, $3, $4)', [lineId, number, activeFrom, at]);
}

export async function closeLineNumbers(q: Queryable, lineId: number, numbers: readonly string[], at: Date): Promise<void> {
  await q.query('UPDATE deal_line_numbers SET active_to = $3 WHERE line_id = $1 AND number = ANY($2::text[]) AND active_to IS NULL', [lineId, numbers, at]);
}

export async function lineEntities(q: Queryable, lineId: number): Promise<{ id: number; type: EntityType; value: string; role: string; addedAt: Date }[]> {
  const { rows } = await q.query<{ id: number; type: EntityType; value: string; role: string; added_at: Date }>(
    `SELECT e.id, e.type, e.value, le.role, le.added_at FROM deal_line_entities le JOIN entities e ON e.id = le.entity_id
     WHERE le.line_id = $1 ORDER BY e.type, e.value`,
    [lineId],
  );
  return rows.map((r) => ({ id: r.id, type: r.type, value: r.value, role: r.role, addedAt: r.added_at }));
}

export async function linkLineEntity(q: Queryable, lineId: number, entityId: number, role: string, at: Date): Promise<boolean> {
  const { rowCount } = await q.query('INSERT INTO deal_line_entities (line_id, entity_id, role, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [lineId, entityId, role, at]);
  return rowCount > 0;
}

/** Lines of the agency an entity belongs to: as a number (any time), as the brand, or linked. */
export async function linesOfEntity(q: Queryable, agencyId: string, entity: { id: number; type: EntityType; value: string }): Promise<DealLine[]> {
  const { rows } = await q.query<LineRow>(
    `SELECT l.* FROM deal_lines l WHERE l.owner_agency_id = $1 AND (
       ($2 = 'phone' AND EXISTS (SELECT 1 FROM deal_line_numbers n WHERE n.line_id = l.id AND n.number = $3))
       OR ($2 = 'line_name' AND l.brand = $3)
       OR EXISTS (SELECT 1 FROM deal_line_entities le WHERE le.line_id = l.id AND le.entity_id = $4))
     ORDER BY l.brand`,
    [agencyId, entity.type, entity.value, entity.id],
  );
  return rows.map(mapLine);
}

export interface LineTie {
  lineId: number;
  brand: string;
  displayName: string;
  ownerAgencyId: string;
  ownerUserId: string | null;
  via: 'number' | 'brand' | 'linked';
  entityType: EntityType;
}

export interface SuggestionData {
  lines: { id: number; brand: string; numbers: { number: string; activeTo: Date | null }[] }[];
  /** When each current number of those lines was last mentioned in the agency's sources. */
  lastSeen: Record<string, Date>;
  /** Per phone entity id: the places co-mentioned with it in the agency's sources. */
  placesByPhone: Map<number, string[]>;
}

export interface IngestContextData {
  suggestion: SuggestionData;
  /** Active lines (any agency) tied to the entities by an active number, the brand or a linked entity. */
  ties: LineTie[];
  /** Watches on the entities. */
  watches: WatchRow[];
}

/**
 * Everything the suggestions engine and the alerts need after one source is stored, in ONE round
 * trip (it runs on the latency-critical path of every ingest):
 *  - the agency's lines whose brand is mentioned or which hold one of the numbers, with when each
 *    current number was last mentioned in the agency's sources, and the places co-mentioned with
 *    each phone (suggestions);
 *  - active lines of any agency tied to the entities by an active number, the brand or a linked
 *    entity, and the watches on the entities (alerts).
 */
export async function ingestContext(q: Queryable, agencyId: string, entities: readonly { id: number; type: EntityType; value: string }[]): Promise<IngestContextData> {
  const phones = entities.filter((e) => e.type === 'phone');
  const brands = entities.filter((e) => e.type === 'line_name').map((e) => e.value);
  if (entities.length === 0) return { suggestion: { lines: [], lastSeen: {}, placesByPhone: new Map() }, ties: [], watches: [] };
  const { rows } = await q.query<{
    lines: { id: number; brand: string; number: string | null; active_to: string | null; last_seen: string | null }[];
    places: { phone: number; place: string }[];
    ties: { id: number; brand: string; display_name: string; owner_agency_id: string; owner_user_id: string | null; via: LineTie['via']; entity_type: EntityType }[];
    watches: { id: number; entity_id: number; owner_user_id: string | null; owner_agency_id: string; reason: string; subject_type: string | null; subject_id: string | null }[];
  }>(
    `SELECT
       (SELECT coalesce(json_agg(t ORDER BY t.id, t.active_from), '[]'::json) FROM (
          SELECT l.id, l.brand, n.number, n.active_to, n.active_from,
            CASE WHEN n.number IS NOT NULL AND n.active_to IS NULL THEN
              (SELECT max(m.occurred_at) FROM entities e JOIN mentions m ON m.entity_id = e.id AND m.owner_agency_id = $1
               WHERE e.type = 'phone' AND e.value = n.number) END AS last_seen
          FROM deal_lines l LEFT JOIN deal_line_numbers n ON n.line_id = l.id
          WHERE l.id IN (SELECT id FROM deal_lines WHERE owner_agency_id = $1 AND brand = ANY($2::text[])
                         UNION SELECT line_id FROM deal_line_numbers WHERE number = ANY($3::text[]))
            AND l.owner_agency_id = $1
            AND cardinality($3::text[]) > 0) t) AS lines,
       (SELECT coalesce(json_agg(t), '[]'::json) FROM (
          SELECT x.phone, e.value AS place FROM (
            SELECT f.id AS phone, l.b AS other FROM unnest($4::bigint[]) f(id)
              CROSS JOIN LATERAL (SELECT b FROM entity_links WHERE owner_agency_id = $1 AND a = f.id OFFSET 0) l
            UNION ALL
            SELECT f.id AS phone, l.a AS other FROM unnest($4::bigint[]) f(id)
              CROSS JOIN LATERAL (SELECT a FROM entity_links WHERE owner_agency_id = $1 AND b = f.id OFFSET 0) l
          ) x JOIN entities e ON e.id = x.other AND e.type = 'place') t) AS places,
       (SELECT coalesce(json_agg(x ORDER BY x.id, x.via), '[]'::json) FROM (
          SELECT l.id, l.brand, l.display_name, l.owner_agency_id, l.owner_user_id, t.via, t.entity_type FROM (
            SELECT n.line_id, 'number' AS via, 'phone' AS entity_type FROM deal_line_numbers n WHERE n.number = ANY($3::text[]) AND n.active_to IS NULL
            UNION
            SELECT l2.id, 'brand', 'line_name' FROM deal_lines l2 WHERE l2.brand = ANY($2::text[]) AND l2.status = 'active'
            UNION
            SELECT le.line_id, 'linked', e.type FROM deal_line_entities le JOIN entities e ON e.id = le.entity_id WHERE le.entity_id = ANY($5::bigint[])
          ) t JOIN deal_lines l ON l.id = t.line_id WHERE l.status = 'active') x) AS ties,
       (SELECT coalesce(json_agg(w ORDER BY w.id), '[]'::json) FROM (
          SELECT id, entity_id, owner_user_id, owner_agency_id, reason, subject_type, subject_id FROM entity_watches WHERE entity_id = ANY($5::bigint[])) w) AS watches`,
    [agencyId, brands, phones.map((p) => p.value), phones.map((p) => p.id), entities.map((e) => e.id)],
  );
  const row = rows[0] ?? { lines: [], places: [], ties: [], watches: [] };
  const byId = new Map<number, SuggestionData['lines'][number]>();
  const lastSeen: Record<string, Date> = {};
  for (const r of row.lines) {
    let line = byId.get(r.id);
    if (!line) byId.set(r.id, (line = { id: r.id, brand: r.brand, numbers: [] }));
    if (r.number) line.numbers.push({ number: r.number, activeTo: r.active_to ? new Date(r.active_to) : null });
    if (r.number && r.last_seen) lastSeen[r.number] = new Date(r.last_seen);
  }
  const placesByPhone = new Map<number, string[]>();
  for (const r of row.places) {
    const list = placesByPhone.get(Number(r.phone));
    if (list) list.push(r.place);
    else placesByPhone.set(Number(r.phone), [r.place]);
  }
  return {
    suggestion: { lines: [...byId.values()], lastSeen, placesByPhone },
    ties: row.ties.map((r) => ({ lineId: Number(r.id), brand: r.brand, displayName: r.display_name, ownerAgencyId: r.owner_agency_id, ownerUserId: r.owner_user_id, via: r.via, entityType: r.entity_type })),
    watches: row.watches.map((r) => ({ id: Number(r.id), entityId: Number(r.entity_id), ownerUserId: r.owner_user_id, ownerAgencyId: r.owner_agency_id, reason: r.reason, subjectType: r.subject_type, subjectId: r.subject_id })),
  };
}

interface SuggestionRow {
  id: number;
  kind: SuggestionKind;
  line_id: number | null;
  owner_agency_id: string;
  detail: SuggestionProposal;
  status: Suggestion['status'];
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
}

function mapSuggestion(r: SuggestionRow): Suggestion {
  return {
    id: r.id,
    kind: r.kind,
    lineId: r.line_id,
    ownerAgencyId: r.owner_agency_id,
    detail: r.detail,
    status: r.status,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
  };
}

/**
 * An ingest's outcomes in one statement (one round trip): its suggestions, stored once per dedupe
 * key (a pending multi-town suggestion gets its place list refreshed), and its notifications.
 * Returns the notifications' ids.
 */
export async function saveOutcomes(q: Queryable, proposals: readonly { p: SuggestionProposal; key: string }[], drafts: readonly NotificationDraft[], at: Date): Promise<number[]> {
  const unique = [...new Map(proposals.map((x) => [x.key, x])).values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  if (unique.length === 0 && drafts.length === 0) return [];
  if (unique.length === 0) return insertNotifications(q, drafts, at);
  const { rows } = await q.query<{ id: number }>(
    `WITH s AS (
       INSERT INTO line_suggestions (kind, dedupe_key, line_id, owner_agency_id, detail, status, created_at)
       SELECT x.kind, x.key, x.line_id, x.agency, x.detail, 'pending', $6
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::jsonb[]) AS x(kind, key, line_id, agency, detail)
       ON CONFLICT (dedupe_key) DO UPDATE SET detail = excluded.detail
         WHERE line_suggestions.status = 'pending' AND line_suggestions.kind = 'multi_town'
     )
     INSERT INTO notifications (user_id, agency_id, kind, subject_type, subject_id, href, message, created_at)
     SELECT *, $6::timestamptz FROM unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
     RETURNING id`,
    [
      unique.map((x) => x.p.kind),
      unique.map((x) => x.key),
      unique.map((x) => x.p.lineId),
      unique.map((x) => x.p.ownerAgencyId),
      unique.map((x) => JSON.stringify(x.p)),
      at,
      drafts.map((d) => d.userId),
      drafts.map((d) => d.agencyId),
      drafts.map((d) => d.kind),
      drafts.map((d) => d.subjectType ?? null),
      drafts.map((d) => d.subjectId ?? null),
      drafts.map((d) => d.href ?? null),
      drafts.map((d) => d.message),
    ],
  );
  return rows.map((r) => r.id);
}

export async function listSuggestions(q: Queryable, agencyId: string, status: Suggestion['status'], limit = 200): Promise<Suggestion[]> {
  const { rows } = await q.query<SuggestionRow>(
    'SELECT * FROM line_suggestions WHERE owner_agency_id = $1 AND status = $2 ORDER BY created_at DESC, id DESC LIMIT $3',
    [agencyId, status, limit],
  );
  return rows.map(mapSuggestion);
}

export async function findSuggestion(q: Queryable, id: number, forUpdate = false): Promise<Suggestion | undefined> {
  const { rows } = await q.query<SuggestionRow>(`SELECT * FROM line_suggestions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? mapSuggestion(rows[0]) : undefined;
}

export async function decideSuggestion(q: Queryable, id: number, status: 'accepted' | 'rejected', by: string, at: Date): Promise<void> {
  await q.query('UPDATE line_suggestions SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1', [id, status, by, at]);
}

export async function countPendingSuggestions(q: Queryable, agencyId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>("SELECT count(*)::int AS n FROM line_suggestions WHERE owner_agency_id = $1 AND status = 'pending'", [agencyId]);
  return rows[0]?.n ?? 0;
}

export interface WatchRow {
  id: number;
  entityId: number;
  ownerUserId: string | null;
  ownerAgencyId: string;
  reason: string;
  subjectType: string | null;
  subjectId: string | null;
}

export async function insertWatch(q: Queryable, w: { entityId: number; ownerUserId: string | null; ownerAgencyId: string; reason: string; subjectType: string | null; subjectId: string | null; at: Date }): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    'INSERT INTO entity_watches (entity_id, owner_user_id, owner_agency_id, reason, subject_type, subject_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
    [w.entityId, w.ownerUserId, w.ownerAgencyId, w.reason, w.subjectType, w.subjectId, w.at],
  );
  return rows[0]!.id;
}

interface NotificationRow {
  id: number;
  user_id: string | null;
  agency_id: string;
  kind: string;
  subject_type: string | null;
  subject_id: string | null;
  href: string | null;
  message: string;
  created_at: Date;
  read_at: Date | null;
}

function mapNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    userId: r.user_id,
    agencyId: r.agency_id,
    kind: r.kind,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    href: r.href,
    message: r.message,
    createdAt: r.created_at,
    readAt: r.read_at,
  };
}

export async function insertNotifications(q: Queryable, drafts: readonly NotificationDraft[], at: Date): Promise<number[]> {
  if (drafts.length === 0) return [];
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO notifications (user_id, agency_id, kind, subject_type, subject_id, href, message, created_at)
     SELECT * , $8::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
     RETURNING id`,
    [
      drafts.map((d) => d.userId),
      drafts.map((d) => d.agencyId),
      drafts.map((d) => d.kind),
      drafts.map((d) => d.subjectType ?? null),
      drafts.map((d) => d.subjectId ?? null),
      drafts.map((d) => d.href ?? null),
      drafts.map((d) => d.message),
      at,
    ],
  );
  return rows.map((r) => r.id);
}

/** A user's notifications: addressed to them, or to their whole agency. */
export async function notificationsFor(q: Queryable, userId: string, agencyId: string, limit = 100): Promise<Notification[]> {
  const { rows } = await q.query<NotificationRow>(
    `SELECT * FROM notifications WHERE (user_id = $1) OR (user_id IS NULL AND agency_id = $2)
     ORDER BY created_at DESC, id DESC LIMIT $3`,
    [userId, agencyId, limit],
  );
  return rows.map(mapNotification);
}

export async function unreadCount(q: Queryable, userId: string, agencyId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM notifications WHERE read_at IS NULL AND ((user_id = $1) OR (user_id IS NULL AND agency_id = $2))',
    [userId, agencyId],
  );
  return rows[0]?.n ?? 0;
}

export async function markRead(q: Queryable, id: number, userId: string, agencyId: string, at: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    'UPDATE notifications SET read_at = COALESCE(read_at, $4) WHERE id = $1 AND ((user_id = $2) OR (user_id IS NULL AND agency_id = $3))',
    [id, userId, agencyId, at],
  );
  return rowCount > 0;
}

/** Active and closed lines of the agency with their areas, for map flows. */
export async function linesForMap(q: Queryable, agencyId: string): Promise<DealLine[]> {
  const { rows } = await q.query<LineRow>('SELECT * FROM deal_lines WHERE owner_agency_id = $1 ORDER BY brand', [agencyId]);
  return rows.map(mapLine);
}
