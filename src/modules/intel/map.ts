/**
 * The map view, rendered on the server as SVG so it works without JavaScript and loads nothing
 * from third parties: a simplified offline basemap (content/geo/basemap.geojson), flows from
 * exporting to importing areas and hotspot circles. Projection: equirectangular with longitude
 * scaled by cos(latitude of the view's centre), which keeps shapes right at UK latitudes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Position = [number, number];

interface BasemapFeature {
  properties: { name: string; kind: string };
  geometry: { type: 'Polygon'; coordinates: Position[][] } | { type: 'LineString'; coordinates: Position[] };
}

export interface Basemap {
  features: BasemapFeature[];
}

export function loadBasemap(file = fileURLToPath(new URL('../../../content/geo/basemap.geojson', import.meta.url))): Basemap {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { features: BasemapFeature[] };
  return { features: raw.features };
}

export interface MapView {
  id: 'gb' | 'north-west';
  label: string;
  bbox: { west: number; east: number; south: number; north: number };
}

export const MAP_VIEWS: readonly MapView[] = [
  { id: 'gb', label: 'Great Britain', bbox: { west: -6.5, east: 2.0, south: 49.8, north: 58.8 } },
  { id: 'north-west', label: 'Lancashire and the North West', bbox: { west: -3.8, east: -1.6, south: 53.25, north: 54.6 } },
];

export interface Projection {
  width: number;
  height: number;
  project(lon: number, lat: number): { x: number; y: number };
  contains(lon: number, lat: number): boolean;
}

/** Equirectangular with cos(lat) scaling, fitted to `width` pixels across the bbox. */
export function projection(view: MapView, width = 640): Projection {
  const { west, east, south, north } = view.bbox;
  const k = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const scale = width / ((east - west) * k);
  const height = Math.round((north - south) * scale);
  return {
    width,
    height,
    project: (lon, lat) => ({ x: round((lon - west) * k * scale), y: round((north - lat) * scale) }),
    contains: (lon, lat) => lon >= west && lon <= east && lat >= south && lat <= north,
  };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface MapHotspot {
  name: string;
  lat: number;
  lon: number;
  count: number;
}

export interface MapFlow {
  brand: string;
  from: { name: string; lat: number; lon: number };
  to: { name: string; lat: number; lon: number };
  active: boolean;
}

/** The map as an accessible SVG (role="img" with a title and description; the page also has tables). */
export function renderMapSvg(basemap: Basemap, view: MapView, hotspots: readonly MapHotspot[], flows: readonly MapFlow[], width = 640): string {
  const p = projection(view, width);
  const path = (coords: Position[], close: boolean) =>
    coords
      .map(([lon, lat], i) => {
        const { x, y } = p.project(lon, lat);
        return `${i === 0 ? 'M' : 'L'}${x} ${y}`;
      })
      .join(' ') + (close ? ' Z' : '');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${p.width} ${p.height}" width="100%" class="intel-map" role="img" aria-labelledby="intel-map-title intel-map-desc">`,
    `<title id="intel-map-title">Map of ${esc(view.label)}: line flows and hotspots</title>`,
    `<desc id="intel-map-desc">${flows.length} flows from exporting to importing areas and ${hotspots.length} hotspots. The same figures are in the tables below the map. Boundaries are simplified and approximate.</desc>`,
    `<defs><marker id="intel-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" class="intel-map__arrow"/></marker></defs>`,
    `<rect x="0" y="0" width="${p.width}" height="${p.height}" class="intel-map__sea"/>`,
  ];
  for (const f of basemap.features) {
    const cls = `intel-map__${f.properties.kind}`;
    if (f.geometry.type === 'Polygon') parts.push(`<path class="${cls}" d="${f.geometry.coordinates.map((r) => path(r, true)).join(' ')}"/>`);
    else parts.push(`<path class="${cls}" d="${path(f.geometry.coordinates, false)}"/>`);
  }
  // Hotspots first, then flows on top so their arrowheads stay visible.
  const max = Math.max(1, ...hotspots.map((h) => h.count));
  for (const h of [...hotspots].sort((x, y) => y.count - x.count)) {
    if (!p.contains(h.lon, h.lat)) continue;
    const { x, y } = p.project(h.lon, h.lat);
    const r = round(3 + 14 * Math.sqrt(h.count / max));
    parts.push(`<circle class="intel-map__hotspot" cx="${x}" cy="${y}" r="${r}"><title>${esc(h.name)}: ${h.count} mentions</title></circle>`);
  }
  for (const f of flows) {
    const a = p.project(f.from.lon, f.from.lat);
    const b = p.project(f.to.lon, f.to.lat);
    // A gentle curve so flows sharing a city stay distinguishable.
    const mx = round((a.x + b.x) / 2 - (b.y - a.y) * 0.15);
    const my = round((a.y + b.y) / 2 + (b.x - a.x) * 0.15);
    parts.push(
      `<path class="intel-map__flow${f.active ? '' : ' intel-map__flow--closed'}" d="M${a.x} ${a.y} Q${mx} ${my} ${b.x} ${b.y}" marker-end="url(#intel-arrow)"><title>${esc(f.brand)}: ${esc(f.from.name)} to ${esc(f.to.name)}</title></path>`,
    );
  }
  // Labels for the biggest hotspots only, to stay readable.
  for (const h of [...hotspots].sort((x, y) => y.count - x.count).slice(0, 12)) {
    if (!p.contains(h.lon, h.lat)) continue;
    const { x, y } = p.project(h.lon, h.lat);
    parts.push(`<text class="intel-map__label" x="${round(x + 6)}" y="${round(y - 6)}">${esc(h.name)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
