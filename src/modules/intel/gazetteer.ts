/**
 * Town positions for the map: content/gazetteer/places.json (the extraction gazetteer, entries
 * {name, kind, county, region, lat, lon}) when present, otherwise a small built-in list. Postcode
 * districts are placed at the town they serve (built-in list; approximate town centres).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export interface Place {
  name: string;
  lat: number;
  lon: number;
  county?: string;
  region?: string;
}

export interface Gazetteer {
  /** Looks a town up by name, ignoring case. */
  place(name: string): Place | undefined;
  /** The town serving a postcode district (outward code), when known. */
  district(outward: string): Place | undefined;
  /** Canonical spelling of a town name, or the trimmed input when unknown. */
  canonical(name: string): string;
  readonly size: number;
}

// Fallback: approximate centres; districts are real outward codes of each town.
const BUILT_IN: readonly (Place & { districts: readonly string[] })[] = [
  { name: 'London', lat: 51.5072, lon: -0.1276, districts: ['E1', 'E2', 'E5', 'E8', 'E15', 'N1', 'N15', 'N17', 'SE1', 'SE15', 'SW2', 'SW9'] },
  { name: 'Manchester', lat: 53.4808, lon: -2.2426, districts: ['M1', 'M4', 'M8', 'M9', 'M11', 'M12', 'M13', 'M14', 'M15', 'M16', 'M40'] },
  { name: 'Liverpool', lat: 53.4084, lon: -2.9916, districts: ['L1', 'L4', 'L5', 'L6', 'L7', 'L8', 'L11', 'L13'] },
  { name: 'Birmingham', lat: 52.4862, lon: -1.8904, districts: ['B5', 'B6', 'B7', 'B8', 'B9', 'B10', 'B11', 'B12'] },
  { name: 'Leeds', lat: 53.8008, lon: -1.5491, districts: ['LS2', 'LS7', 'LS8', 'LS9', 'LS11'] },
  { name: 'Bristol', lat: 51.4545, lon: -2.5879, districts: ['BS1', 'BS2', 'BS5'] },
  { name: 'Blackpool', lat: 53.8175, lon: -3.0357, districts: ['FY1', 'FY2', 'FY3', 'FY4'] },
  { name: 'Preston', lat: 53.7632, lon: -2.7031, districts: ['PR1', 'PR2'] },
  { name: 'Lancaster', lat: 54.0466, lon: -2.8007, districts: ['LA1'] },
  { name: 'Morecambe', lat: 54.073, lon: -2.865, districts: ['LA3', 'LA4'] },
  { name: 'Burnley', lat: 53.7893, lon: -2.2405, districts: ['BB10', 'BB11', 'BB12'] },
  { name: 'Blackburn', lat: 53.7486, lon: -2.4875, districts: ['BB1', 'BB2'] },
  { name: 'Chorley', lat: 53.653, lon: -2.6321, districts: ['PR6', 'PR7'] },
  { name: 'Accrington', lat: 53.7534, lon: -2.3638, districts: ['BB5'] },
  { name: 'Fleetwood', lat: 53.9167, lon: -3.0357, districts: ['FY7'] },
  { name: 'Skelmersdale', lat: 53.55, lon: -2.776, districts: ['WN8'] },
  { name: 'Barrow-in-Furness', lat: 54.1108, lon: -3.2261, districts: ['LA13', 'LA14'] },
  { name: 'Kendal', lat: 54.328, lon: -2.7463, districts: ['LA9'] },
  { name: 'Carlisle', lat: 54.8925, lon: -2.9329, districts: ['CA1', 'CA2', 'CA3'] },
  { name: 'Southport', lat: 53.6475, lon: -3.0053, districts: ['PR8', 'PR9'] },
  { name: 'Wigan', lat: 53.5448, lon: -2.6318, districts: ['WN1', 'WN5'] },
  { name: 'Norwich', lat: 52.6309, lon: 1.2974, districts: ['NR1', 'NR3'] },
  { name: 'Southend-on-Sea', lat: 51.5459, lon: 0.7077, districts: ['SS1', 'SS2'] },
];

const placeSchema = z.object({ name: z.string().min(1), lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), county: z.string().optional(), region: z.string().optional() });

export function buildGazetteer(places: readonly Place[]): Gazetteer {
  const byName = new Map<string, Place>();
  for (const p of [...BUILT_IN, ...places]) byName.set(p.name.toLowerCase(), { name: p.name, lat: p.lat, lon: p.lon, ...(p.county ? { county: p.county } : {}), ...(p.region ? { region: p.region } : {}) });
  const byDistrict = new Map<string, Place>();
  for (const p of BUILT_IN) for (const d of p.districts) byDistrict.set(d, byName.get(p.name.toLowerCase())!);
  return {
    place: (name) => byName.get(name.trim().toLowerCase()),
    district: (outward) => byDistrict.get(outward.trim().toUpperCase()),
    canonical: (name) => byName.get(name.trim().toLowerCase())?.name ?? name.trim().replace(/\s+/g, ' '),
    size: byName.size,
  };
}

/** Reads content/gazetteer/places.json when it exists and is valid; entries that fail are skipped. */
export function loadGazetteer(file = fileURLToPath(new URL('../../../content/gazetteer/places.json', import.meta.url))): Gazetteer {
  const places: Place[] = [];
  if (existsSync(file)) {
    try {
      const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
      const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' && 'places' in raw && Array.isArray(raw.places) ? (raw.places as unknown[]) : [];
      for (const item of list) {
        const parsed = placeSchema.safeParse(item);
        if (parsed.success) places.push(parsed.data);
      }
    } catch {
      // An unreadable gazetteer must not stop the service: the built-in list still places the big towns.
    }
  }
  return buildGazetteer(places);
}
