import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadBasemap, MAP_VIEWS, projection, renderMapSvg } from './map.ts';
import { buildGazetteer, loadGazetteer } from './gazetteer.ts';
import { assertWellFormedXml } from './intel.testing.ts';

describe('map', () => {
  it('projects with cos(lat) scaling: north is up, east is right, the bbox fills the width', () => {
    const gb = MAP_VIEWS[0]!;
    const p = projection(gb, 600);
    const nw = p.project(gb.bbox.west, gb.bbox.north);
    const se = p.project(gb.bbox.east, gb.bbox.south);
    assert.deepEqual(nw, { x: 0, y: 0 });
    assert.equal(se.x, 600);
    assert.ok(Math.abs(se.y - p.height) < 1);
    // A degree of longitude is shorter than a degree of latitude at UK latitudes.
    const a = p.project(-2, 54);
    const b = p.project(-1, 54);
    const c = p.project(-2, 55);
    assert.ok(b.x - a.x < a.y - c.y);
    assert.ok(p.contains(-2.7, 53.76));
    assert.ok(!p.contains(10, 53));
  });

  it('the shipped basemap is small, simplified GeoJSON with Great Britain and Lancashire', () => {
    const map = loadBasemap();
    const names = map.features.map((f) => f.properties.name);
    assert.ok(names.some((n) => /Great Britain/.test(n)));
    assert.ok(names.some((n) => /Lancashire/.test(n)));
    for (const f of map.features) if (f.geometry.type === 'Polygon') for (const ring of f.geometry.coordinates) assert.deepEqual(ring[0], ring.at(-1), 'rings are closed');
  });

  it('renders a well-formed, labelled SVG with flows and hotspots, escaping names', () => {
    const svg = renderMapSvg(
      loadBasemap(),
      MAP_VIEWS[1]!,
      [
        { name: 'Preston', lat: 53.7632, lon: -2.7031, count: 9 },
        { name: 'Far <away>', lat: 40, lon: 10, count: 1 },
      ],
      [{ brand: 'Kash & Co', from: { name: 'Liverpool', lat: 53.4084, lon: -2.9916 }, to: { name: 'Preston', lat: 53.7632, lon: -2.7031 }, active: true }],
    );
    assertWellFormedXml(svg);
    assert.match(svg, /role="img"/);
    assert.match(svg, /<title id="intel-map-title">/);
    assert.match(svg, /Kash &amp; Co: Liverpool to Preston/);
    assert.equal((svg.match(/class="intel-map__hotspot"/g) ?? []).length, 1, 'places outside the view are not drawn');
  });

  it('the gazetteer reads content/gazetteer/places.json when present and falls back otherwise', () => {
    const gz = loadGazetteer();
    assert.ok(gz.place('preston'));
    assert.equal(gz.canonical('  blackpool '), 'Blackpool');
    assert.equal(gz.district('FY1')?.name, 'Blackpool');
    const fallback = loadGazetteer('/nonexistent/places.json');
    assert.ok(fallback.place('Manchester'));
    const custom = buildGazetteer([{ name: 'Newtown', lat: 52.5, lon: -3.3 }]);
    assert.equal(custom.place('NEWTOWN')?.lat, 52.5);
    assert.equal(custom.canonical('Nowhere  Else'), 'Nowhere Else');
  });
});
