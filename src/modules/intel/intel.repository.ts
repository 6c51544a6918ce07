/**
 * SQL for entities, mentions, co-occurrence links and ingested sources. Every function takes the
 * database or an open transaction first; the service decides where transactions begin.
 * Batches go through unnest() so one ingest is a handful of statements whatever its size.
 */
import type { Queryable } from '../../db/database.ts';
import type { Entity, EntityType, SourceType } from './intel.types.ts';

interface EntityRow {
  id: number;
  type: EntityType;
  value: string;
  first_seen: Date;
  last_seen: Date;
  mention_count: number;
}

export function mapEntity(r: EntityRow): Entity {
  return { id: r.id, type: r.type, value: r.value, firstSeen: r.first_seen, lastSeen: r.last_seen, mentionCount: r.mention_count };
}

export interface SourceRow {
  owner_agency_id: string;
  extraction_hash: string;
}

export async function lockSource(q: Queryable, type: SourceType, id: string): Promise<SourceRow | undefined> {
  const { rows } = await q.query<SourceRow>('SELECT owner_agency_id, extraction_hash FROM intel_sources WHERE source_type = $1 AND source_id = $2 FOR UPDATE', [type, id]);
  return rows[0];
}

/**
 * Takes back what a source contributed before (re-ingest after the text or extraction changed):
 * its mentions, their counts, and one co-occurrence per pair. first/last seen are left as they are.
 */
export async function retractSource(q: Queryable, type: SourceType, id: string, ownerAgencyId: string): Promise<void> {
  const { rows } = await q.query<{ entity_id: number; n: number }>(
    'DELETE FROM mentions WHERE source_type = $1 AND source_id = $2 RETURNING entity_id, 1 AS n',
    [type, id],
  );
  if (rows.length === 0) return;
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.entity_id, (counts.get(r.entity_id) ?? 0) + 1);
  const ids = [...counts.keys()].sort((a, b) => a - b);
  await q.query(
    `UPDATE entities e SET mention_count = GREATEST(0, e.mention_count - x.n)
     FROM unnest($1::bigint[], $2::int[]) AS x(id, n) WHERE e.id = x.id`,
    [ids, ids.map((i) => counts.get(i)!)],
  );
  await q.query('UPDATE entity_links SET count = count - 1 WHERE owner_agency_id = $1 AND a = ANY($2::bigint[]) AND b = ANY($2::bigint[])', [ownerAgencyId, ids]);
  await q.query('DELETE FROM entity_links WHERE owner_agency_id = $1 AND a = ANY($2::bigint[]) AND b = ANY($2::bigint[]) AND count <= 0', [ownerAgencyId, ids]);
}

/**
 * Stores one source's contribution in a single statement (one round trip): the source row,
 * entities upserted with their mention counts, the mentions (spans only), and one co-occurrence
 * for every pair of the `linked` entities (a < b, in key order so concurrent ingests lock rows in
 * the same order). Returns the entities' ids.
 *
 * With `replace` false (a source not seen before, the usual case) the source row is inserted
 * first and everything else is written only if that insert happened: when the source already
 * exists (or a concurrent ingest of it commits first) nothing is written, the existing row is
 * left locked, and `stored` is false, so the caller compares hashes and retracts under that lock.
 * This saves the separate SELECT ... FOR UPDATE on every new source, and two ingests of one new
 * source can no longer both add its mentions. With `replace` true (after retractSource, under the
 * row lock) the row is updated.
 */
export async function storeSource(
  q: Queryable,
  src: { type: SourceType; id: string; occurredAt: Date; ownerAgencyId: string; area: string | null; hash: string; indicators: string[]; at: Date },
  entities: readonly { type: EntityType; value: string; count: number; linked: boolean }[],
  mentions: readonly { type: EntityType; value: string; start: number | null; end: number | null }[],
  replace = false,
): Promise<{ stored: boolean; entities: { id: number; type: EntityType; value: string }[] }> {
  const sorted = [...entities].sort((a, b) => (a.type === b.type ? (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) : a.type < b.type ? -1 : 1));
  const { rows } = await q.query<{ id: number | null; type: EntityType; value: string }>(
    `WITH s AS (
       INSERT INTO intel_sources (source_type, source_id, owner_agency_id, occurred_at, area, extraction_hash, indicators, ingested_at)
       VALUES ($6, $7, $8, $5, $13, $14, $15, $16)
       ON CONFLICT (source_type, source_id) DO UPDATE SET owner_agency_id = excluded.owner_agency_id, occurred_at = excluded.occurred_at,
         area = excluded.area, extraction_hash = excluded.extraction_hash, indicators = excluded.indicators, ingested_at = excluded.ingested_at
         WHERE $17::bool
       RETURNING 1 AS ok
     ), input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bool[]) WITH ORDINALITY AS x(t, v, n, linked, o)
       WHERE EXISTS (SELECT 1 FROM s)
     ), ents AS (
       INSERT INTO entities (type, value, first_seen, last_seen, mention_count)
       SELECT t, v, $5, $5, n FROM input ORDER BY o
       ON CONFLICT (type, value) DO UPDATE SET
         first_seen = LEAST(entities.first_seen, excluded.first_seen),
         last_seen = GREATEST(entities.last_seen, excluded.last_seen),
         mention_count = entities.mention_count + excluded.mention_count
       RETURNING id, type, value
     ), linkable AS (
       SELECT e.id FROM ents e JOIN input i ON i.t = e.type AND i.v = e.value WHERE i.linked
     ), m AS (
       INSERT INTO mentions (entity_id, source_type, source_id, start_offset, end_offset, occurred_at, owner_agency_id)
       SELECT e.id, $6, $7, mm.s, mm.f, $5, $8
       FROM unnest($9::text[], $10::text[], $11::int[], $12::int[]) AS mm(t, v, s, f) JOIN ents e ON e.type = mm.t AND e.value = mm.v
     ), l AS (
       INSERT INTO entity_links (owner_agency_id, a, b, count, first_seen, last_seen)
       SELECT $8, x.id, y.id, 1, $5, $5 FROM linkable x JOIN linkable y ON x.id < y.id ORDER BY x.id, y.id
       ON CONFLICT (owner_agency_id, a, b) DO UPDATE SET count = entity_links.count + 1,
         first_seen = LEAST(entity_links.first_seen, excluded.first_seen), last_seen = GREATEST(entity_links.last_seen, excluded.last_seen)
     )
     SELECT NULL::bigint AS id, NULL::text AS type, NULL::text AS value WHERE NOT EXISTS (SELECT 1 FROM s)
     UNION ALL
     SELECT id, type, value FROM ents`,
    [
      sorted.map((e) => e.type),
      sorted.map((e) => e.value),
      sorted.map((e) => e.count),
      sorted.map((e) => e.linked),
      src.occurredAt,
      src.type,
      src.id,
      src.ownerAgencyId,
      mentions.map((m) => m.type),
      mentions.map((m) => m.value),
      mentions.map((m) => m.start),
      mentions.map((m) => m.end),
      src.area,
      src.hash,
      src.indicators,
      src.at,
      replace,
    ],
  );
  if (rows.some((r) => r.id === null)) return { stored: false, entities: [] };
  return { stored: true, entities: rows as { id: number; type: EntityType; value: string }[] };
}

export async function findEntity(q: Queryable, id: number): Promise<Entity | undefined> {
  const { rows } = await q.query<EntityRow>('SELECT * FROM entities WHERE id = $1', [id]);
  return rows[0] ? mapEntity(rows[0]) : undefined;
}

export async function findEntityByValue(q: Queryable, type: EntityType, value: string): Promise<Entity | undefined> {
  const { rows } = await q.query<EntityRow>('SELECT * FROM entities WHERE type = $1 AND value = $2', [type, value]);
  return rows[0] ? mapEntity(rows[0]) : undefined;
}

export interface VisibleMention {
  sourceType: string;
  sourceId: string;
  occurredAt: Date;
  start: number | null;
  end: number | null;
}

/** Mentions of an entity in sources the agency owns, newest first. */
export async function mentionsVisibleTo(q: Queryable, entityId: number, agencyId: string, limit = 200): Promise<{ rows: VisibleMention[]; total: number; firstSeen: Date | null; lastSeen: Date | null }> {
  const agg = await q.query<{ total: number; first_seen: Date | null; last_seen: Date | null }>(
    'SELECT count(*)::int AS total, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen FROM mentions WHERE entity_id = $1 AND owner_agency_id = $2',
    [entityId, agencyId],
  );
  const { rows } = await q.query<{ source_type: string; source_id: string; occurred_at: Date; start_offset: number | null; end_offset: number | null }>(
    `SELECT source_type, source_id, occurred_at, start_offset, end_offset FROM mentions
     WHERE entity_id = $1 AND owner_agency_id = $2 ORDER BY occurred_at DESC, id DESC LIMIT $3`,
    [entityId, agencyId, limit],
  );
  return {
    rows: rows.map((r) => ({ sourceType: r.source_type, sourceId: r.source_id, occurredAt: r.occurred_at, start: r.start_offset, end: r.end_offset })),
    total: agg.rows[0]?.total ?? 0,
    firstSeen: agg.rows[0]?.first_seen ?? null,
    lastSeen: agg.rows[0]?.last_seen ?? null,
  };
}

export interface LinkedEntity {
  id: number;
  type: EntityType;
  value: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** An entity's co-occurrence neighbours within one agency's sources, strongest first. */
export async function linksOf(q: Queryable, entityId: number, agencyId: string, limit = 100): Promise<LinkedEntity[]> {
  const { rows } = await q.query<{ id: number; type: EntityType; value: string; count: number; first_seen: Date; last_seen: Date }>(
    `SELECT e.id, e.type, e.value, l.count, l.first_seen, l.last_seen FROM (
       SELECT b AS other, count, first_seen, last_seen FROM entity_links WHERE owner_agency_id = $2 AND a = $1
       UNION ALL
       SELECT a AS other, count, first_seen, last_seen FROM entity_links WHERE owner_agency_id = $2 AND b = $1
     ) l JOIN entities e ON e.id = l.other
     ORDER BY l.count DESC, e.id LIMIT $3`,
    [entityId, agencyId, limit],
  );
  return rows.map((r) => ({ id: r.id, type: r.type, value: r.value, count: r.count, firstSeen: r.first_seen, lastSeen: r.last_seen }));
}

export interface GraphSlice {
  nodes: { id: number; type: EntityType; value: string }[];
  edges: { a: number; b: number; count: number }[];
  truncated: boolean;
}

/**
 * The n-hop neighbourhood of `seeds` in one agency's link graph, expanding strongest links first
 * and stopping at `maxNodes`, with every link among the nodes found. Places are included but not
 * expanded through (unless they are the focus): a town mentioned in thousands of reports does not
 * connect everyone who is mentioned with it, and would swamp every neighbourhood.
 */
export async function neighbourhoodSlice(q: Queryable, agencyId: string, seeds: readonly number[], hops: number, maxNodes: number): Promise<GraphSlice> {
  const seen = new Set<number>(seeds.slice(0, maxNodes));
  let frontier = [...seen];
  let truncated = seeds.length > maxNodes;
  for (let h = 0; h < hops && frontier.length > 0 && !truncated; h++) {
    const room = maxNodes - seen.size;
    const { rows } = await q.query<{ other: number; w: number; type: EntityType }>(
      `SELECT y.other, y.w, (SELECT e.type FROM entities e WHERE e.id = y.other) AS type FROM (
         SELECT x.other, max(x.count) AS w FROM (
           SELECT l.b AS other, l.count FROM unnest($2::bigint[]) f(id)
             CROSS JOIN LATERAL (SELECT b, count FROM entity_links WHERE owner_agency_id = $1 AND a = f.id OFFSET 0) l
           UNION ALL
           SELECT l.a AS other, l.count FROM unnest($2::bigint[]) f(id)
             CROSS JOIN LATERAL (SELECT a, count FROM entity_links WHERE owner_agency_id = $1 AND b = f.id OFFSET 0) l
         ) x
         WHERE NOT EXISTS (SELECT 1 FROM unnest($3::bigint[]) s(id) WHERE s.id = x.other)
         GROUP BY x.other ORDER BY w DESC, x.other LIMIT $4
       ) y ORDER BY y.w DESC, y.other`,
      [agencyId, frontier, [...seen], room + 1],
    );
    if (rows.length > room) truncated = true;
    const added = rows.slice(0, room);
    for (const r of added) seen.add(r.other);
    frontier = added.filter((r) => r.type !== 'place').map((r) => r.other);
  }
  return { ...(await sliceOf(q, agencyId, [...seen])), truncated };
}

/** The agency's strongest links, for a network view with no focus. */
export async function strongestSlice(q: Queryable, agencyId: string, maxEdges: number): Promise<GraphSlice> {
  const { rows } = await q.query<{ a: number; b: number; count: number }>(
    'SELECT a, b, count FROM entity_links WHERE owner_agency_id = $1 ORDER BY count DESC, a, b LIMIT $2',
    [agencyId, maxEdges + 1],
  );
  const edges = rows.slice(0, maxEdges);
  const ids = [...new Set(edges.flatMap((e) => [e.a, e.b]))];
  const nodes = await entitiesByIds(q, ids);
  return { nodes, edges, truncated: rows.length > maxEdges };
}

async function entitiesByIds(q: Queryable, ids: readonly number[]): Promise<GraphSlice['nodes']> {
  if (ids.length === 0) return [];
  const { rows } = await q.query<{ id: number; type: EntityType; value: string }>('SELECT id, type, value FROM entities WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]);
  return rows;
}

/**
 * The nodes and every link among them, in one round trip (nodes and edges come back as rows of
 * one result, told apart by `k`). Links are found from the non-place nodes' side (both
 * directions, by index: index-only scans, see migration 0401), so a hub town linked to most of
 * the store is never scanned; links between two places are probed pair by pair (there are few
 * places in any one slice).
 */
async function sliceOf(q: Queryable, agencyId: string, ids: readonly number[]): Promise<Omit<GraphSlice, 'truncated'>> {
  if (ids.length === 0) return { nodes: [], edges: [] };
  const { rows } = await q.query<{ k: 'n' | 'e'; a: number; b: number | null; count: number | null; type: EntityType | null; value: string | null }>(
    // LATERAL ... OFFSET 0 keeps each lookup an index probe from the small side: with skewed
    // degrees the planner otherwise starts from a hub town's tens of thousands of links.
    `WITH n AS MATERIALIZED (SELECT id, type, value FROM entities WHERE id = ANY($2::bigint[])),
     others AS (SELECT id FROM n WHERE type <> 'place'),
     places AS (SELECT id FROM n WHERE type = 'place' ORDER BY id LIMIT 300)
     SELECT 'n' AS k, id AS a, NULL::bigint AS b, NULL::int AS count, type, value FROM n
     UNION ALL
     SELECT 'e', e.a, e.b, e.count, NULL, NULL FROM (
       SELECT l.a, l.b, l.count FROM others x
         CROSS JOIN LATERAL (SELECT a, b, count FROM entity_links WHERE owner_agency_id = $1 AND a = x.id OFFSET 0) l
         WHERE l.b = ANY($2::bigint[])
       UNION
       SELECT l.a, l.b, l.count FROM others x
         CROSS JOIN LATERAL (SELECT a, b, count FROM entity_links WHERE owner_agency_id = $1 AND b = x.id OFFSET 0) l
         WHERE l.a = ANY($2::bigint[])
       UNION
       SELECT l.a, l.b, l.count FROM places p JOIN places r ON p.id < r.id
         CROSS JOIN LATERAL (SELECT a, b, count FROM entity_links WHERE owner_agency_id = $1 AND a = p.id AND b = r.id OFFSET 0) l
     ) e`,
    [agencyId, ids],
  );
  const nodes: GraphSlice['nodes'] = [];
  const edges: GraphSlice['edges'] = [];
  for (const r of rows) {
    if (r.k === 'n') nodes.push({ id: r.a, type: r.type!, value: r.value! });
    else edges.push({ a: r.a, b: r.b!, count: r.count! });
  }
  nodes.sort((x, y) => x.id - y.id);
  return { nodes, edges };
}

/** Mention counts per place and per postcode district in the agency's sources. */
export async function hotspots(q: Queryable, agencyId: string): Promise<{ places: { name: string; count: number }[]; districts: { district: string; count: number }[] }> {
  const places = await q.query<{ name: string; count: number }>(
    `SELECT e.value AS name, count(*)::int AS count FROM mentions m JOIN entities e ON e.id = m.entity_id
     WHERE m.owner_agency_id = $1 AND e.type = 'place' GROUP BY e.value ORDER BY count DESC, e.value LIMIT 500`,
    [agencyId],
  );
  const districts = await q.query<{ district: string; count: number }>(
    `SELECT split_part(e.value, ' ', 1) AS district, count(*)::int AS count FROM mentions m JOIN entities e ON e.id = m.entity_id
     WHERE m.owner_agency_id = $1 AND e.type = 'postcode' GROUP BY 1 ORDER BY count DESC, 1 LIMIT 500`,
    [agencyId],
  );
  return { places: places.rows, districts: districts.rows };
}

export interface OverviewCounts {
  sources: number;
  entities: number;
  links: number;
  byType: { type: EntityType; count: number }[];
}

export async function overviewCounts(q: Queryable, agencyId: string): Promise<OverviewCounts> {
  const s = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM intel_sources WHERE owner_agency_id = $1', [agencyId]);
  const t = await q.query<{ type: EntityType; count: number }>(
    `SELECT e.type, count(DISTINCT e.id)::int AS count FROM mentions m JOIN entities e ON e.id = m.entity_id
     WHERE m.owner_agency_id = $1 GROUP BY e.type ORDER BY e.type`,
    [agencyId],
  );
  const l = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM entity_links WHERE owner_agency_id = $1', [agencyId]);
  return { sources: s.rows[0]?.n ?? 0, entities: t.rows.reduce((a, r) => a + r.count, 0), links: l.rows[0]?.n ?? 0, byType: t.rows };
}

/** The most mentioned entities in the agency's sources over the last `days`. */
export async function topEntities(q: Queryable, agencyId: string, since: Date, limit = 10): Promise<{ id: number; type: EntityType; value: string; count: number }[]> {
  const { rows } = await q.query<{ id: number; type: EntityType; value: string; count: number }>(
    `SELECT e.id, e.type, e.value, count(*)::int AS count FROM mentions m JOIN entities e ON e.id = m.entity_id
     WHERE m.owner_agency_id = $1 AND m.occurred_at >= $2 AND e.type <> 'place'
     GROUP BY e.id, e.type, e.value ORDER BY count DESC, e.id LIMIT $3`,
    [agencyId, since, limit],
  );
  return rows;
}
