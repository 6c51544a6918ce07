/**
 * The hidden world of the simulation: deal lines run from exporting cities into importing towns,
 * with line holders, runners, cuckooed addresses, vehicles, handles, and the journeys, arrests and
 * missing episodes that happen over the simulated days (DOMAIN.md "The crime model").
 * Pure: a function of the options and a seeded Rng.
 */
import type {
  AddressRecord,
  ArrestRecord,
  HandleRecord,
  JourneyRecord,
  LineNumberRecord,
  LineRecord,
  MissingEpisodeRecord,
  NumberChangeRecord,
  PersonRecord,
  PlaceRecord,
  VehicleRecord,
  Vulnerability,
  WorldRecord,
} from './types.ts';
import type { PlaceSeed } from './places.ts';
import type { Rng } from './rng.ts';
import type { AllocationStats, NumberRequest } from './phones.ts';
import { allocateMobiles, dramaMobile } from './phones.ts';
import { addressLine, BRAND_WORDS, brandFor, familyName, givenName, handleFor, NICKNAMES } from './names.ts';

/** What the caller asks for; validated by the CLI before any work starts. */
export interface WorldOptions {
  seed: number;
  lines: number;
  days: number;
  /** First simulated day, YYYY-MM-DD (never the wall clock, so output is reproducible). */
  start: string;
  places: readonly PlaceSeed[];
}

export interface PlaceModel {
  record: PlaceRecord;
  station: string;
  landline: string;
  aliases: readonly string[];
}

export interface PersonModel {
  record: PersonRecord;
  /** Days [from, to) the person is involved with the line. */
  from: number;
  to: number;
  home: PlaceModel;
  /** Start days of missing episodes, ascending (for "missing_episodes_30d"). */
  missingStarts: number[];
  journeys: number;
  arrests: number;
}

export interface AddressModel {
  record: AddressRecord;
  place: PlaceModel;
  resident: PersonModel | null;
}

export interface NumberPeriod {
  number: string;
  from: number;
  to: number;
}

export interface LineModel {
  record: LineRecord;
  index: number;
  brand: string;
  exporting: PlaceModel;
  importing: PlaceModel[];
  from: number;
  /** Exclusive end day (closure or the end of the simulation). */
  to: number;
  numbers: NumberPeriod[];
  holder: PersonModel;
  olders: PersonModel[];
  runners: PersonModel[];
  residents: PersonModel[];
  addresses: AddressModel[];
  vehicles: VehicleRecord[];
  handles: HandleRecord[];
  /** Relative share of public reports (some lines are far more visible than others). */
  weight: number;
}

export type WorldEvent =
  | { type: 'journey'; day: number; line: LineModel; person: PersonModel; place: PlaceModel; record: JourneyRecord; vehicle: VehicleRecord | null }
  | { type: 'arrest'; day: number; line: LineModel; person: PersonModel; place: PlaceModel; record: ArrestRecord }
  | { type: 'missing'; day: number; line: LineModel; person: PersonModel; place: PlaceModel; record: MissingEpisodeRecord };

export interface World {
  options: WorldOptions;
  startMs: number;
  places: PlaceModel[];
  lines: LineModel[];
  /** Events by the day they start, each day in time order. */
  eventsByDay: WorldEvent[][];
  numberChanges: NumberChangeRecord[];
  phoneStats: AllocationStats;
  /** Count of world records `worldRecords` yields (for progress). */
  recordCount: number;
}

const DAY_MS = 86_400_000;

/** Milliseconds since the epoch of midnight UTC on a YYYY-MM-DD date. */
export function parseStartDate(start: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === start ? ms : Number.NaN;
}

export function isoDate(startMs: number, day: number): string {
  return new Date(startMs + day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO time, whole seconds, for a day and minute of the day (minutes may exceed a day). */
export function isoTime(startMs: number, day: number, minute: number): string {
  return new Date(startMs + day * DAY_MS + Math.round(minute * 60) * 1000).toISOString().replace('.000Z', 'Z');
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function distanceKm(a: PlaceRecord, b: PlaceRecord): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** Real outward code with an invented inward part ("PR1 4XX", "FY1 9ZZ"). */
export function inventPostcode(rng: Rng, place: PlaceModel): string | null {
  const districts = place.record.postcode_districts;
  if (districts.length === 0) return null;
  // Units made only of X, Y and Z keep the format valid while looking plainly made up.
  return `${rng.pick(districts)} ${rng.int(1, 9)}${rng.pick(['XX', 'XZ', 'ZX', 'ZZ', 'XY', 'YX', 'ZY', 'YZ'] as const)}`;
}

const REG_AREA_FIRST = 'ABCDEFGHKLMNOPRSVWY';
const REG_LETTERS = 'ABCDEFGHJKLMNOPRSTUVWXY';
const VEHICLE_MODELS = [
  ['Volkswagen', 'Polo'], ['Volkswagen', 'Golf'], ['Audi', 'A3'], ['Audi', 'A1'], ['BMW', '1 Series'], ['Mercedes', 'A-Class'],
  ['Ford', 'Fiesta'], ['Ford', 'Focus'], ['Vauxhall', 'Corsa'], ['Vauxhall', 'Astra'], ['Toyota', 'Yaris'], ['Toyota', 'Prius'],
  ['Seat', 'Leon'], ['Kia', 'Ceed'], ['Nissan', 'Qashqai'], ['Peugeot', '208'], ['Range Rover', 'Evoque'], ['Skoda', 'Octavia'],
] as const;
export const VEHICLE_COLOURS = ['black', 'silver', 'grey', 'white', 'blue', 'red', 'dark blue', 'gold'] as const;

/** A valid-format current-style registration (two area letters, age identifier, three letters), invented. */
export function inventRegistration(rng: Rng): string {
  const letter = (set: string): string => set[rng.int(0, set.length - 1)]!;
  const year = rng.int(2, 25);
  const age = rng.chance(0.5) ? year : year + 50;
  return `${letter(REG_AREA_FIRST)}${letter(REG_LETTERS)}${String(age).padStart(2, '0')}${letter(REG_LETTERS)}${letter(REG_LETTERS)}${letter(REG_LETTERS)}`;
}

function pickVulnerabilities(rng: Rng, pool: readonly Vulnerability[], max: number): Vulnerability[] {
  const n = rng.int(0, max);
  const out: Vulnerability[] = [];
  for (let i = 0; i < n; i++) {
    const v = rng.pick(pool);
    if (!out.includes(v)) out.push(v);
  }
  return out.sort();
}

const CHILD_VULNERABILITIES: readonly Vulnerability[] = [
  'in_care', 'excluded_from_school', 'past_abuse_neglect', 'learning_disability', 'autism', 'known_to_cjs', 'insecure_immigration',
];
const ADULT_VULNERABILITIES: readonly Vulnerability[] = [
  'substance_misuse', 'mental_health', 'learning_disability', 'homeless', 'known_to_cjs', 'past_abuse_neglect',
];

/** Runner ages: mostly 14-17, some as young as 10, some vulnerable adults (DOMAIN.md "Runners"). */
function runnerAge(rng: Rng): number {
  return rng.choose<number>([
    [rng.int(14, 17), 65],
    [rng.int(10, 13), 10],
    [rng.int(18, 19), 7],
    [rng.int(22, 55), 18],
  ]);
}

function placeModels(seeds: readonly PlaceSeed[]): PlaceModel[] {
  return seeds.map((s) => ({
    record: {
      kind: 'place',
      id: `PL-${slug(s.name)}`,
      name: s.name,
      place_kind: s.kind,
      county: s.county,
      region: s.region,
      lat: s.lat,
      lon: s.lon,
      role: s.role,
      postcode_districts: [...s.postcode_districts],
    },
    station: s.station ?? `${s.name} station`,
    landline: s.landline ?? '01632',
    aliases: s.aliases ?? [],
  }));
}

const SMALL_WORLD_COUNTIES = ['Lancashire', 'Cumbria'];
/** At or below this many lines the world stays in Lancashire and Cumbria (the demo force area). */
const SMALL_WORLD_LINES = 25;

/** Builds the whole hidden world. Memory grows with lines x days (the CLI caps it). */
export function buildWorld(options: WorldOptions, rootRng: Rng): World {
  const { days } = options;
  const startMs = parseStartDate(options.start);
  const rng = rootRng.fork('world');
  const places = placeModels(options.places);
  const exporting = places.filter((p) => p.record.role === 'exporting');
  let importing = places.filter((p) => p.record.role === 'importing');
  if (exporting.length === 0 || importing.length === 0) throw new Error('the place list needs at least one exporting and one importing place');
  const local = importing.filter((p) => SMALL_WORLD_COUNTIES.includes(p.record.county));
  if (options.lines <= SMALL_WORLD_LINES && local.length > 0) importing = local;
  const importWeights = importing.map((p) => (SMALL_WORLD_COUNTIES.includes(p.record.county) ? 2 : 1));
  const exportWeightOf = new Map<string, number>();
  for (const s of options.places) exportWeightOf.set(`PL-${slug(s.name)}`, s.export_weight ?? 1);

  const brandOrder = rng.shuffle(BRAND_WORDS);
  const counters = { person: 0, address: 0, vehicle: 0, handle: 0 };
  const id = (prefix: string, key: keyof typeof counters, width: number): string =>
    `${prefix}${String(++counters[key]).padStart(width, '0')}`;

  const lines: LineModel[] = [];
  const requests: NumberRequest[] = [];
  const requestOwners: ({ line: LineModel; period: NumberPeriod } | { person: PersonModel })[] = [];
  const events: WorldEvent[] = [];

  const makePerson = (
    lrng: Rng,
    line: LineRecord,
    role: PersonRecord['role'],
    age: number,
    home: PlaceModel,
    vulnerabilities: Vulnerability[],
    from: number,
    to: number,
    nicknameChance: number,
  ): PersonModel => {
    const sex = lrng.chance(role === 'runner' ? 0.82 : role === 'cuckooed_resident' ? 0.55 : 0.92) ? 'male' : 'female';
    return {
      record: {
        kind: 'person',
        id: id('P', 'person', 6),
        role,
        line_id: line.id,
        given_name: givenName(lrng, sex, age),
        family_name: familyName(lrng),
        nickname: lrng.chance(nicknameChance) ? lrng.pick(NICKNAMES) : null,
        sex,
        age,
        home_place_id: home.record.id,
        vulnerabilities,
        phone: null,
      },
      from,
      to,
      home,
      missingStarts: [],
      journeys: 0,
      arrests: 0,
    };
  };

  for (let i = 0; i < options.lines; i++) {
    const lrng = rng.fork(`line:${i}`);
    const town = lrng.weighted(importing, importWeights);
    const exp = lrng.weighted(
      exporting,
      exporting.map((c) => (exportWeightOf.get(c.record.id) ?? 1) / (distanceKm(c.record, town.record) + 40)),
    );
    const towns = [town];
    if (lrng.chance(0.3)) {
      let best: PlaceModel | null = null;
      let bestKm = 45;
      for (const p of importing) {
        const km = distanceKm(p.record, town.record);
        if (p !== town && km < bestKm) {
          best = p;
          bestKm = km;
        }
      }
      if (best) towns.push(best);
    }
    const established = lrng.chance(0.85) || days < 14;
    const from = established ? -lrng.int(30, 500) : lrng.int(0, days - 7);
    let to = days;
    let closure: LineRecord['closure'] = null;
    const years = days / 365;
    const closeRoll = lrng.next();
    const earliestClose = Math.max(from, 0) + 14;
    if (earliestClose < days - 1) {
      const day = lrng.int(earliestClose, days - 1);
      if (closeRoll < Math.min(0.45, 0.3 * years)) closure = { type: 1, date: isoDate(startMs, day) };
      else if (closeRoll < Math.min(0.65, 0.42 * years)) closure = { type: 2, date: isoDate(startMs, day) };
      if (closure) to = day;
    }
    const brand = brandFor(i, brandOrder);
    const lineId = `L${String(i + 1).padStart(4, '0')}`;
    const record: LineRecord = {
      kind: 'line',
      id: lineId,
      brand,
      exporting_place_id: exp.record.id,
      importing_place_ids: towns.map((t) => t.record.id),
      holder_person_id: '',
      active_from: isoDate(startMs, from),
      active_to: to < days ? isoDate(startMs, to) : null,
      closure,
      cross_border: towns.some((t) => t.record.county !== exp.record.county),
    };
    const holder = makePerson(lrng, record, 'line_holder', lrng.int(19, 34), exp, pickVulnerabilities(lrng, ['known_to_cjs'], 1), from, to, 0.7);
    record.holder_person_id = holder.record.id;
    const olders: PersonModel[] = [];
    for (let k = lrng.int(0, 2); k > 0; k--) {
      olders.push(makePerson(lrng, record, 'older', lrng.int(18, 30), exp, pickVulnerabilities(lrng, ['known_to_cjs'], 1), from, to, 0.8));
    }
    const runners: PersonModel[] = [];
    for (let k = lrng.int(2, 6); k > 0; k--) {
      const age = runnerAge(lrng);
      const home = lrng.chance(0.75) ? exp : lrng.pick(towns);
      const vulns = age >= 18 ? pickVulnerabilities(lrng, ADULT_VULNERABILITIES, 2) : pickVulnerabilities(lrng, CHILD_VULNERABILITIES, 2);
      if (age >= 22 && vulns.length === 0) vulns.push(lrng.pick(ADULT_VULNERABILITIES));
      const rFrom = lrng.chance(0.7) ? from : lrng.int(from, Math.max(from, to - 1));
      const rTo = lrng.chance(0.2) ? lrng.int(rFrom + 1, Math.max(rFrom + 1, to)) : to;
      runners.push(makePerson(lrng, record, 'runner', age, home, vulns.sort(), rFrom, rTo, 0.55));
    }

    const line: LineModel = {
      record,
      index: i,
      brand,
      exporting: exp,
      importing: towns,
      from,
      to,
      numbers: [],
      holder,
      olders,
      runners,
      residents: [],
      addresses: [],
      vehicles: [],
      handles: [],
      weight: Math.exp(0.8 * lrng.normal()),
    };

    // Cuckooed homes of vulnerable adults in the importing towns (DOMAIN.md "Cuckooing").
    for (let k = lrng.int(1, 3); k > 0; k--) {
      const place = lrng.pick(towns);
      const aFrom = lrng.chance(0.6) ? from : lrng.int(from, Math.max(from, to - 1));
      const resident = makePerson(lrng, record, 'cuckooed_resident', lrng.int(35, 82), place, pickVulnerabilities(lrng, ADULT_VULNERABILITIES, 2), aFrom, to, 0.1);
      if (resident.record.vulnerabilities.length === 0) resident.record.vulnerabilities.push(lrng.pick(ADULT_VULNERABILITIES));
      line.residents.push(resident);
      line.addresses.push({
        record: {
          kind: 'address',
          id: id('A', 'address', 6),
          line_id: lineId,
          use: 'cuckooed',
          line1: addressLine(lrng, 'cuckooed'),
          place_id: place.record.id,
          postcode: inventPostcode(lrng, place),
          resident_person_id: resident.record.id,
          from: isoDate(startMs, aFrom),
          to: to < days ? isoDate(startMs, to) : null,
        },
        place,
        resident,
      });
    }
    for (let k = lrng.int(0, 2); k > 0; k--) {
      const use = lrng.choose<AddressRecord['use']>([['trap_house', 3], ['hotel', 2], ['short_let', 2]]);
      const place = lrng.pick(towns);
      line.addresses.push({
        record: {
          kind: 'address',
          id: id('A', 'address', 6),
          line_id: lineId,
          use,
          line1: addressLine(lrng, use),
          place_id: place.record.id,
          postcode: inventPostcode(lrng, place),
          resident_person_id: null,
          from: isoDate(startMs, from),
          to: to < days ? isoDate(startMs, to) : null,
        },
        place,
        resident: null,
      });
    }
    for (let k = lrng.chance(0.6) ? lrng.int(1, 2) : 0; k > 0; k--) {
      const [make, model] = lrng.pick(VEHICLE_MODELS);
      line.vehicles.push({
        kind: 'vehicle',
        id: id('V', 'vehicle', 5),
        line_id: lineId,
        registration: inventRegistration(lrng),
        colour: lrng.pick(VEHICLE_COLOURS),
        make,
        model,
      });
    }
    for (let k = lrng.int(1, 3); k > 0; k--) {
      const purpose = lrng.choose<HandleRecord['purpose']>([['advertising', 3], ['recruitment', 2], ['personal', 2]]);
      const person = purpose === 'personal' ? lrng.pick([holder, ...olders, ...runners]) : null;
      const stem = person ? (person.record.nickname ?? person.record.given_name) : purpose === 'advertising' ? brand : lrng.pick(['easymoney', 'quickcash', 'jobs', 'workers']);
      line.handles.push({
        kind: 'handle',
        id: id('H', 'handle', 5),
        line_id: lineId,
        person_id: person ? person.record.id : null,
        platform: lrng.choose<HandleRecord['platform']>([['snapchat', 4], ['instagram', 2], ['tiktok', 1], ['telegram', 1]]),
        handle: handleFor(lrng, stem),
        purpose,
      });
    }

    // Deal numbers change every few weeks while the brand carries on (DOMAIN.md).
    let pFrom = from < 0 ? -lrng.int(0, 41) : from;
    while (pFrom < to) {
      const pTo = Math.min(to, pFrom + lrng.int(14, 42));
      const period: NumberPeriod = { number: '', from: pFrom, to: pTo };
      line.numbers.push(period);
      requests.push({ from: pFrom, to: pTo, kind: 'line', owner: i });
      requestOwners.push({ line, period });
      pFrom = pTo;
    }
    for (const p of [holder, ...olders, ...runners]) {
      if (lrng.chance(p.record.role === 'runner' ? 0.4 : 0.6)) {
        requests.push({ from: Math.max(p.from, -30), to: p.to, kind: 'personal', owner: i });
        requestOwners.push({ person: p });
      }
    }

    // Journeys, missing episodes and arrests out of area for runners who travel from the city.
    const erng = lrng.fork('events');
    for (const r of runners) {
      if (r.home !== exp) continue;
      let day = Math.max(r.from, 0) + erng.int(0, 10);
      let charged = false;
      while (day < Math.min(r.to, days) && !charged) {
        const dest = erng.pick(towns);
        const vehicle = line.vehicles.length > 0 && erng.chance(0.3) ? erng.pick(line.vehicles) : null;
        const mode: JourneyRecord['mode'] = vehicle ? 'car' : erng.choose<JourneyRecord['mode']>([['train', 75], ['coach', 13], ['taxi', 12]]);
        // Children travel alone, late or in school hours (DOMAIN.md out_of_area).
        const minute = erng.choose<number>([
          [erng.int(9 * 60, 15 * 60), 35],
          [erng.int(18 * 60, 23 * 60 + 30), 45],
          [erng.int(5 * 60, 8 * 60), 20],
        ]);
        const km = distanceKm(exp.record, dest.record);
        const travel = Math.round((km * 1.3) / (mode === 'train' ? 90 : mode === 'coach' ? 60 : 75) * 60 + erng.int(10, 40));
        const journey: JourneyRecord = {
          kind: 'journey',
          id: '',
          line_id: lineId,
          person_id: r.record.id,
          mode,
          from_place_id: exp.record.id,
          to_place_id: dest.record.id,
          depart: isoTime(startMs, day, minute),
          arrive: isoTime(startMs, day, minute + travel),
          vehicle_id: vehicle ? vehicle.id : null,
        };
        r.journeys++;
        events.push({ type: 'journey', day, line, person: r, place: dest, record: journey, vehicle });
        if (r.record.age < 18 && erng.chance(0.45)) {
          const mFrom = minute - erng.int(0, 180);
          const mTo = minute + erng.int(1, 5) * 1440 + erng.int(0, 600);
          const found = erng.chance(0.75) ? dest : erng.pick(towns);
          events.push({
            type: 'missing',
            day: mFrom < 0 ? day - 1 : day,
            line,
            person: r,
            place: found,
            record: {
              kind: 'missing_episode',
              id: '',
              line_id: lineId,
              person_id: r.record.id,
              from: isoTime(startMs, day, mFrom),
              to: isoTime(startMs, day, mTo),
              found_place_id: found.record.id,
              return_home_interview: erng.chance(0.7),
            },
          });
          r.missingStarts.push(mFrom < 0 ? day - 1 : day);
        }
        if (erng.chance(0.05)) {
          const aDay = day + erng.int(0, 3);
          if (aDay < days) {
            const outcome = erng.choose<ArrestRecord['outcome']>([['released_under_investigation', 50], ['charged', 30], ['no_further_action', 20]]);
            r.arrests++;
            events.push({
              type: 'arrest',
              day: aDay,
              line,
              person: r,
              place: dest,
              record: {
                kind: 'arrest',
                id: '',
                line_id: lineId,
                person_id: r.record.id,
                place_id: dest.record.id,
                at: isoTime(startMs, aDay, erng.int(0, 1439)),
                out_of_area: true,
                outcome,
                closes_line: false,
              },
            });
            if (outcome === 'charged') charged = true;
          }
        }
        day += erng.int(4, 18);
      }
    }
    if (closure?.type === 1 && to < days) {
      holder.arrests++;
      events.push({
        type: 'arrest',
        day: to,
        line,
        person: holder,
        place: exp,
        record: {
          kind: 'arrest',
          id: '',
          line_id: lineId,
          person_id: holder.record.id,
          place_id: exp.record.id,
          at: isoTime(startMs, to, erng.int(300, 420)),
          out_of_area: false,
          outcome: 'charged',
          closes_line: true,
        },
      });
    }
    lines.push(line);
  }

  const { assigned, stats } = allocateMobiles(requests, rng.fork('phones'));
  assigned.forEach((n, k) => {
    const owner = requestOwners[k]!;
    if ('period' in owner) owner.period.number = dramaMobile(n);
    else if (n >= 0) owner.person.record.phone = dramaMobile(n);
  });

  const numberChanges: NumberChangeRecord[] = [];
  for (const line of lines) {
    for (let k = 1; k < line.numbers.length; k++) {
      const prev = line.numbers[k - 1]!;
      const cur = line.numbers[k]!;
      if (cur.from >= 0 && cur.from < days) {
        numberChanges.push({ kind: 'number_change', line_id: line.record.id, brand: line.brand, old_number: prev.number, new_number: cur.number, date: isoDate(startMs, cur.from) });
      }
    }
  }
  numberChanges.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const eventsByDay: WorldEvent[][] = Array.from({ length: days }, () => []);
  for (const e of events) if (e.day >= 0 && e.day < days) eventsByDay[e.day]!.push(e);
  let arrestCounter = 0;
  let journeyCounter = 0;
  let missingCounter = 0;
  let eventCount = 0;
  for (const list of eventsByDay) {
    list.sort((a, b) => {
      const ta = eventTime(a);
      const tb = eventTime(b);
      return ta < tb ? -1 : ta > tb ? 1 : 0;
    });
    // Event ids follow time order, so a reader scanning the file sees them in sequence.
    for (const e of list) {
      if (e.type === 'arrest') e.record.id = `X${String(++arrestCounter).padStart(6, '0')}`;
      else if (e.type === 'journey') e.record.id = `J${String(++journeyCounter).padStart(7, '0')}`;
      else e.record.id = `M${String(++missingCounter).padStart(6, '0')}`;
    }
    eventCount += list.length;
  }

  let recordCount = places.length + eventCount;
  for (const l of lines) {
    recordCount += 1 + l.numbers.length + 1 + l.olders.length + l.runners.length + l.residents.length + l.addresses.length + l.vehicles.length + l.handles.length;
  }
  return { options, startMs, places, lines, eventsByDay, numberChanges, phoneStats: stats, recordCount };
}

function eventTime(e: WorldEvent): string {
  return e.type === 'journey' ? e.record.depart : e.type === 'arrest' ? e.record.at : e.record.from;
}

function lineNumberRecords(world: World, line: LineModel): LineNumberRecord[] {
  const { startMs, options } = world;
  return line.numbers.map((p, k) => ({
    kind: 'line_number',
    id: `${line.record.id}-N${String(k + 1).padStart(3, '0')}`,
    line_id: line.record.id,
    number: p.number,
    from: isoDate(startMs, p.from),
    to: p.to < options.days ? isoDate(startMs, p.to) : null,
    end_reason: p.to >= options.days ? null : k < line.numbers.length - 1 ? 'rotated' : line.record.closure?.type === 1 ? 'type1_closure' : 'type2_closure',
  }));
}

/** The world as records, in a stable order: places, then each line's entities, then events by time. */
export function* worldRecords(world: World): Generator<WorldRecord> {
  for (const p of world.places) yield p.record;
  for (const line of world.lines) {
    yield line.record;
    yield* lineNumberRecords(world, line);
    yield line.holder.record;
    for (const p of line.olders) yield p.record;
    for (const p of line.runners) yield p.record;
    for (const p of line.residents) yield p.record;
    for (const a of line.addresses) yield a.record;
    yield* line.vehicles;
    yield* line.handles;
  }
  for (const list of world.eventsByDay) for (const e of list) yield e.record;
}

/** The line's deal number on a day, and the one before it if the change was recent. */
export function numberOn(line: LineModel, day: number): { current: NumberPeriod | null; previous: NumberPeriod | null } {
  const nums = line.numbers;
  let lo = 0;
  let hi = nums.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = nums[mid]!;
    if (day < p.from) hi = mid - 1;
    else if (day >= p.to) lo = mid + 1;
    else return { current: p, previous: mid > 0 ? nums[mid - 1]! : null };
  }
  // After closure the last number is the one people still remember.
  const last = nums[nums.length - 1] ?? null;
  return { current: last && day >= last.to ? last : null, previous: null };
}

/** Age on a simulated day (everyone has a birthday somewhere in the year). */
export function ageOn(person: PersonModel, day: number): number {
  const shift = Number.parseInt(person.record.id.slice(-3), 10) % 365;
  return person.record.age + Math.floor((day + shift) / 365);
}
