import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { withDb } from '../../testing/db.ts';
import { seededRandom } from './graph.ts';
import { neighbourhoodSlice, type GraphSlice } from './intel.repository.ts';
import type { EntityType } from './intel.types.ts';

const AGENCY = 'agency-a';
const OTHER = 'agency-b';

interface Link {
  agency: string;
  a: number;
  b: number;
  count: number;
}

/**
 * The neighbourhood as documented, worked out in plain code from every link: hop by hop, each
 * hop adding the frontier's not yet seen neighbours strongest link first (ties by id) until the
 * cap, places added but never expanded unless they are seeds, then every link among the nodes.
 */
function expected(types: Map<number, EntityType>, links: readonly Link[], agency: string, seeds: readonly number[], hops: number, maxNodes: number): GraphSlice {
  const mine = links.filter((l) => l.agency === agency);
  const seen = new Set(seeds.slice(0, maxNodes));
  let frontier = [...seen];
  let truncated = seeds.length > maxNodes;
  for (let h = 0; h < hops && frontier.length > 0 && !truncated; h++) {
    const room = maxNodes - seen.size;
    const from = new Set(frontier);
    const best = new Map<number, number>();
    for (const l of mine) {
      for (const [x, y] of [[l.a, l.b], [l.b, l.a]] as const) {
        if (from.has(x) && !seen.has(y)) best.set(y, Math.max(best.get(y) ?? 0, l.count));
      }
    }
    const ranked = [...best].sort((p, q) => q[1] - p[1] || p[0] - q[0]).map(([id]) => id);
    if (ranked.length > room) truncated = true;
    const added = ranked.slice(0, room);
    for (const id of added) seen.add(id);
    frontier = added.filter((id) => types.get(id) !== 'place');
  }
  return {
    nodes: [...seen].filter((id) => types.has(id)).sort((p, q) => p - q).map((id) => ({ id, type: types.get(id)!, value: `v${id}` })),
    edges: mine.filter((l) => seen.has(l.a) && seen.has(l.b)).map(({ a, b, count }) => ({ a, b, count })),
    truncated,
  };
}

const byEnds = (x: { a: number; b: number }, y: { a: number; b: number }) => x.a - y.a || x.b - y.b;

/**
 * A random graph (seeded): a few hub places among the first ids and a few among the last (so
 * links to places run in both directions of a < b), other entities in loose clusters, counts
 * with many ties, and links of a second agency that must never show.
 */
async function randomGraph(db: Database, seed: number): Promise<{ types: Map<number, EntityType>; links: Link[] }> {
  const rnd = seededRandom(seed);
  const n = 90;
  const kinds: EntityType[] = ['phone', 'vehicle', 'handle', 'postcode', 'line_name'];
  const typeOf = (i: number): EntityType => (i < 3 || i >= n - 3 ? 'place' : kinds[i % kinds.length]!);
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO entities (type, value, first_seen, last_seen, mention_count)
     SELECT t, 'pending-' || o, now(), now(), 1 FROM unnest($1::text[]) WITH ORDINALITY AS x(t, o) ORDER BY o RETURNING id`,
    [Array.from({ length: n }, (_, i) => typeOf(i))],
  );
  const ids = rows.map((r) => r.id).sort((p, q) => p - q);
  await db.query("UPDATE entities SET value = 'v' || id WHERE id = ANY($1::bigint[])", [ids]);
  const types = new Map(ids.map((id, i) => [id, typeOf(i)]));
  const pairs = new Map<string, Link>();
  const add = (agency: string, i: number, j: number) => {
    if (i === j) return;
    const [a, b] = ids[i]! < ids[j]! ? [ids[i]!, ids[j]!] : [ids[j]!, ids[i]!];
    pairs.set(`${agency}:${a}:${b}`, { agency, a, b, count: 1 + Math.floor(rnd() * 3) });
  };
  for (let i = 3; i < n - 3; i++) {
    const base = i - (i % 10);
    for (let k = 0; k < 3; k++) add(AGENCY, i, Math.min(n - 4, Math.max(3, base + Math.floor(rnd() * 10))));
    if (rnd() < 0.3) add(AGENCY, i, 3 + Math.floor(rnd() * (n - 6)));
    for (let p = 0; p < 6; p++) if (rnd() < 0.4) add(AGENCY, i, p < 3 ? p : n - 6 + p);
    if (rnd() < 0.5) add(OTHER, i, 3 + Math.floor(rnd() * (n - 6)));
  }
  add(AGENCY, 0, 1);
  add(AGENCY, 1, n - 1);
  add(AGENCY, n - 2, n - 1);
  add(OTHER, 0, n - 1);
  const links = [...pairs.values()];
  await db.query(
    `INSERT INTO entity_links (owner_agency_id, a, b, count, first_seen, last_seen)
     SELECT ag, a, b, c, now(), now() FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[]) AS x(ag, a, b, c)`,
    [links.map((l) => l.agency), links.map((l) => l.a), links.map((l) => l.b), links.map((l) => l.count)],
  );
  return { types, links };
}

describe('intel repository on a real database', () => {
  it('neighbourhoodSlice: same nodes, links and truncation as expanding hop by hop, for any seeds, hops and cap', async () => {
    await withDb(async (db) => {
      await migrate(db);
      const { types, links } = await randomGraph(db, 3);
      const ids = [...types.keys()];
      const places = ids.filter((id) => types.get(id) === 'place');
      const rnd = seededRandom(4);
      const pick = () => ids[Math.floor(rnd() * ids.length)]!;
      const cases: [string, number[], number, number][] = [
        ['one seed', [pick()], 2, 3000],
        ['a place is expanded when it is the focus', [places[0]!], 2, 3000],
        ['a late place as the focus', [places.at(-1)!], 1, 3000],
        ['no links in this agency', [pick()], 2, 3000],
        ['seeds fill the cap exactly', [pick(), pick()], 2, 2],
        ['more seeds than the cap', [pick(), pick(), pick()], 2, 2],
        ['duplicate and unknown seeds', [ids[5]!, ids[5]!, 999_999_999], 2, 3000],
        ['three hops', [pick()], 3, 3000],
      ];
      for (let i = 0; i < 40; i++) cases.push([`random ${i}`, Array.from({ length: 1 + Math.floor(rnd() * 3) }, pick), 1 + Math.floor(rnd() * 3), [3, 8, 20, 45, 3000][Math.floor(rnd() * 5)]!]);
      const shapes = new Set<string>();
      for (const [label, seeds, hops, cap] of cases) {
        const agency = label === 'no links in this agency' ? 'agency-none' : AGENCY;
        const got = await neighbourhoodSlice(db, agency, seeds, hops, cap);
        const want = expected(types, links, agency, seeds, hops, cap);
        const what = `${label}: seeds ${seeds.join(',')}, ${hops} hops, cap ${cap}`;
        assert.deepEqual(got.nodes, want.nodes, `${what}: nodes`);
        assert.deepEqual([...got.edges].sort(byEnds), [...want.edges].sort(byEnds), `${what}: links`);
        assert.equal(got.truncated, want.truncated, `${what}: truncated`);
        shapes.add(`${want.truncated}:${want.nodes.some((x) => x.type === 'place')}:${want.edges.length > 0}`);
      }
      assert.ok(shapes.has('true:true:true') && shapes.has('false:true:true'), 'the cases include cut and whole slices with places and links');
      assert.deepEqual(await neighbourhoodSlice(db, AGENCY, [], 2, 3000), { nodes: [], edges: [], truncated: false });
    });
  });
});
