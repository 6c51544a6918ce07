import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertWellFormedXml } from './intel.testing.ts';
import { csvField, edgesCsv, nodesCsv, toGEXF, toGeoJSON, toGraphML, xmlEscape, type ExportNode } from './exports.ts';

const nasty = 'O\'Brien & "Sons" <script>\u0001 \u{1F600} Łódź';
const nodes: ExportNode[] = [
  { id: 'e1', label: '+447700900123', type: 'phone', community: 0, degree: 2, pagerank: 0.4, betweenness: 1 },
  { id: 'e2', label: nasty, type: 'handle', community: 1, degree: 1, pagerank: 0.3, betweenness: 0 },
  { id: 'e3', label: '=HYPERLINK("http://x")', type: 'place', community: 1, degree: 1, pagerank: 0.3, betweenness: 0 },
];
const edges = [
  { source: 'e1', target: 'e2', weight: 3 },
  { source: 'e1', target: 'e3', weight: 1 },
];

describe('exports', () => {
  it('xmlEscape escapes markup and drops characters XML cannot carry', () => {
    assert.equal(xmlEscape('a<b>&"\'\u0001'), 'a&lt;b&gt;&amp;&quot;&apos;');
    assert.equal(xmlEscape('\uD800x'), 'x');
  });

  it('GraphML is well-formed with every node, edge and data key', () => {
    const xml = toGraphML(nodes, edges);
    const { root, elements } = assertWellFormedXml(xml);
    assert.equal(root, 'graphml');
    assert.equal(elements.get('node'), 3);
    assert.equal(elements.get('edge'), 2);
    assert.equal(elements.get('key'), 7);
    assert.match(xml, /O&apos;Brien &amp; &quot;Sons&quot; &lt;script&gt;/);
    assert.match(xml, /edgedefault="undirected"/);
  });

  it('GEXF is well-formed with nodes, edges and attributes', () => {
    const xml = toGEXF(nodes, edges, { date: '2025-06-01', description: 'Network around <Kash> & co' });
    const { root, elements } = assertWellFormedXml(xml);
    assert.equal(root, 'gexf');
    assert.equal(elements.get('node'), 3);
    assert.equal(elements.get('edge'), 2);
    assert.equal(elements.get('attvalue'), 15);
    assert.match(xml, /xmlns="http:\/\/gexf.net\/1.3" version="1.3"/);
  });

  it('the checker rejects broken XML (so the tests above mean something)', () => {
    assert.throws(() => assertWellFormedXml('<a><b></a></b>'));
    assert.throws(() => assertWellFormedXml('<a x="1 & 2"/>'));
    assert.throws(() => assertWellFormedXml('<a>1 < 2</a>'));
    assert.throws(() => assertWellFormedXml('<a/><b/>'));
  });

  it('CSV quotes fields, keeps E.164 numbers and neutralises formulas', () => {
    assert.equal(csvField('+447700900123'), '+447700900123');
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('-cmd|x'), "'-cmd|x");
    assert.equal(csvField('a,"b"'), '"a,""b"""');
    const csv = nodesCsv(nodes);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'id,label,type,community,degree,pagerank,betweenness');
    assert.equal(lines.length, 4);
    assert.match(csv, /'=HYPERLINK\(""http:\/\/x""\)/);
    assert.equal(edgesCsv(edges), 'source,target,weight\r\ne1,e2,3\r\ne1,e3,1\r\n');
  });

  it('GeoJSON has town points and flow line strings in lon, lat order', () => {
    const fc = JSON.parse(
      toGeoJSON([{ name: 'Preston', lat: 53.76, lon: -2.7, mentions: 4 }], [
        { lineId: 1, brand: 'Kash', status: 'active', from: { name: 'Liverpool', lat: 53.4, lon: -2.99 }, to: { name: 'Preston', lat: 53.76, lon: -2.7 } },
      ]),
    ) as { type: string; features: { geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[] };
    assert.equal(fc.type, 'FeatureCollection');
    assert.deepEqual(fc.features[0]!.geometry, { type: 'Point', coordinates: [-2.7, 53.76] });
    assert.equal(fc.features[0]!.properties.mentions, 4);
    assert.deepEqual(fc.features[1]!.geometry, { type: 'LineString', coordinates: [[-2.99, 53.4], [-2.7, 53.76]] });
  });
});
