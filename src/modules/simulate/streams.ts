/**
 * The streams that reveal the hidden world: anonymous public reports, professionals' checker
 * referrals and staff notes, generated day by day in time order with their ground truth.
 * Pure: a function of the world and a seeded Rng. Memory stays flat whatever the report count:
 * only one day's records and a small buffer of recent reports (for duplicates) are held.
 */
import type {
  IndicatorCode,
  NoteRecord,
  ReferralRecord,
  ReportRecord,
  Severity,
  SimBatch,
  StreamRecord,
  StreamTruthRecord,
} from './types.ts';
import type { Rng } from './rng.ts';
import type { AddressModel, LineModel, PersonModel, PlaceModel, World, WorldEvent } from './world.ts';
import { ageOn, isoDate, isoTime, numberOn, VEHICLE_COLOURS } from './world.ts';
import { closer, describePerson, guessAge, irrelevantText, opener, TextBuilder, timeWord } from './text.ts';
import { streetName } from './names.ts';
import { dramaLandline } from './phones.ts';

export interface StreamCounts {
  reports: number;
  referrals: number;
  notes: number;
}

/** Referrals and notes scale with reports: about 1 referral per 20 reports and 1 note per 10. */
export function streamCounts(reports: number): StreamCounts {
  return { reports, referrals: Math.floor(reports / 20), notes: Math.floor(reports / 10) };
}

/** Share of reports with nothing to do with county lines. */
const IRRELEVANT_SHARE = 0.15;
const DUPLICATE_SHARE = 0.04;
/** Reports about a line keep arriving for a while after it closes (people remember the number). */
const AFTERLIFE_DAYS = 21;
const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

interface Draft {
  minute: number;
  record: Omit<ReportRecord, 'id' | 'at'> | Omit<ReferralRecord, 'id' | 'at'> | Omit<NoteRecord, 'id' | 'at'>;
  truth: Omit<StreamTruthRecord, 'record_id' | 'record_kind' | 'kind'>;
}

interface Issued {
  id: string;
  text: string;
  truth: Omit<StreamTruthRecord, 'record_id' | 'record_kind' | 'kind'>;
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Splits `total` over days by weight so the parts sum exactly to `total`. */
export function spreadOverDays(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let acc = 0;
  let prev = 0;
  for (const w of weights) {
    acc += w;
    const upto = Math.round((total * acc) / sum);
    out.push(upto - prev);
    prev = upto;
  }
  return out;
}

/** Day weights: quieter weekends and a few weeks of action when campaign publicity lifts reporting. */
function dayWeights(world: World, rng: Rng): number[] {
  const { days } = world.options;
  const weights: number[] = [];
  const campaigns: number[] = [];
  for (let d = rng.int(20, 60); d < days; d += rng.int(70, 120)) campaigns.push(d);
  for (let d = 0; d < days; d++) {
    const dow = new Date(world.startMs + d * DAY_MS).getUTCDay();
    let w = dow === 0 || dow === 6 ? 0.8 : 1;
    if (campaigns.some((c) => d >= c && d < c + 7)) w *= 2.2;
    weights.push(w);
  }
  return weights;
}

function reportMinute(rng: Rng): number {
  return rng.choose<number>([
    [rng.int(7 * 60, 12 * 60), 25],
    [rng.int(12 * 60, 18 * 60), 30],
    [rng.int(18 * 60, 24 * 60 - 1), 35],
    [rng.int(0, 7 * 60), 10],
  ]) + rng.int(0, 59) / 60;
}

function clock(iso: string): string {
  return iso.slice(11, 16);
}

/** Generates the report, referral and note streams as one batch per simulated day. */
export function* streamBatches(world: World, counts: StreamCounts, rootRng: Rng): Generator<SimBatch> {
  const { days } = world.options;
  const rng = rootRng.fork('streams');
  const weights = dayWeights(world, rng.fork('weights'));
  const reportsPerDay = spreadOverDays(counts.reports, weights);
  const referralsPerDay = spreadOverDays(counts.referrals, weights);
  const notesPerDay = spreadOverDays(counts.notes, weights);
  const importing = world.places.filter((p) => world.lines.some((l) => l.importing.includes(p)));
  const noisePlaces = importing.length > 0 ? importing : world.places;
  const seq = { report: 0, referral: 0, note: 0 };
  const recentReports: Issued[] = [];
  const recentLinked: Issued[] = [];

  for (let d = 0; d < days; d++) {
    const drng = rng.fork(`day:${d}`);
    const active: LineModel[] = [];
    const cumulative: number[] = [];
    let total = 0;
    for (const line of world.lines) {
      if (line.from <= d && d < line.to + AFTERLIFE_DAYS) {
        total += d < line.to ? line.weight : line.weight * 0.2;
        active.push(line);
        cumulative.push(total);
      }
    }
    const pickLine = (r: Rng): LineModel | null => {
      if (active.length === 0) return null;
      const x = r.next() * total;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      return active[lo]!;
    };
    const recentEvents: WorldEvent[] = [];
    for (let k = Math.max(0, d - 6); k < d; k++) recentEvents.push(...world.eventsByDay[k]!);

    const drafts: (Draft & { kind: StreamRecord['kind']; regarding?: string | null; duplicateOf?: Issued })[] = [];
    const nReports = reportsPerDay[d] ?? 0;
    for (let k = 0; k < nReports; k++) {
      const minute = reportMinute(drng);
      const roll = drng.next();
      if (roll < DUPLICATE_SHARE && recentReports.length > 0) {
        const original = drng.pick(recentReports);
        drafts.push({ kind: 'report', minute, duplicateOf: original, record: reportShell(drng, resubmit(drng, original.text)), truth: { ...original.truth, duplicate_of: original.id } });
        continue;
      }
      const b = new TextBuilder(drng);
      let truth: Draft['truth'];
      const line = roll < DUPLICATE_SHARE + IRRELEVANT_SHARE ? null : pickLine(drng);
      if (!line) {
        const place = drng.pick(noisePlaces);
        const raw = irrelevantText(b, place, postcodeFor(drng, place), dramaLandline(place.landline, drng.int(0, 999)));
        truth = { line_id: null, person_id: null, topic: 'irrelevant', duplicate_of: null, distorted: [], mentions: b.mentions, indicators: [] };
        drafts.push({ kind: 'report', minute, record: reportShell(drng, b.finish(raw)), truth });
        continue;
      }
      const ev = recentEvents.length > 0 && drng.chance(0.22) ? drng.pick(recentEvents) : null;
      const rendered = ev ? renderEvent(b, world, ev, d) : renderLineReport(b, world, line, d);
      if (drng.chance(0.01)) rendered.text += ` ${cap(b.sign('immediate_danger'))}!`;
      truth = {
        line_id: rendered.line.record.id,
        person_id: rendered.person?.record.id ?? null,
        topic: rendered.topic,
        duplicate_of: null,
        distorted: b.distorted,
        mentions: b.mentions,
        indicators: b.indicators,
      };
      drafts.push({ kind: 'report', minute, record: reportShell(drng, b.finish(rendered.text)), truth });
    }

    const nReferrals = referralsPerDay[d] ?? 0;
    for (let k = 0; k < nReferrals; k++) {
      const minute = drng.int(8 * 60, 18 * 60) + drng.int(0, 59) / 60;
      drafts.push({ kind: 'referral', minute, ...referral(drng, world, pickLine(drng), d) });
    }

    const nNotes = notesPerDay[d] ?? 0;
    for (let k = 0; k < nNotes; k++) {
      const minute = drng.int(8 * 60, 20 * 60) + drng.int(0, 59) / 60;
      const n = note(drng, world, pickLine(drng), d, recentEvents, recentLinked);
      drafts.push({ kind: 'note', minute, ...n });
    }

    // Stable sort by time of day, then hand out ids in time order.
    drafts.sort((a, b) => a.minute - b.minute);
    const records: StreamRecord[] = [];
    const truth: StreamTruthRecord[] = [];
    const issuedToday: Issued[] = [];
    for (const dr of drafts) {
      const at = isoTime(world.startMs, d, dr.minute);
      let recordId: string;
      if (dr.kind === 'report') {
        recordId = `R${String(++seq.report).padStart(7, '0')}`;
        const rec = { ...(dr.record as Omit<ReportRecord, 'id' | 'at'>), id: recordId, at };
        records.push(orderReport(rec));
        const t = dr.duplicateOf ? { ...dr.duplicateOf.truth, duplicate_of: dr.duplicateOf.id } : dr.truth;
        if (!dr.duplicateOf) issuedToday.push({ id: recordId, text: rec.text, truth: t });
        truth.push({ kind: 'stream_truth', record_id: recordId, record_kind: 'report', ...t });
      } else if (dr.kind === 'referral') {
        recordId = `RF${String(++seq.referral).padStart(6, '0')}`;
        const r = dr.record as Omit<ReferralRecord, 'id' | 'at'>;
        records.push({ kind: 'referral', id: recordId, at, referrer: r.referrer, place_id: r.place_id, subject: r.subject, signs: r.signs, missing_episodes_30d: r.missing_episodes_30d, danger_now: r.danger_now, summary: r.summary });
        truth.push({ kind: 'stream_truth', record_id: recordId, record_kind: 'referral', ...dr.truth });
      } else {
        recordId = `NT${String(++seq.note).padStart(6, '0')}`;
        const n = dr.record as Omit<NoteRecord, 'id' | 'at'>;
        records.push({ kind: 'note', id: recordId, at, author_role: n.author_role, regarding: n.regarding, subject: n.subject, text: n.text });
        truth.push({ kind: 'stream_truth', record_id: recordId, record_kind: 'note', ...dr.truth });
      }
    }
    for (const it of issuedToday) {
      pushBounded(recentReports, it, 400);
      if (it.truth.line_id && it.truth.duplicate_of === null) pushBounded(recentLinked, it, 400);
    }
    yield { records, truth };
  }
}

function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

function orderReport(r: ReportRecord): ReportRecord {
  return { kind: 'report', id: r.id, at: r.at, channel: r.channel, anonymous: r.anonymous, text: r.text };
}

function reportShell(rng: Rng, text: string): Omit<ReportRecord, 'id' | 'at'> {
  const channel = rng.choose<ReportRecord['channel']>([['web', 55], ['crimestoppers', 30], ['fearless', 8], ['phone_101', 7]]);
  // Crimestoppers and Fearless are anonymous by design (DOMAIN.md "Where a concern goes").
  const anonymous = channel === 'crimestoppers' || channel === 'fearless' ? true : rng.chance(channel === 'web' ? 0.8 : 0.3);
  return { kind: 'report', channel, anonymous, text };
}

/** The same report sent twice: identical, or with a note that it was sent before. */
function resubmit(rng: Rng, text: string): string {
  return rng.choose<string>([
    [text, 50],
    [`Sending again as not sure it went through. ${text}`, 20],
    [`${text} (reported this before, still happening)`, 20],
    [text.toLowerCase(), 10],
  ]);
}

function postcodeFor(rng: Rng, place: PlaceModel): string | null {
  const ds = place.record.postcode_districts;
  if (ds.length === 0) return null;
  return `${rng.pick(ds)} ${rng.int(1, 9)}${rng.pick(['XX', 'ZZ', 'XZ', 'ZX'] as const)}`;
}

interface Rendered {
  text: string;
  line: LineModel;
  person: PersonModel | null;
  topic: string;
}

const RUNNER_SIGNS: readonly IndicatorCode[] = [
  'out_of_area', 'multiple_phones', 'unexplained_money_goods', 'concerning_associates', 'drugs_involvement', 'fear_intimidation',
  'hotel_or_unknown_address', 'county_lines_slang', 'debt_bondage', 'weapons', 'unexplained_injuries', 'internal_concealment',
  'missing_from_home', 'behaviour_change', 'education_disruption',
];

function someSigns(b: TextBuilder, pool: readonly IndicatorCode[], n: number): string[] {
  const picked: IndicatorCode[] = [];
  for (let i = 0; i < n * 3 && picked.length < n; i++) {
    const c = b.rng.pick(pool);
    if (!picked.includes(c)) picked.push(c);
  }
  return picked.map((c) => b.sign(c));
}

function activeRunner(rng: Rng, line: LineModel, d: number): PersonModel {
  const now = line.runners.filter((r) => r.from <= d && d < r.to);
  return rng.pick(now.length > 0 ? now : line.runners);
}

const importingCache = new WeakMap<World, PlaceModel[]>();
function importingPlaces(world: World): PlaceModel[] {
  let list = importingCache.get(world);
  if (!list) {
    list = world.places.filter((p) => p.record.role === 'importing');
    importingCache.set(world, list);
  }
  return list;
}

/** Now and then the reporter names the wrong town (a neighbouring one, or one they confused). */
function wrongPlace(b: TextBuilder, world: World, line: LineModel, right: PlaceModel): PlaceModel {
  if (!b.rng.chance(0.07)) return right;
  const siblings = line.importing.filter((p) => p !== right);
  const others = siblings.length > 0 && b.rng.chance(0.5) ? siblings : importingPlaces(world).filter((p) => p !== right);
  if (others.length === 0) return right;
  b.distorted.push('place');
  return b.rng.pick(others);
}

function renderLineReport(b: TextBuilder, world: World, line: LineModel, d: number): Rendered {
  const rng = b.rng;
  const topic = rng.choose<string>([
    ['deal_number', 20],
    ['flare', (numberOn(line, d).previous && d - (numberOn(line, d).current?.from ?? -99) < 14) ? 14 : 4],
    ['runner_sighting', 16],
    ['cuckooing', 14],
    ['address', line.addresses.some((a) => a.resident === null) ? 5 : 0],
    ['vehicle', line.vehicles.length > 0 ? 9 : 0],
    ['handle', 6],
    ['school', 5],
  ]);
  const town = (): PlaceModel => rng.pick(line.importing);
  switch (topic) {
    case 'deal_number':
    case 'flare':
      return dealNumber(b, world, line, d, topic);
    case 'cuckooing': {
      const homes = line.addresses.filter((a) => a.resident !== null);
      return cuckooing(b, world, line, rng.pick(homes));
    }
    case 'address':
      return trapAddress(b, line, rng.pick(line.addresses.filter((a) => a.resident === null)));
    case 'vehicle': {
      const v = rng.pick(line.vehicles);
      const place = wrongPlace(b, world, line, town());
      let colour = v.colour;
      if (rng.chance(0.1)) {
        colour = rng.pick(VEHICLE_COLOURS.filter((c) => c !== v.colour));
        b.distorted.push('vehicle_colour');
      }
      b.ind('concerning_associates');
      const V = b.vehicle(v.registration);
      const text = rng.pick<() => string>([
        () => `${opener(rng)}${cap(colour)} ${v.make} ${v.model} ${V} keeps dropping teenagers at ${b.station(place)} late at night.${closer(rng)}`,
        () => `A ${colour} ${v.model}, ${V}, parks on ${streetName(rng)} in ${b.place(place)} every evening, kids get in and out. ${cap(b.p(b.sign('drugs_involvement')))}.`,
        () => `car ${V} (${colour} ${v.make}) hanging round ${b.place(place)} ${timeWord(rng)} with young lads in it, ${b.sign('concerning_associates')}`,
        () => `${opener(rng)}Same ${colour} ${v.make} every night outside the chippy in ${b.place(place)}, reg ${V}. Different kids each time.`,
      ])();
      return { text, line, person: null, topic };
    }
    case 'handle': {
      const h = rng.pick(line.handles);
      const place = town();
      const platform = h.platform === 'snapchat' ? rng.pick(['snap', 'Snapchat', 'snapchat']) : h.platform === 'instagram' ? rng.pick(['insta', 'Instagram']) : h.platform === 'tiktok' ? 'TikTok' : 'Telegram';
      const person = h.person_id ? [line.holder, ...line.olders, ...line.runners].find((p) => p.record.id === h.person_id) ?? null : null;
      if (h.purpose === 'advertising') {
        b.ind('deal_line_activity');
        const cur = numberOn(line, d).current;
        const phone = cur && rng.chance(0.5) ? ` with the number ${b.phone(cur.number)}` : '';
        return { text: `${opener(rng)}The account ${b.handle(h.handle)} on ${platform} posts menus for ${b.place(place)}${phone}. ${rng.chance(0.5) ? `Says it's ${b.line(line.brand)}.` : ''}`, line, person: null, topic };
      }
      if (h.purpose === 'recruitment') {
        b.ind('online_grooming');
        return { text: `${b.handle(h.handle)} on ${platform} keeps messaging kids at the high school in ${b.place(place)} offering easy money for "deliveries".${closer(rng)}`, line, person: null, topic };
      }
      if (person) b.forPerson(person.record.sex);
      return { text: `My ${rng.pick(['son', 'nephew', 'grandson', 'little brother'])} has been talking to ${b.handle(h.handle)} on ${platform}, ${b.sign('online_grooming')}. ${cap(b.sign('unexplained_money_goods'))}.`, line, person, topic };
    }
    case 'school': {
      const r = activeRunner(rng, line, d);
      b.forPerson(r.record.sex);
      const age = ageOn(r, d);
      const year = age < 17 ? `Year ${Math.max(6, age - 5)}` : 'sixth form';
      const place = wrongPlace(b, world, line, r.home === line.exporting ? town() : r.home);
      const signs = someSigns(b, ['concerning_associates', 'unexplained_money_goods', 'multiple_phones', 'behaviour_change'], 2);
      return {
        text: `${opener(rng)}A ${year} ${describePerson(rng, r.record.sex, age)} at a school in ${b.place(place)} ${b.sign('education_disruption')}. ${cap(signs[0] ?? '')}, ${signs[1] ?? ''}.${closer(rng)}`,
        line,
        person: r,
        topic,
      };
    }
    default:
      return runnerSighting(b, world, line, activeRunner(rng, line, d), d);
  }
}

function dealNumber(b: TextBuilder, world: World, line: LineModel, d: number, topic: string): Rendered {
  const rng = b.rng;
  const { current, previous } = numberOn(line, d);
  if (!current) return runnerSighting(b, world, line, activeRunner(rng, line, d), d);
  const place = wrongPlace(b, world, line, rng.pick(line.importing));
  b.ind('deal_line_activity');
  if (topic === 'flare' && previous && d - current.from < 14) {
    b.ind('county_lines_slang');
    const text = rng.pick<() => string>([
      () => `Got a text ${timeWord(rng)} from ${b.phone(current.number)}: "${line.brand} back on new number, delete ${b.phone(previous.number, { allowDistort: false })}, food available all day". Its going round ${b.place(place)}.`,
      () => `"${line.brand} new number ${b.phone(current.number)} save it" came through on my ${rng.pick(['daughter', 'son', 'brother'])}'s phone. The old one was ${b.phone(previous.number, { allowDistort: false })}, that was ${b.line(line.brand)}.`,
      () => `${opener(rng)}${cap(b.line(line.brand))} has changed number from ${b.phone(previous.number, { allowDistort: false })} to ${b.phone(current.number)}, people in ${b.place(place)} are all saying it.`,
    ])();
    return { text, line, person: null, topic: 'number_change' };
  }
  if (topic === 'flare') {
    b.ind('county_lines_slang');
    return {
      text: `Flare text from ${b.phone(current.number)}: "Morning all ${line.brand} open from 9, white and brown, drops all over ${b.place(place)}". ${cap(b.sign('deal_line_activity'))}.`,
      line,
      person: null,
      topic,
    };
  }
  const P = (): string => b.phone(current.number);
  const L = (): string => b.line(line.brand);
  const T = (): string => b.place(place);
  const text = rng.pick<() => string>([
    () => `${opener(rng)}There's a number going round ${T()} - ${P()}. ${rng.chance(0.6) ? `It's ${L()}. ` : ''}${cap(b.sign('deal_line_activity'))}.${closer(rng)}`,
    () => `${cap(L())} number is ${P()}, ${b.sign('deal_line_activity')}. ${T()}`,
    () => `My ${rng.pick(['son', 'daughter', 'nephew', 'niece'])} got a text from ${P()} advertising drugs, says its ${L()}. We live in ${T()}.`,
    () => `People keep ringing ${P()} outside the shop on ${streetName(rng)} in ${T()}, cars pulling up all the time. ${cap(b.sign('drugs_involvement'))}.`,
    () => `Found a card near ${b.station(place)} with ${P()} and "${line.brand}" written on it.`,
    () => `Deal line for ${T()} is ${P()} (${L()}).`,
    () => `${L()} - ${P()} - ${T()} - ${b.sign('drugs_involvement')} ${timeWord(rng)}`,
  ])();
  return { text, line, person: null, topic };
}

function runnerSighting(b: TextBuilder, world: World, line: LineModel, r: PersonModel, d: number): Rendered {
  const rng = b.rng;
  b.forPerson(r.record.sex);
  const age = ageOn(r, d);
  const desc = describePerson(rng, r.record.sex, age);
  const A = guessAge(b, age);
  const place = wrongPlace(b, world, line, r.home === line.exporting ? rng.pick(line.importing) : r.home);
  const signs = someSigns(b, RUNNER_SIGNS, rng.int(2, 3));
  const nick = r.record.nickname && rng.chance(0.5) ? ` Goes by ${rng.pick(['', 'the name ', 'the nickname '])}"${r.record.nickname}".` : '';
  const city = (): string => (rng.chance(0.5) ? ` from ${b.place(line.exporting)}` : '');
  const text = rng.pick<() => string>([
    () => `${opener(rng)}There's a ${desc} ${A} who keeps coming to ${b.place(place)}${city()}. ${cap(signs[0] ?? '')}, ${signs[1] ?? ''}.${nick}${closer(rng)}`,
    () => `${cap(desc)} (${A}) hanging round ${streetName(rng)} in ${b.place(place)} ${timeWord(rng)}, ${signs.join(', ')}.${nick}`,
    () => `I think a ${desc} is being used to sell drugs in ${b.place(place)}. ${signs.map(cap).join('. ')}.${closer(rng)}`,
    () => `${opener(rng)}${cap(desc)}, ${A}, ${signs[0] ?? ''}. Seen in ${b.place(place)} ${timeWord(rng)}.${nick}`,
  ])();
  return { text, line, person: r, topic: 'runner_sighting' };
}

function cuckooing(b: TextBuilder, world: World, line: LineModel, a: AddressModel): Rendered {
  const rng = b.rng;
  const res = a.resident!;
  b.forPerson(res.record.sex);
  b.ind('cuckooing');
  const place = a.place;
  const vuln = res.record.vulnerabilities.includes('substance_misuse')
    ? b.sign('substance_misuse')
    : res.record.vulnerabilities.includes('learning_disability')
      ? b.p('{he} has learning difficulties')
      : b.p(`{he} is ${rng.pick(['elderly', 'disabled', 'not well', 'really vulnerable'])}`);
  const PC = (): string => (a.record.postcode && rng.chance(0.6) ? ` ${b.postcode(a.record.postcode)}` : '');
  const text = rng.pick<() => string>([
    () => `${opener(rng)}My neighbour at ${a.record.line1}, ${b.place(place)}${PC()}, ${vuln}. ${cap(b.sign('cuckooing'))}. ${cap(b.sign('fear_intimidation'))}.${closer(rng)}`,
    () => `${a.record.line1}${PC()} - ${b.sign('cuckooing')}. The ${describePerson(rng, res.record.sex, res.record.age)} who lives there is on ${b.p('{his}')} own, ${vuln}, and ${b.sign('fear_intimidation')}.`,
    () => `Think ${a.record.line1} in ${b.place(place)} has been cuckooed. ${cap(b.sign('cuckooing'))}, ${b.sign('drugs_involvement')}.`,
    () => `${opener(rng)}${cap(b.sign('cuckooing'))} at ${a.record.line1} ${b.place(place)}. ${cap(vuln)}. ${rng.chance(0.4) ? cap(b.sign('financial_exploitation')) + '.' : ''}`,
  ])();
  return { text, line, person: res, topic: 'cuckooing' };
}

function trapAddress(b: TextBuilder, line: LineModel, a: AddressModel): Rendered {
  const rng = b.rng;
  b.ind('hotel_or_unknown_address');
  const PC = (): string => (a.record.postcode && rng.chance(0.6) ? ` ${b.postcode(a.record.postcode)}` : '');
  const text =
    a.record.use === 'trap_house'
      ? rng.pick([
          () => `${a.record.line1}, ${b.place(a.place)}${PC()} is a trap house, kids coming and going all hours. ${cap(b.sign('drugs_involvement'))}.`,
          () => `${opener(rng)}Proper bando at ${a.record.line1}${PC()}, ${b.sign('county_lines_slang')}.`,
        ])()
      : `${opener(rng)}Young teenagers staying at ${a.record.line1} in ${b.place(a.place)} with no adults, ${b.p(b.sign('drugs_involvement'))}.${closer(rng)}`;
  if (a.record.use === 'trap_house') b.ind('county_lines_slang');
  return { text, line, person: null, topic: 'address' };
}

function weekdayOf(world: World, day: number): string {
  return WEEKDAYS[new Date(world.startMs + day * DAY_MS).getUTCDay()]!;
}

function renderEvent(b: TextBuilder, world: World, ev: WorldEvent, d: number): Rendered {
  const rng = b.rng;
  const { line, person } = ev;
  b.forPerson(person.record.sex);
  const age = ageOn(person, d);
  const when = d - ev.day <= 1 ? 'yesterday' : `on ${weekdayOf(world, ev.day)}`;
  if (ev.type === 'journey') {
    const desc = describePerson(rng, person.record.sex, age);
    const A = guessAge(b, age);
    const signs = someSigns(b, ['multiple_phones', 'fear_intimidation', 'concerning_associates', 'out_of_area'], 2);
    b.ind('out_of_area');
    if (ev.record.mode === 'car' && ev.vehicle) {
      const V = b.vehicle(ev.vehicle.registration);
      return { text: `Saw a ${desc} ${A} get out of a ${ev.vehicle.colour} ${ev.vehicle.make} ${V} at ${b.station(ev.place)} ${when} about ${clock(ev.record.arrive)}. ${cap(signs[0] ?? '')}.`, line, person, topic: 'journey' };
    }
    if (ev.record.mode === 'train') {
      return {
        text: `${opener(rng)}On the ${clock(ev.record.depart)} train from ${b.station(line.exporting)} to ${b.station(ev.place)} ${when} there was a ${desc} ${A} on ${b.p('{his}')} own, ${signs.join(', ')}.${closer(rng)}`,
        line,
        person,
        topic: 'journey',
      };
    }
    return { text: `A ${ev.record.mode} from ${b.place(line.exporting)} dropped a ${desc} (${A}) on ${streetName(rng)} in ${b.place(ev.place)} ${when} at ${clock(ev.record.arrive)}. ${cap(signs[0] ?? '')}.`, line, person, topic: 'journey' };
  }
  if (ev.type === 'missing') {
    b.ind('missing_from_home');
    const child = person.record.sex === 'male' ? 'son' : 'daughter';
    const count = person.missingStarts.filter((s) => s > d - 30 && s <= d).length;
    const phone = person.record.phone && rng.chance(0.4) ? ` ${b.p('{He}')} has another phone, the number is ${b.phone(person.record.phone)}.` : '';
    if (phone) b.ind('multiple_phones');
    const carer = person.record.vulnerabilities.includes('in_care');
    const text = carer
      ? `Young person in our care, ${person.record.given_name} (${age}), went missing ${when}, believed to be in ${b.place(ev.place)}. ${cap(b.sign('concerning_associates'))}.${phone}`
      : `My ${child} ${person.record.given_name} went missing again ${when}. ${cap(b.sign('unexplained_money_goods'))}. I think ${b.p('{he}')}'s going to ${b.place(ev.place)}.${count > 1 ? ` That's ${count} times this month.` : ''}${phone}${closer(rng)}`;
    return { text, line, person, topic: 'missing' };
  }
  // Arrest.
  if (ev.record.closes_line) {
    b.ind('deal_line_activity');
    return { text: `Police raided a flat in ${b.place(line.exporting)} ${when}, word is it was the boss of ${b.line(line.brand)}. Hope it stops the dealing in ${b.place(line.importing[0]!)}.`, line, person, topic: 'arrest' };
  }
  b.ind('arrested_out_of_area', 'county_lines_slang');
  const name = person.record.nickname ? `"${person.record.nickname}"` : `a ${describePerson(rng, person.record.sex, age)} called ${person.record.given_name}`;
  return {
    text: `Heard ${name} from ${b.place(line.exporting)} got ${rng.pick(['bagged', 'spun', 'nicked'])} in ${b.place(ev.place)} ${when}. ${cap(b.sign('hotel_or_unknown_address'))}.`,
    line,
    person,
    topic: 'arrest',
  };
}

const SEVERITIES: readonly (readonly [Severity, number])[] = [['low', 30], ['medium', 45], ['high', 25]];
const CHILD_REFERRAL_SIGNS: readonly IndicatorCode[] = [
  'education_disruption', 'unexplained_money_goods', 'multiple_phones', 'concerning_associates', 'behaviour_change', 'fear_intimidation',
  'unexplained_injuries', 'substance_misuse', 'drugs_involvement', 'debt_bondage', 'online_grooming', 'hotel_or_unknown_address',
  'weapons', 'mental_health_self_harm',
];

/** A professional's checker referral in the `lookout screen` input shape, plus who sent it and a summary. */
function referral(rng: Rng, world: World, line: LineModel | null, d: number): Omit<Draft, 'minute'> {
  const b = new TextBuilder(rng);
  const signs: ReferralRecord['signs'] = [];
  const add = (code: IndicatorCode, severity: Severity): void => {
    if (!signs.some((s) => s.code === code)) signs.push({ code, severity });
  };
  let subjectPerson: PersonModel | null = null;
  let missing = 0;
  let topic = 'false_concern';
  if (line && rng.chance(0.78)) {
    subjectPerson = rng.chance(0.8) ? activeRunner(rng, line, d) : rng.pick(line.residents);
  }
  let age: number;
  let vulnerabilities: ReferralRecord['subject']['vulnerabilities'];
  let place: PlaceModel;
  let sex: 'male' | 'female';
  if (subjectPerson && line) {
    const p = subjectPerson;
    age = ageOn(p, d);
    vulnerabilities = [...p.record.vulnerabilities];
    place = p.home;
    sex = p.record.sex;
    if (p.record.role === 'cuckooed_resident') {
      topic = 'cuckooing';
      add('cuckooing', rng.chance(0.6) ? 'high' : 'medium');
      if (rng.chance(0.7)) add('fear_intimidation', rng.choose(SEVERITIES));
      if (rng.chance(0.4)) add('financial_exploitation', rng.choose(SEVERITIES));
      if (p.record.vulnerabilities.includes('substance_misuse')) add('substance_misuse', 'medium');
    } else {
      topic = 'runner';
      missing = p.missingStarts.filter((s) => s > d - 30 && s <= d).length;
      // Three or more missing episodes in 30 days calls for a strategy meeting (DOMAIN.md screening).
      if (missing > 0) add('missing_from_home', missing >= 3 ? 'high' : 'medium');
      if (p.journeys > 0 && rng.chance(0.7)) add('out_of_area', rng.choose(SEVERITIES));
      if (p.arrests > 0 && rng.chance(0.8)) add('arrested_out_of_area', 'high');
      for (let k = rng.int(1, 4); k > 0; k--) add(rng.pick(CHILD_REFERRAL_SIGNS), rng.choose(SEVERITIES));
    }
  } else {
    age = rng.int(11, 17);
    sex = rng.chance(0.6) ? 'male' : 'female';
    vulnerabilities = rng.chance(0.3) ? [rng.pick(['in_care', 'excluded_from_school', 'autism'] as const)] : [];
    place = rng.pick(importingPlaces(world));
    for (let k = rng.int(1, 2); k > 0; k--) add(rng.pick(['behaviour_change', 'education_disruption', 'mental_health_self_harm', 'substance_misuse', 'unexplained_money_goods'] as const), rng.chance(0.6) ? 'low' : 'medium');
    missing = rng.chance(0.2) ? 1 : 0;
    if (missing) add('missing_from_home', 'low');
  }
  const dangerNow = rng.chance(0.02);
  if (dangerNow) add('immediate_danger', 'high');
  for (const s of signs) b.ind(s.code);
  const kind: 'child' | 'adult' = age < 18 ? 'child' : 'adult';
  const referrer: ReferralRecord['referrer'] =
    kind === 'child'
      ? rng.choose<ReferralRecord['referrer']>([['school', 35], ['childrens_social_care', 20], ['health', 10], ['youth_service', 15], ['police', 10], ['parent_or_carer', 10]])
      : rng.choose<ReferralRecord['referrer']>([['housing', 35], ['health', 35], ['police', 30]]);
  b.forPerson(sex);
  // Professionals cannot refer anonymously (DOMAIN.md), so the summary names the subject.
  const given = subjectPerson?.record.given_name ?? rng.pick(['Alex', 'Sam', 'Jordan', 'Charlie', 'Robin']);
  const family = subjectPerson?.record.family_name ?? 'Doe-Fictional';
  const parts = [`${given} ${family}, ${age}, ${b.place(place, false)}.`];
  if (missing > 0) parts.push(`${missing} missing episode${missing > 1 ? 's' : ''} in the last 30 days.`);
  const codes = signs.map((s) => s.code).filter((c) => c !== 'missing_from_home' && c !== 'immediate_danger');
  if (codes.length > 0) parts.push(`Concerns: ${codes.map((c) => c.replace(/_/g, ' ')).join(', ')}.`);
  if (line && subjectPerson && rng.chance(0.25)) {
    parts.push(`Mentions "${line.brand}" when on the phone.`);
    b.mentions.line_name.push(line.brand.toLowerCase());
  }
  if (dangerNow) parts.push('Immediate risk today.');
  return {
    record: {
      kind: 'referral',
      referrer,
      place_id: place.record.id,
      subject: { kind, age, vulnerabilities },
      signs,
      missing_episodes_30d: missing,
      danger_now: dangerNow,
      summary: b.finishClean(parts.join(' ')),
    },
    truth: {
      line_id: subjectPerson && line ? line.record.id : null,
      person_id: subjectPerson?.record.id ?? null,
      topic,
      duplicate_of: null,
      distorted: [],
      mentions: b.mentions,
      indicators: b.indicators,
    },
  };
}

/** A staff note: follow-ups on reports, return home interviews, BTP stops, arrests, intelligence on number changes. */
function note(rng: Rng, world: World, line: LineModel | null, d: number, recentEvents: readonly WorldEvent[], recentLinked: readonly Issued[]): Omit<Draft, 'minute'> & { regarding: string | null } {
  const b = new TextBuilder(rng);
  const make = (author: NoteRecord['author_role'], text: string, l: LineModel | null, person: PersonModel | null, topic: string, regarding: string | null = null) => ({
    regarding,
    record: {
      kind: 'note' as const,
      author_role: author,
      regarding,
      subject: person ? { name: `${person.record.given_name} ${person.record.family_name}`, age: ageOn(person, d) } : null,
      text: b.finishClean(text),
    },
    truth: { line_id: l?.record.id ?? null, person_id: person?.record.id ?? null, topic, duplicate_of: null, distorted: [], mentions: b.mentions, indicators: b.indicators },
  });
  const roll = rng.next();
  if (roll < 0.3 && recentLinked.length > 0) {
    const prior = rng.pick(recentLinked);
    const l = world.lines.find((x) => x.record.id === prior.truth.line_id) ?? null;
    if (l) {
      const cur = numberOn(l, d).current;
      const text = cur
        ? `Re ${prior.id}: number ${b.phone(cur.number, { allowDistort: false, style: 'spaced' })} checked against intelligence, attributed to ${b.line(l.brand)} (${b.place(l.exporting, false)} to ${b.place(l.importing[0]!, false)}). Graded 2/B/P.`
        : `Re ${prior.id}: linked to ${b.line(l.brand)}, line believed closed. No further action.`;
      return make('analyst', text, l, null, 'follow_up', prior.id);
    }
  }
  if (roll < 0.45 && line) {
    const { current, previous } = numberOn(line, d);
    if (current && previous && d - current.from < 21) {
      b.ind('deal_line_activity');
      const text = `Source reports ${b.line(line.brand)} now running on ${b.phone(current.number, { allowDistort: false, style: 'spaced' })}; previous number ${b.phone(previous.number, { allowDistort: false, style: 'spaced' })} dropped around ${isoDate(world.startMs, current.from)}.`;
      return make('analyst', text, line, null, 'number_change');
    }
  }
  const ev = recentEvents.length > 0 ? rng.pick(recentEvents) : null;
  if (ev) {
    const p = ev.person;
    b.forPerson(p.record.sex);
    const age = ageOn(p, d);
    if (ev.type === 'missing') {
      b.ind('missing_from_home');
      const text = `Return home interview with ${p.record.given_name} ${p.record.family_name} (${age}) completed. Says ${b.p('{he}')} was in ${b.place(ev.place, false)}; would not say who with. ${cap(b.sign(rng.pick(['unexplained_money_goods', 'multiple_phones', 'fear_intimidation'] as const)))}.`;
      return make(rng.chance(0.5) ? 'youth_worker' : 'social_worker', text, ev.line, p, 'return_home_interview');
    }
    if (ev.type === 'journey') {
      b.ind('out_of_area');
      const text = `BTP stop at ${b.station(ev.place)}: ${p.record.given_name} ${p.record.family_name}, ${age}, travelling alone from ${b.place(ev.line.exporting, false)}. Two phones, £${rng.int(2, 40) * 10} cash. Details passed to MASH.`;
      if (rng.chance(0.5)) b.ind('multiple_phones', 'unexplained_money_goods');
      return make('btp_officer', text, ev.line, p, 'btp_stop');
    }
    const outcome = ev.record.kind === 'arrest' ? ev.record.outcome.replace(/_/g, ' ') : '';
    if (ev.record.kind === 'arrest' && ev.record.out_of_area) b.ind('arrested_out_of_area');
    const text = `${p.record.given_name} ${p.record.family_name} (${age}) arrested in ${b.place(ev.place, false)} on suspicion of possession with intent to supply; ${outcome}.`;
    return make('police_officer', text, ev.line, p, 'arrest');
  }
  if (line) {
    const a = rng.pick(line.addresses);
    b.ind(a.record.use === 'cuckooed' ? 'cuckooing' : 'hotel_or_unknown_address');
    const pc = a.record.postcode ? ` ${b.postcode(a.record.postcode)}` : '';
    const text = `MACE (contextual): ${a.record.line1}, ${b.place(a.place, false)}${pc} discussed. ${a.record.use === 'cuckooed' ? 'Welfare visit to the resident agreed; housing to attend.' : 'Premises of concern; patrols increased.'}`;
    return make('police_officer', text, line, a.resident, 'mace');
  }
  const place = rng.pick(world.places);
  return make('police_officer', `Community meeting in ${b.place(place, false)}: no county lines concerns raised.`, null, null, 'routine');
}
