import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { UndirectedGraph } from 'graphology';
import betweennessModule from 'graphology-metrics/centrality/betweenness.js';
import { analyseNetwork, approxBetweenness, buildGraph, degrees, detectCommunities, layout, neighbourhood, pageRank, rankKeyNodes, seededRandom } from './graph.ts';

const exactBetweenness = betweennessModule as unknown as typeof betweennessModule.default;

const node = (id: string, type = 'phone') => ({ id, label: id.toUpperCase(), type });
const edge = (source: string, target: string, weight = 1) => ({ source, target, weight });

// Two triangles joined by a bridge c-d:  a-b-c triangle, d-e-f triangle.
const barbell = () =>
  buildGraph(
    ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => node(id)),
    [edge('a', 'b'), edge('b', 'c'), edge('a', 'c'), edge('c', 'd'), edge('d', 'e'), edge('e', 'f'), edge('d', 'f')],
  );

describe('graph algorithms on small hand-made graphs', () => {
  it('buildGraph merges duplicate edges by adding weights and ignores self-loops and unknown nodes', () => {
    const g = buildGraph([node('a'), node('b')], [edge('a', 'b', 2), edge('b', 'a', 3), edge('a', 'a'), edge('a', 'zz')]);
    assert.equal(g.size, 1);
    assert.equal(g.getEdgeAttribute('a', 'b', 'weight'), 5);
  });

  it('neighbourhood expands hop by hop and respects the node cap', () => {
    // Path a-b-c-d-e.
    const g = buildGraph(['a', 'b', 'c', 'd', 'e'].map((id) => node(id)), [edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('d', 'e')]);
    assert.deepEqual([...neighbourhood(g, ['a'], 1)].sort(), ['a', 'b']);
    assert.deepEqual([...neighbourhood(g, ['a'], 2)].sort(), ['a', 'b', 'c']);
    assert.deepEqual([...neighbourhood(g, ['c'], 1)].sort(), ['b', 'c', 'd']);
    assert.equal(neighbourhood(g, ['a'], 3, 2).size, 2);
    assert.equal(neighbourhood(g, ['missing'], 2).size, 0);
  });

  it('Louvain finds the two triangles of a barbell as two communities', () => {
    const g = barbell();
    const { communities, count, modularity } = detectCommunities(g, 1);
    assert.equal(count, 2);
    assert.equal(communities.a, communities.b);
    assert.equal(communities.b, communities.c);
    assert.equal(communities.d, communities.e);
    assert.notEqual(communities.a, communities.d);
    assert.ok(modularity > 0.3, `modularity ${modularity}`);
    // Seeded: the same answer every time.
    assert.deepEqual(detectCommunities(g, 1).communities, communities);
  });

  it('communities of an edgeless graph are singletons', () => {
    const g = buildGraph([node('a'), node('b')], []);
    assert.equal(detectCommunities(g).count, 2);
  });

  it('degree and PageRank rank the centre of a star first', () => {
    const g = buildGraph(['hub', 'x', 'y', 'z'].map((id) => node(id)), [edge('hub', 'x'), edge('hub', 'y'), edge('hub', 'z')]);
    const deg = degrees(g);
    assert.deepEqual(deg, { hub: 3, x: 1, y: 1, z: 1 });
    const pr = pageRank(g);
    assert.ok(pr.hub! > pr.x!);
    assert.ok(Math.abs(Object.values(pr).reduce((a, b) => a + b, 0) - 1) < 1e-6);
    const bc = approxBetweenness(g, { samples: 4 });
    const ranked = rankKeyNodes(g, deg, pr, bc, 2);
    assert.equal(ranked[0]?.id, 'hub');
    assert.equal(ranked.length, 2);
  });

  it('betweenness with every source sampled equals the exact value (path and barbell)', () => {
    const path = buildGraph(['a', 'b', 'c'].map((id) => node(id)), [edge('a', 'b'), edge('b', 'c')]);
    const bp = approxBetweenness(path, { samples: 3 });
    assert.deepEqual(bp, { a: 0, b: 1, c: 0 });
    const g = barbell();
    const approx = approxBetweenness(g, { samples: 6 });
    const exact = exactBetweenness(g as unknown as UndirectedGraph, { normalized: false });
    for (const n of g.nodes()) assert.ok(Math.abs(approx[n]! - exact[n]!) < 1e-9, `${n}: ${approx[n]} vs ${exact[n]}`);
    // c and d are the bridge ends: each lies on the 2 x 3 shortest paths between {a, b} and {d, e, f}.
    assert.equal(approx.c, 6);
    assert.equal(approx.a, 0);
  });

  it('sampled betweenness is close to exact on a larger graph and is deterministic for a seed', () => {
    const rnd = seededRandom(42);
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n${i}`));
    const edges = [];
    for (let i = 1; i < 300; i++) edges.push(edge(`n${i}`, `n${Math.floor(rnd() * i)}`));
    for (let k = 0; k < 150; k++) edges.push(edge(`n${Math.floor(rnd() * 300)}`, `n${Math.floor(rnd() * 300)}`));
    const g = buildGraph(nodes, edges);
    const exact = exactBetweenness(g as unknown as UndirectedGraph, { normalized: false });
    const approx = approxBetweenness(g, { samples: 150, seed: 3 });
    assert.deepEqual(approxBetweenness(g, { samples: 150, seed: 3 }), approx);
    const top = (m: Record<string, number>) => Object.entries(m).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k]) => k);
    const overlap = top(exact).filter((k) => top(approx).includes(k)).length;
    assert.ok(overlap >= 7, `top-10 overlap ${overlap}`);
  });

  it('layout places every node at a finite position, communities apart', () => {
    const g = barbell();
    const c = detectCommunities(g);
    const pos = layout(g, c.communities, degrees(g));
    assert.equal(Object.keys(pos).length, 6);
    for (const p of Object.values(pos)) assert.ok(Number.isFinite(p.x) && Number.isFinite(p.y));
    const centre = (ids: string[]) => ({ x: ids.reduce((s, i) => s + pos[i]!.x, 0) / ids.length, y: ids.reduce((s, i) => s + pos[i]!.y, 0) / ids.length });
    const a = centre(['a', 'b', 'c']);
    const b = centre(['d', 'e', 'f']);
    assert.ok(Math.hypot(a.x - b.x, a.y - b.y) > 1);
  });

  it('analyseNetwork returns nodes, edges, communities and key nodes', () => {
    const res = analyseNetwork(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => node(id)),
      [edge('a', 'b'), edge('b', 'c'), edge('a', 'c'), edge('c', 'd'), edge('d', 'e'), edge('e', 'f'), edge('d', 'f')],
    );
    assert.equal(res.nodes.length, 6);
    assert.equal(res.edges.length, 7);
    assert.equal(res.communityCount, 2);
    assert.ok(['c', 'd'].includes(res.keyNodes[0]!.id));
    const empty = analyseNetwork([], []);
    assert.equal(empty.nodes.length, 0);
  });
});
