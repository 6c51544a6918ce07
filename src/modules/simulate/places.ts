/**
 * Places for the simulator: the shared gazetteer (content/gazetteer/places.json) when present,
 * enriched with the simulator's own fallback list (content/simulation/places.yaml), which adds
 * the role (exporting city or importing town), real postcode districts, stations and the drama
 * landline area. Pure: callers read the files and pass the parsed data in.
 */
import { z } from 'zod';

const GazetteerEntry = z.object({
  name: z.string().min(1),
  kind: z.string().min(1),
  county: z.string(),
  region: z.string(),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

const PlaceSeedSchema = GazetteerEntry.extend({
  role: z.enum(['exporting', 'importing']),
  postcode_districts: z.array(z.string().regex(/^[A-Z]{1,2}\d[A-Z\d]?$/)),
  station: z.string().optional(),
  landline: z.string().optional(),
  export_weight: z.number().positive().optional(),
  aliases: z.array(z.string()).optional(),
});

export type PlaceSeed = z.infer<typeof PlaceSeedSchema>;

/** Parses content/simulation/places.yaml (already YAML-decoded); throws naming the bad field. */
export function parseFallbackPlaces(data: unknown, file: string): PlaceSeed[] {
  const parsed = z.object({ places: z.array(PlaceSeedSchema).min(2) }).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data.places;
}

/** Accepts the gazetteer as an array or as { places: [...] }; entries it cannot read are skipped. */
export function parseGazetteer(data: unknown): z.infer<typeof GazetteerEntry>[] {
  const list: unknown[] = Array.isArray(data)
    ? data
    : typeof data === 'object' && data !== null && Array.isArray((data as { places?: unknown }).places)
      ? ((data as { places: unknown[] }).places)
      : [];
  const out: z.infer<typeof GazetteerEntry>[] = [];
  for (const item of list) {
    const r = GazetteerEntry.safeParse(item);
    if (r.success) out.push(r.data);
  }
  return out;
}

/**
 * Gazetteer coordinates and counties win; simulator fields come from the fallback. Gazetteer towns
 * the fallback does not know become importing towns without postcode districts (addresses there
 * get no postcode); villages and other kinds are left out.
 */
export function mergePlaces(gazetteer: readonly z.infer<typeof GazetteerEntry>[], fallback: readonly PlaceSeed[]): PlaceSeed[] {
  const byName = new Map<string, PlaceSeed>();
  for (const p of fallback) byName.set(p.name.toLowerCase(), p);
  const seen = new Set<string>();
  const out: PlaceSeed[] = [];
  for (const g of gazetteer) {
    const key = g.name.toLowerCase();
    if (seen.has(key)) continue;
    const known = byName.get(key);
    if (known) {
      out.push({ ...known, name: g.name, county: g.county || known.county, region: g.region || known.region, lat: g.lat, lon: g.lon });
      seen.add(key);
    } else if (g.kind === 'town' || g.kind === 'city') {
      out.push({ ...g, role: 'importing', postcode_districts: [] });
      seen.add(key);
    }
  }
  for (const p of fallback) if (!seen.has(p.name.toLowerCase())) out.push(p);
  // A stable order independent of file order keeps worlds reproducible when the gazetteer is re-sorted.
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}
