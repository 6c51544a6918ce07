/**
 * Phone numbers for the synthetic world: only Ofcom's ranges reserved for drama (DOMAIN.md
 * "Synthetic data rules"), so no real subscriber can ever appear in demo data or tests.
 *
 * Limitation: there are only 1,000 drama mobiles (07700 900000-900999). The allocator gives each
 * deal-line period a number nobody else holds at that time and, where it can, one that has been
 * idle for a cooling-off period, so a number is not passed straight from one line to another.
 * A national world with more than ~1,000 lines (or line periods) live at once cannot avoid
 * sharing: then the number idle longest is reused and the overlap is counted in `AllocationStats`.
 * Personal phones are only handed out from numbers that are free for the whole span, never shared.
 */
import type { Rng } from './rng.ts';

export const DRAMA_MOBILE_COUNT = 1000;

/** E.164 for drama mobile n (0..999): +44 7700 900nnn. */
export function dramaMobile(n: number): string {
  return `+447700900${String(n).padStart(3, '0')}`;
}

/** Drama landline ranges (each 0000-0999 or 960000-960999). `national` is the number without the 0. */
interface LandlineRange {
  area: string;
  /** The digits after the area code, before the last three. */
  local: string;
}

/** Ofcom drama landlines by area code (DOMAIN.md). 01632 is a fictional area used for towns without one. */
export const LANDLINE_RANGES: Record<string, LandlineRange> = {
  '0113': { area: '0113', local: '4960' },
  '0114': { area: '0114', local: '4960' },
  '0115': { area: '0115', local: '4960' },
  '0116': { area: '0116', local: '4960' },
  '0117': { area: '0117', local: '4960' },
  '0118': { area: '0118', local: '4960' },
  '0121': { area: '0121', local: '4960' },
  '0131': { area: '0131', local: '4960' },
  '0141': { area: '0141', local: '4960' },
  '0151': { area: '0151', local: '4960' },
  '0161': { area: '0161', local: '4960' },
  '020': { area: '020', local: '79460' },
  '01632': { area: '01632', local: '960' },
};

/** A drama landline (E.164) in the given area code; unknown codes fall back to 01632. */
export function dramaLandline(areaCode: string, n: number): string {
  const range = LANDLINE_RANGES[areaCode] ?? LANDLINE_RANGES['01632']!;
  return `+44${range.area.slice(1)}${range.local}${String(n % 1000).padStart(3, '0')}`;
}

const DRAMA_PATTERNS: readonly RegExp[] = [
  /^\+447700900\d{3}$/,
  /^\+44(113|114|115|116|117|118|121|131|141|151|161)4960\d{3}$/,
  /^\+442079460\d{3}$/,
  /^\+441632960\d{3}$/,
];

/** True when an E.164 number is inside an Ofcom drama range. */
export function isDramaNumber(e164: string): boolean {
  return DRAMA_PATTERNS.some((p) => p.test(e164));
}

/**
 * Finds every complete UK-shaped number in free text ("07700 900 123", "+44 (0)7700-900123",
 * "0161 496 0123") and returns them as E.164. Used by tests to prove that no generated text
 * carries a number outside the drama ranges.
 */
export function findUkNumbers(text: string): string[] {
  const out: string[] = [];
  const re = /(?:\+44[\s\-.]?(?:\(0\)[\s\-.]?)?|\(?0)\d(?:[\s\-.()]{0,2}\d){9}/g;
  for (const m of text.matchAll(re)) {
    let digits = m[0].replace(/\(0\)/, '').replace(/\D/g, '');
    if (digits.startsWith('44')) digits = digits.slice(2);
    else digits = digits.slice(1);
    out.push(`+44${digits}`);
  }
  return out;
}

/** Ways people write a mobile number. All keep the full 11 digits. */
export const MOBILE_STYLES = [
  'spaced', // 07700 900123
  'triple', // 07700 900 123
  'intl', // +44 7700 900123
  'dashed', // 07700-900-123
  'compact', // 07700900123
  'e164', // +447700900123
  'fours', // 0770 090 0123
  'brackets', // (07700) 900123
  'intl0', // +44 (0)7700 900123
] as const;
export type MobileStyle = (typeof MOBILE_STYLES)[number];

/** Formats an E.164 UK mobile the way a member of the public might type it. */
export function formatMobile(e164: string, style: MobileStyle): string {
  const n = e164.slice(3); // 7700900123
  const national = `0${n}`; // 07700900123
  switch (style) {
    case 'spaced':
      return `${national.slice(0, 5)} ${national.slice(5)}`;
    case 'triple':
      return `${national.slice(0, 5)} ${national.slice(5, 8)} ${national.slice(8)}`;
    case 'intl':
      return `+44 ${n.slice(0, 4)} ${n.slice(4)}`;
    case 'dashed':
      return `${national.slice(0, 5)}-${national.slice(5, 8)}-${national.slice(8)}`;
    case 'compact':
      return national;
    case 'e164':
      return e164;
    case 'fours':
      return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
    case 'brackets':
      return `(${national.slice(0, 5)}) ${national.slice(5)}`;
    case 'intl0':
      return `+44 (0)${n.slice(0, 4)} ${n.slice(4)}`;
  }
}

/** Formats a drama landline as written in the UK ("0161 496 0123", "020 7946 0123", "01632 960123"). */
export function formatLandline(e164: string): string {
  const national = `0${e164.slice(3)}`;
  if (national.startsWith('020')) return `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
  if (national.startsWith('01632')) return `${national.slice(0, 5)} ${national.slice(5)}`;
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}

/** A request for a number over [from, to) in simulated days. */
export interface NumberRequest {
  from: number;
  to: number;
  /** Deal lines must get a number; personal phones only get one if it is free. */
  kind: 'line' | 'personal';
  /** Who asks (a line index): a line is never handed back the number it has just dropped. */
  owner: number;
}

export interface AllocationStats {
  /** Deal-line periods that had to share a number with another holder (only when > 1,000 are live). */
  sharedLinePeriods: number;
  /** Personal phones left unassigned because every drama mobile was busy. */
  personalUnassigned: number;
}

/** Days a released number rests before reissue, so analysts do not see it jump straight between lines. */
const COOLING_OFF_DAYS = 60;

/**
 * Assigns drama mobiles to requests, returning the number index (0..999) per request or -1 for a
 * personal phone that could not be given one. Requests are served in start order; a number is
 * busy until its holder's period ends.
 */
export function allocateMobiles(requests: readonly NumberRequest[], rng: Rng): { assigned: number[]; stats: AllocationStats } {
  const order = requests.map((_, i) => i);
  // Every deal-line period first (in start order), then personal phones fill what is left, so a
  // personal phone never pushes two lines onto one number.
  order.sort((x, y) => {
    const a = requests[x]!;
    const b = requests[y]!;
    return (a.kind === b.kind ? 0 : a.kind === 'line' ? -1 : 1) || a.from - b.from || x - y;
  });
  const busyUntil = new Array<number>(DRAMA_MOBILE_COUNT).fill(Number.NEGATIVE_INFINITY);
  const lastOwner = new Array<number>(DRAMA_MOBILE_COUNT).fill(-1);
  const assigned = new Array<number>(requests.length).fill(-1);
  const stats: AllocationStats = { sharedLinePeriods: 0, personalUnassigned: 0 };
  for (const i of order) {
    const req = requests[i]!;
    const startAt = rng.int(0, DRAMA_MOBILE_COUNT - 1);
    let rested = -1;
    let free = -1;
    let oldest = 0;
    for (let k = 0; k < DRAMA_MOBILE_COUNT; k++) {
      const n = (startAt + k) % DRAMA_MOBILE_COUNT;
      const until = busyUntil[n]!;
      if (until + COOLING_OFF_DAYS <= req.from) {
        rested = n;
        break;
      }
      if (free < 0 && until <= req.from && lastOwner[n] !== req.owner) free = n;
      if (until < busyUntil[oldest]!) oldest = n;
    }
    let chosen = rested >= 0 ? rested : free;
    if (chosen < 0) {
      if (req.kind === 'personal') {
        stats.personalUnassigned++;
        continue;
      }
      stats.sharedLinePeriods++;
      chosen = oldest;
    }
    busyUntil[chosen] = Math.max(busyUntil[chosen]!, req.to);
    lastOwner[chosen] = req.owner;
    assigned[i] = chosen;
  }
  return { assigned, stats };
}
