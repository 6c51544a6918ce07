/**
 * Pure graph algorithms for the network view, on graphology: n-hop neighbourhoods, Louvain
 * communities, key nodes by degree, PageRank and approximate betweenness (Brandes' algorithm from
 * a seeded sample of sources; Brandes & Pich 2007, "Centrality estimation in large networks"),
 * and a cheap deterministic layout. No database, no clock; randomness only through a seed.
 */
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import pagerankModule from 'graphology-metrics/centrality/pagerank.js';
import type { ExportNode } from './exports.ts';

// These packages are CommonJS with `export default` typings: at runtime the default import is the function.
const louvain = louvainModule as unknown as typeof louvainModule.default;
const pagerank = pagerankModule as unknown as typeof pagerankModule.default;

export interface NodeInput {
  id: string;
  label: string;
  type: string;
}

export interface EdgeInput {
  source: string;
  target: string;
  weight: number;
}

export type NodeAttrs = { label: string; type: string };
export type EdgeAttrs = { weight: number };
export type IntelGraph = UndirectedGraph<NodeAttrs, EdgeAttrs>;

/** Mulberry32: a small seeded PRNG, enough for sampling and Louvain's tie-breaking. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds an undirected weighted graph; edges to unknown nodes and self-loops are ignored. */
export function buildGraph(nodes: readonly NodeInput[], edges: readonly EdgeInput[]): IntelGraph {
  const g: IntelGraph = new UndirectedGraph<NodeAttrs, EdgeAttrs>();
  for (const n of nodes) if (!g.hasNode(n.id)) g.addNode(n.id, { label: n.label, type: n.type });
  for (const e of edges) {
    if (e.source === e.target || !g.hasNode(e.source) || !g.hasNode(e.target)) continue;
    if (g.hasEdge(e.source, e.target)) g.updateEdgeAttribute(e.source, e.target, 'weight', (w) => (w ?? 0) + e.weight);
    else g.addEdge(e.source, e.target, { weight: e.weight });
  }
  return g;
}

/** Nodes within `hops` of any seed (breadth first), stopping once `maxNodes` are reached. */
export function neighbourhood(g: IntelGraph, seeds: readonly string[], hops: number, maxNodes = Infinity): Set<string> {
  const seen = new Set<string>();
  let frontier: string[] = [];
  for (const s of seeds) {
    if (g.hasNode(s) && !seen.has(s) && seen.size < maxNodes) {
      seen.add(s);
      frontier.push(s);
    }
  }
  for (let h = 0; h < hops && frontier.length; h++) {
    const next: string[] = [];
    for (const n of frontier) {
      for (const m of g.neighbors(n)) {
        if (seen.has(m)) continue;
        if (seen.size >= maxNodes) return seen;
        seen.add(m);
        next.push(m);
      }
    }
    frontier = next;
  }
  return seen;
}

export interface CommunityResult {
  communities: Record<string, number>;
  count: number;
  modularity: number;
}

/** Louvain communities (weighted), seeded so the same graph gives the same answer. */
export function detectCommunities(g: IntelGraph, seed = 1): CommunityResult {
  if (g.order === 0) return { communities: {}, count: 0, modularity: 0 };
  if (g.size === 0) {
    const communities: Record<string, number> = {};
    let i = 0;
    g.forEachNode((n) => {
      communities[n] = i++;
    });
    return { communities, count: i, modularity: 0 };
  }
  const res = louvain.detailed(g, { getEdgeWeight: 'weight', rng: seededRandom(seed) });
  return { communities: res.communities, count: res.count, modularity: res.modularity };
}

/** Degree (number of distinct neighbours) of every node. */
export function degrees(g: IntelGraph): Record<string, number> {
  const out: Record<string, number> = {};
  g.forEachNode((n) => {
    out[n] = g.degree(n);
  });
  return out;
}

/** PageRank (weighted, damping 0.85). */
export function pageRank(g: IntelGraph): Record<string, number> {
  if (g.order === 0) return {};
  if (g.size === 0) {
    const out: Record<string, number> = {};
    g.forEachNode((n) => {
      out[n] = 1 / g.order;
    });
    return out;
  }
  return pagerank(g, { getEdgeWeight: 'weight', alpha: 0.85, maxIterations: 100, tolerance: 1e-6 });
}

/**
 * Betweenness centrality (unweighted shortest paths, undirected pairs counted once) estimated by
 * Brandes' accumulation from `samples` sources drawn without replacement, scaled by n/samples.
 * With samples >= n it is exact.
 */
export function approxBetweenness(g: IntelGraph, opts: { samples?: number; seed?: number } = {}): Record<string, number> {
  const nodes = g.nodes();
  const n = nodes.length;
  const index = new Map<string, number>();
  nodes.forEach((id, i) => index.set(id, i));
  // Compact adjacency for speed.
  const adj: number[][] = nodes.map((id) => g.neighbors(id).map((m) => index.get(m)!));
  const k = Math.min(n, Math.max(1, opts.samples ?? Math.min(n, 200)));
  const order = Array.from({ length: n }, (_, i) => i);
  const rnd = seededRandom(opts.seed ?? 7);
  // Partial Fisher-Yates: the first k entries are a uniform sample.
  for (let i = 0; i < k && i < n - 1; i++) {
    const j = i + Math.floor(rnd() * (n - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const cb = new Float64Array(n);
  const sigma = new Float64Array(n);
  const dist = new Int32Array(n);
  const delta = new Float64Array(n);
  const stack = new Int32Array(n);
  const queue = new Int32Array(n);
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (let si = 0; si < k; si++) {
    const s = order[si]!;
    sigma.fill(0);
    dist.fill(-1);
    delta.fill(0);
    for (const p of preds) p.length = 0;
    sigma[s] = 1;
    dist[s] = 0;
    let qh = 0;
    let qt = 0;
    let sp = 0;
    queue[qt++] = s;
    while (qh < qt) {
      const v = queue[qh++]!;
      stack[sp++] = v;
      for (const w of adj[v]!) {
        if (dist[w]! < 0) {
          dist[w] = dist[v]! + 1;
          queue[qt++] = w;
        }
        if (dist[w] === dist[v]! + 1) {
          sigma[w] = sigma[w]! + sigma[v]!;
          preds[w]!.push(v);
        }
      }
    }
    while (sp > 0) {
      const w = stack[--sp]!;
      for (const v of preds[w]!) delta[v] = delta[v]! + (sigma[v]! / sigma[w]!) * (1 + delta[w]!);
      if (w !== s) cb[w] = cb[w]! + delta[w]!;
    }
  }
  // Undirected: each pair was counted from both ends when every source is used.
  const scale = n / k / 2;
  const out: Record<string, number> = {};
  nodes.forEach((id, i) => {
    out[id] = cb[i]! * scale;
  });
  return out;
}

export interface KeyNode {
  id: string;
  label: string;
  type: string;
  degree: number;
  pagerank: number;
  betweenness: number;
}

/** Nodes ranked by PageRank, then degree, then betweenness; ties by id for stable output. */
export function rankKeyNodes(g: IntelGraph, deg: Record<string, number>, pr: Record<string, number>, bc: Record<string, number>, limit = 20): KeyNode[] {
  return g
    .mapNodes((id, a) => ({ id, label: a.label, type: a.type, degree: deg[id] ?? 0, pagerank: pr[id] ?? 0, betweenness: bc[id] ?? 0 }))
    .sort((x, y) => y.pagerank - x.pagerank || y.degree - x.degree || y.betweenness - x.betweenness || (x.id < y.id ? -1 : 1))
    .slice(0, limit);
}

/**
 * A deterministic O(n) layout: communities on a sunflower spiral (largest in the middle), each
 * community's nodes on a smaller sunflower, highest degree at its centre. Good enough to read
 * clusters without a force layout in the browser.
 */
export function layout(g: IntelGraph, communities: Record<string, number>, deg: Record<string, number>): Record<string, { x: number; y: number }> {
  const groups = new Map<number, string[]>();
  g.forEachNode((n) => {
    const c = communities[n] ?? -1;
    const list = groups.get(c);
    if (list) list.push(n);
    else groups.set(c, [n]);
  });
  const ordered = [...groups.values()].sort((a, b) => b.length - a.length || ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1));
  const golden = Math.PI * (3 - Math.sqrt(5));
  const out: Record<string, { x: number; y: number }> = {};
  let placedArea = 0;
  ordered.forEach((members, ci) => {
    const radius = Math.sqrt(members.length) * 1.2;
    // Centres spaced so the total area covered grows with the communities already placed.
    const centreR = ci === 0 ? 0 : Math.sqrt(placedArea) * 1.1 + radius;
    placedArea += (radius * 2 + 2) ** 2;
    const cx = centreR * Math.cos(ci * golden);
    const cy = centreR * Math.sin(ci * golden);
    members.sort((a, b) => (deg[b] ?? 0) - (deg[a] ?? 0) || (a < b ? -1 : 1));
    members.forEach((id, i) => {
      const r = 1.2 * Math.sqrt(i + 0.5);
      out[id] = { x: round(cx + r * Math.cos(i * golden)), y: round(cy + r * Math.sin(i * golden)) };
    });
  });
  return out;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

export interface NetworkAnalysis {
  /** The export node shape plus a layout position. */
  nodes: (ExportNode & { x: number; y: number })[];
  edges: { source: string; target: string; weight: number }[];
  communityCount: number;
  modularity: number;
  keyNodes: KeyNode[];
}

/** Everything the network view needs, from nodes and edges. */
export function analyseNetwork(nodes: readonly NodeInput[], edges: readonly EdgeInput[], opts: { seed?: number; betweennessSamples?: number; keyNodes?: number } = {}): NetworkAnalysis {
  const g = buildGraph(nodes, edges);
  const comm = detectCommunities(g, opts.seed ?? 1);
  const deg = degrees(g);
  const pr = pageRank(g);
  const bc = approxBetweenness(g, { samples: opts.betweennessSamples ?? 100, seed: opts.seed ?? 7 });
  const pos = layout(g, comm.communities, deg);
  return {
    nodes: g.mapNodes((id, a) => ({
      id,
      label: a.label,
      type: a.type,
      community: comm.communities[id] ?? 0,
      degree: deg[id] ?? 0,
      pagerank: pr[id] ?? 0,
      betweenness: bc[id] ?? 0,
      x: pos[id]?.x ?? 0,
      y: pos[id]?.y ?? 0,
    })),
    edges: g.mapEdges((_e, a, source, target) => ({ source, target, weight: a.weight })),
    communityCount: comm.count,
    modularity: comm.modularity,
    keyNodes: rankKeyNodes(g, deg, pr, bc, opts.keyNodes ?? 20),
  };
}
