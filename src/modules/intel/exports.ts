/**
 * Export formats for analysts' own tools: GraphML and GEXF 1.3 (both open in Gephi), CSV node and
 * edge lists, and GeoJSON (RFC 7946) of towns and flows. Pure functions of already-authorised data.
 */

export interface ExportNode {
  id: string;
  label: string;
  type: string;
  community: number;
  degree: number;
  pagerank: number;
  betweenness: number;
}

export interface ExportEdge {
  source: string;
  target: string;
  weight: number;
}

// XML 1.0 allows only tab, newline, carriage return and chars from U+0020 (and not U+FFFE/FFFF).
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML content and attribute values, dropping characters XML cannot carry. */
export function xmlEscape(value: string): string {
  return value
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(8))) : '0';
}

/** GraphML (http://graphml.graphdrawing.org/), undirected, with typed node and edge data keys. */
export function toGraphML(nodes: readonly ExportNode[], edges: readonly ExportEdge[]): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    '  <key id="type" for="node" attr.name="type" attr.type="string"/>',
    '  <key id="community" for="node" attr.name="community" attr.type="int"/>',
    '  <key id="degree" for="node" attr.name="degree" attr.type="int"/>',
    '  <key id="pagerank" for="node" attr.name="pagerank" attr.type="double"/>',
    '  <key id="betweenness" for="node" attr.name="betweenness" attr.type="double"/>',
    '  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>',
    '  <graph id="lookout" edgedefault="undirected">',
  ];
  for (const n of nodes) {
    out.push(
      `    <node id="${xmlEscape(n.id)}"><data key="label">${xmlEscape(n.label)}</data><data key="type">${xmlEscape(n.type)}</data>` +
        `<data key="community">${Math.trunc(n.community)}</data><data key="degree">${Math.trunc(n.degree)}</data>` +
        `<data key="pagerank">${num(n.pagerank)}</data><data key="betweenness">${num(n.betweenness)}</data></node>`,
    );
  }
  edges.forEach((e, i) => {
    out.push(`    <edge id="e${i}" source="${xmlEscape(e.source)}" target="${xmlEscape(e.target)}"><data key="weight">${num(e.weight)}</data></edge>`);
  });
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}

/** GEXF 1.3 (https://gexf.net/), undirected static graph with attributes. */
export function toGEXF(nodes: readonly ExportNode[], edges: readonly ExportEdge[], meta: { date: string; description: string }): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
    `  <meta lastmodifieddate="${xmlEscape(meta.date)}"><creator>Lookout</creator><description>${xmlEscape(meta.description)}</description></meta>`,
    '  <graph mode="static" defaultedgetype="undirected">',
    '    <attributes class="node">',
    '      <attribute id="0" title="type" type="string"/>',
    '      <attribute id="1" title="community" type="integer"/>',
    '      <attribute id="2" title="degree" type="integer"/>',
    '      <attribute id="3" title="pagerank" type="double"/>',
    '      <attribute id="4" title="betweenness" type="double"/>',
    '    </attributes>',
    '    <nodes>',
  ];
  for (const n of nodes) {
    out.push(
      `      <node id="${xmlEscape(n.id)}" label="${xmlEscape(n.label)}"><attvalues>` +
        `<attvalue for="0" value="${xmlEscape(n.type)}"/><attvalue for="1" value="${Math.trunc(n.community)}"/>` +
        `<attvalue for="2" value="${Math.trunc(n.degree)}"/><attvalue for="3" value="${num(n.pagerank)}"/>` +
        `<attvalue for="4" value="${num(n.betweenness)}"/></attvalues></node>`,
    );
  }
  out.push('    </nodes>', '    <edges>');
  edges.forEach((e, i) => {
    out.push(`      <edge id="${i}" source="${xmlEscape(e.source)}" target="${xmlEscape(e.target)}" weight="${num(e.weight)}"/>`);
  });
  out.push('    </edges>', '  </graph>', '</gexf>', '');
  return out.join('\n');
}

/**
 * One CSV field (RFC 4180). Values that a spreadsheet would run as a formula are prefixed with a
 * quote (OWASP CSV injection guidance); E.164 numbers such as +447700900123 are plain numbers and kept.
 */
export function csvField(value: string | number): string {
  let s = String(value);
  if (/^[=@\t\r]/.test(s) || (/^[+-]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s))) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows: (string | number)[][]): string {
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function nodesCsv(nodes: readonly ExportNode[]): string {
  return csv([
    ['id', 'label', 'type', 'community', 'degree', 'pagerank', 'betweenness'],
    ...nodes.map((n) => [n.id, n.label, n.type, n.community, n.degree, num(n.pagerank), num(n.betweenness)]),
  ]);
}

export function edgesCsv(edges: readonly ExportEdge[]): string {
  return csv([['source', 'target', 'weight'], ...edges.map((e) => [e.source, e.target, e.weight])]);
}

export interface GeoTown {
  name: string;
  lat: number;
  lon: number;
  mentions: number;
}

export interface GeoFlow {
  lineId: number;
  brand: string;
  status: string;
  from: { name: string; lat: number; lon: number };
  to: { name: string; lat: number; lon: number };
}

/** GeoJSON FeatureCollection: towns as Points with mention counts, line flows as LineStrings. */
export function toGeoJSON(towns: readonly GeoTown[], flows: readonly GeoFlow[]): string {
  const features = [
    ...towns.map((t) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [t.lon, t.lat] },
      properties: { kind: 'town', name: t.name, mentions: t.mentions },
    })),
    ...flows.map((f) => ({
      type: 'Feature',
      geometry: {
        type: 'LineString',
        coordinates: [
          [f.from.lon, f.from.lat],
          [f.to.lon, f.to.lat],
        ],
      },
      properties: { kind: 'flow', lineId: f.lineId, brand: f.brand, status: f.status, from: f.from.name, to: f.to.name },
    })),
  ];
  return `${JSON.stringify({ type: 'FeatureCollection', features }, null, 1)}\n`;
}
