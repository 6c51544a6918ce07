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
 *
 * One statement (one round trip), built by `neighbourhoodStatement`: each hop takes all links of
 * its frontier, keeps the strongest `room + 1` new ends (one more than fit tells that the cap cut
 * the slice), and the next frontier is what it added minus places. Nodes and links come back as
 * JSON in a single row: thousands of link rows cost the client more to decode than the server
 * took to find them.
 */
export async function neighbourhoodSlice(q: Queryable, agencyId: string, seeds: readonly number[], hops: number, maxNodes: number): Promise<GraphSlice> {
  const start = [...new Set(seeds.slice(0, maxNodes))];
  const seedsCut = seeds.length > maxNodes;
  if (start.length === 0) return { nodes: [], edges: [], truncated: seedsCut };
  const expand = seedsCut ? 0 : Math.max(0, Math.trunc(hops));
  const { rows } = await q.query<{
    truncated: boolean;
    nodes: [number, EntityType, string][] | null;
    edges: [number[] | null, number[] | null, number[] | null];
  }>(neighbourhoodStatement(expand), expand > 0 ? [agencyId, start, maxNodes - start.length] : [agencyId, start]);
  const r = rows[0]!;
  const nodes = (r.nodes ?? []).map(([id, type, value]) => ({ id, type, value })).sort((x, y) => x.id - y.id);
  const [as, bs, counts] = r.edges;
  const edges = (as ?? []).map((a, i) => ({ a, b: bs![i]!, count: counts![i]! }));
  return { nodes, edges, truncated: seedsCut || r.truncated };
}

const neighbourhoodStatements = new Map<number, string>();

/**
 * The statement behind `neighbourhoodSlice` for `hops` hops. $1 agency, $2 the seeds (distinct),
 * $3 the room left after the seeds (absent with no hops). CTEs per hop k: f<k> the frontier, l<k>
 * all its links (both directions), c<k> the strongest room + 1 ends not yet seen, n<k> the first
 * `room` of them (with type and value). A hop has an empty frontier once an earlier one was cut.
 * With no hops (the seeds alone filled the slice) nothing is expanded.
 *
 * Links among the nodes: those touching an expanded node were all fetched by the hops already
 * (l<k>); only links between nodes never expanded (u: the last hop's nodes and places) are looked
 * up, each once: from its larger end when that is not a place (a walk of entity_links_b_idx),
 * else from its smaller end (a walk of the primary key, bounded by the largest place, only for
 * nodes below it), else pair by pair between places (there are few places in any one slice). A
 * hub town, linked to most of the store, is never walked. Every walk is an index-only scan
 * (migration 0401); LATERAL ... OFFSET 0 keeps each one a probe from the small side: with skewed
 * degrees the planner otherwise starts from a hub town's tens of thousands of links.
 */
function neighbourhoodStatement(hops: number): string {
  const cached = neighbourhoodStatements.get(hops);
  if (cached) return cached;
  const walk = (f: string) => `SELECT f.id AS src, l.b AS other, l.count FROM ${f} f
         CROSS JOIN LATERAL (SELECT b, count FROM entity_links WHERE owner_agency_id = $1 AND a = f.id OFFSET 0) l
       UNION ALL
       SELECT f.id, l.a, l.count FROM ${f} f
         CROSS JOIN LATERAL (SELECT a, count FROM entity_links WHERE owner_agency_id = $1 AND b = f.id OFFSET 0) l`;
  // Room at hop k: what the seeds left, less what earlier hops added (all they found: not cut).
  const room = (k: number) => `GREATEST(0, $3::int${Array.from({ length: k - 1 }, (_, j) => ` - (SELECT count(*) FROM c${j + 1})`).join('')})`;
  const ctes = ['f1 AS MATERIALIZED (SELECT DISTINCT id FROM unnest($2::bigint[]) s(id))'];
  const seen = ['SELECT id FROM f1'];
  const expanded = ['SELECT id FROM f1'];
  const walked: string[] = [];
  const cut: string[] = [];
  for (let k = 1; k <= hops; k++) {
    if (k > 1) {
      ctes.push(`f${k} AS MATERIALIZED (SELECT id FROM n${k - 1} WHERE type <> 'place' AND (SELECT count(*) FROM c${k - 1}) <= ${room(k - 1)})`);
      expanded.push(`SELECT id FROM f${k}`);
    }
    ctes.push(
      `l${k} AS MATERIALIZED (
       ${walk(`f${k}`)})`,
      `c${k} AS MATERIALIZED (
       SELECT x.other AS id, max(x.count) AS w FROM l${k} x
       WHERE NOT EXISTS (SELECT 1 FROM (${seen.join(' UNION ALL ')}) s WHERE s.id = x.other)
       GROUP BY x.other ORDER BY w DESC, x.other LIMIT ${room(k)} + 1)`,
      `n${k} AS MATERIALIZED (
       SELECT e.id, e.type, e.value FROM (SELECT id FROM c${k} ORDER BY w DESC, id LIMIT ${room(k)}) c JOIN entities e ON e.id = c.id)`,
    );
    seen.push(`SELECT id FROM n${k}`);
    walked.push(`SELECT src, other, count FROM l${k}`);
    cut.push(`(SELECT count(*) FROM c${k}) > ${room(k)}`);
  }
  ctes.push(
    `nodes AS MATERIALIZED (
       SELECT e.id, e.type, e.value FROM f1 JOIN entities e ON e.id = f1.id${Array.from({ length: hops }, (_, k) => `
       UNION ALL SELECT id, type, value FROM n${k + 1}`).join('')})`,
    `u AS MATERIALIZED (SELECT id, type FROM nodes${hops > 0 ? ` WHERE id NOT IN (${expanded.join(' UNION ALL ')})` : ''})`,
    `uplace AS MATERIALIZED (SELECT id FROM u WHERE type = 'place')`,
    `edges AS (${
      hops > 0
        ? `
       SELECT DISTINCT LEAST(x.src, x.other) AS a, GREATEST(x.src, x.other) AS b, x.count
       FROM (${walked.join(' UNION ALL ')}) x WHERE x.other IN (SELECT id FROM nodes)
       UNION ALL`
        : ''
    }
       SELECT l.a, l.b, l.count FROM u x
         CROSS JOIN LATERAL (SELECT a, b, count FROM entity_links WHERE owner_agency_id = $1 AND b = x.id OFFSET 0) l
         WHERE x.type <> 'place' AND l.a IN (SELECT id FROM u)
       UNION ALL
       SELECT l.a, l.b, l.count FROM u x
         CROSS JOIN LATERAL (SELECT a, b, count FROM entity_links WHERE owner_agency_id = $1 AND a = x.id AND b <= (SELECT max(id) FROM uplace) OFFSET 0) l
         WHERE x.type <> 'place' AND x.id < (SELECT max(id) FROM uplace) AND l.b IN (SELECT id FROM uplace)
       UNION ALL
       SELECT l.a, l.b, l.count FROM (SELECT id FROM uplace ORDER BY id LIMIT 300) p JOIN (SELECT id FROM uplace ORDER BY id LIMIT 300) r ON p.id < r.id
         CROSS JOIN LATERAL (SELECT a, b, count FROM entity_links WHERE owner_agency_id = $1 AND a = p.id AND b = r.id OFFSET 0) l)`,
  );
  const sql = `WITH ${ctes.join(',\n     ')}
     SELECT ${cut.length > 0 ? cut.join(' OR ') : 'false'} AS truncated,
       (SELECT json_agg(json_build_array(id, type, value)) FROM nodes) AS nodes,
       (SELECT json_build_array(array_agg(a), array_agg(b), array_agg(count)) FROM edges) AS edges`;
  neighbourhoodStatements.set(hops, sql);
  return sql;
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
