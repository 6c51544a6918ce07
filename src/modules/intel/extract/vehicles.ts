/**
 * UK vehicle registrations, normalised upper case without spaces. Formats (DVLA, "Vehicle
 * registration numbers and number plates", INF104): current since 2001 (AB12 CDE, age identifier
 * 02-29 March plates, 51-79 September plates), prefix 1983-2001 (A123 BCD), suffix 1963-1983
 * (ABC 123D) and dateless (1-4 letters and 1-4 digits either way round). The current format is
 * distinctive enough to accept in any case; the older ones collide with road numbers ("M6"),
 * model names and shouting, so they need upper case and, for dateless, a vehicle word nearby.
 * Straight after a registration word ("reg p456 xke", "Reg Ab12 Cde") any case is accepted.
 */
import type { VehicleEntity } from './types.ts';
import { scratchMarks, SLOT } from './scratch.ts';

const SEP = '[ \\t\\u00a0-]?';
const CURRENT = new RegExp(`(?<![\\p{L}\\p{N}])([A-Za-z]{2})${SEP}(\\d{2})${SEP}([A-Za-z]{3})(?![\\p{L}\\p{N}])`, 'gu');
// Any case here; upper case is required below unless a registration word comes right before.
// (Explicit classes, not the "i" flag: with "u" it makes V8 fold Unicode case, several times slower.)
const PREFIX = new RegExp(`(?<![\\p{L}\\p{N}])([A-HJ-NPR-Ya-hj-npr-y])(\\d{1,3})${SEP}([A-Za-z]{3})(?![\\p{L}\\p{N}])`, 'gu');
const SUFFIX = new RegExp(`(?<![\\p{L}\\p{N}])([A-Za-z]{3})${SEP}(\\d{1,3})([A-HJ-NPR-Ya-hj-npr-y])(?![\\p{L}\\p{N}])`, 'gu');
/** A registration word just before a match ("reg", "plate was", "registration:"). */
const REG_BEFORE = /\b(?:reg|regs|registration|plate|plates|number plate|private plate|vrm)\b[^.!?\n]{0,15}$/i;
const DATELESS = /(?<![\p{L}\p{N}])(?:([A-Z]{1,3})[ \t]?(\d{1,4})|(\d{1,4})[ \t]?([A-Z]{1,3}))(?![\p{L}\p{N}])/gu;

const VEHICLE_JUST_BEFORE = /\b(?:vehicles?|cars?|motors?)\s*[:,-]?\s*$/i;
/** A list labelled as plates: "Plates logged at the address over three nights: r482 hjn, ...". */
const REG_LABEL = /\b(?:plates|regs|registrations|reg numbers|vehicles)\b[^.!?\n:]{0,70}:\s*$/i;
/** A make or model just before ("a black BMW, p73bnd", "a gold Nissan, 4821 RT", "an old Jag on 4521 RU"). */
const MAKE_JUST_BEFORE = /\b(?:audi|bmw|merc|mercedes|vw|volkswagen|ford|vauxhall|toyota|nissan|honda|kia|hyundai|peugeot|renault|citroen|fiat|seat|skoda|range rover|land rover|jeep|jaguar|jag|volvo|lexus|porsche|tesla|transit|golf|polo|corsa|astra|fiesta|focus|clio|qashqai|yaris|prius|van|car|motorbike)\s*(?:[:,-]|\s+on)?\s*$/i;
/** "KAY 1 on a white Merc": a plate said to be on a vehicle. */
const ON_VEHICLE_AFTER = /^\s+on\s+(?:a|an|the|his|her|their)\s+(?:[\p{L}]+\s+){0,2}?(?:car|van|motorbike|bike|audi|bmw|merc|mercedes|vw|volkswagen|ford|vauxhall|toyota|nissan|honda|kia|hyundai|peugeot|renault|citroen|fiat|seat|skoda|mini|range rover|land rover|jeep|transit|golf|polo|corsa|astra|fiesta|focus|jaguar|jag|volvo|lexus|porsche|tesla)\b/iu;
const MAKE_AFTER = /^\s*\((?:[\p{L}\s-]{0,16}\s)?(?:audi|bmw|merc|mercedes|vw|volkswagen|ford|vauxhall|toyota|nissan|honda|kia|hyundai|peugeot|renault|citroen|fiat|seat|skoda|mini|range rover|land rover|jeep|jaguar|jag|volvo|lexus|porsche|tesla|rover|triumph|mg|saab)\b/iu;

/** Two-letter words that start "or 14 and", "on 12 may" in prose. */
const SHORT_WORDS = new Set(['OR', 'ON', 'IN', 'AT', 'TO', 'BY', 'IS', 'IT', 'AS', 'AN', 'UP', 'SO', 'NO', 'OF', 'IF', 'MY', 'HE', 'WE', 'US', 'ME', 'AM', 'BE', 'DO', 'GO', 'OK']);

/** "reg starts WR15", "plate began LS70": the start of a plate, not a whole one. */
const PARTIAL_BEFORE = /\b(?:starts?|started|starting|begins?|began|beginning|ends?|ended|ending|partial|part of|first (?:bit|part|half|few))\b(?:\s+(?:with|in))?\s*$/i;

/** Vehicle words that make an upper-case letter-digit group likely to be a plate. */
const VEHICLE_CONTEXT = /\b(?:reg|regs|registration|reg\.? no|plates?|number ?plates?|vrm|car|cars|van|vans|vehicle|motor|taxi|cab|bike|motorbike|moped|scooter|4x4|suv|hatchback|saloon|estate|pickup|audi|bmw|merc|mercedes|vw|volkswagen|ford|vauxhall|toyota|nissan|honda|kia|hyundai|peugeot|renault|citroen|fiat|seat|skoda|mini|range rover|land rover|jeep|transit|golf|polo|corsa|astra|fiesta|focus|clio|qashqai|yaris|prius|jaguar|jag|volvo|lexus|porsche|tesla)\b/i;

/** Three-letter words that turn "A6 AND", "M6 NOW" in shouted text into fake prefix plates. */
const COMMON_WORDS = new Set(
  ('THE AND FOR NOT BUT WAS ARE HIS HER YOU ALL CAN HAD ONE OUR OUT DAY GET HAS HIM HOW MAN NEW NOW OLD SEE TWO ' +
    'WAY WHO BOY DID ITS LET PUT SAY SHE TOO USE BIG CAR VAN BUS TOP END OFF RAN RUN SAW SET TEN YES YET AGO ANY ' +
    'BAD BOX FAR FEW GOT HOT LOT MEN MUM DAD SON OWN RED SIX AGE AIR ASK BED BIT CUT EYE FUN GUY JOB KID LAD MAY ' +
    'NOR ODD OFT PAY SAD SIT TRY WAR WHY WIN WON YOB ROAD LANE').split(' '),
);
/** Registration words: "A3 reg" is a model and a label, not a plate. */
const REG_WORDS = new Set(['REG', 'VRM']);
/** Text-speak that makes a lower-case "yr 10 tbh" prose, not a plate ("P88 LMK" in capitals is one). */
const TEXT_SPEAK = new Set('TBH LOL OMG IDK BTW IMO SMH FYI ASAP RLY NGL IKR WTF LMK TTYL'.split(' '));

/** The sentence holding [start, end): back to the last . ! ? or newline, on to the next. */
function sentenceAround(text: string, start: number, end: number): string {
  const from = Math.max(text.lastIndexOf('.', start), text.lastIndexOf('!', start), text.lastIndexOf('?', start), text.lastIndexOf('\n', start)) + 1;
  const ends = ['.', '!', '?', '\n'].map((c) => text.indexOf(c, end)).filter((i) => i >= 0);
  return text.slice(from, ends.length ? Math.min(...ends) : text.length);
}

function mostlyUpper(text: string): boolean {
  let up = 0;
  let low = 0;
  for (let i = 0; i < text.length && up + low < 400; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) up++;
    else if (c >= 97 && c <= 122) low++;
  }
  return up > 8 && up > low;
}

function hasContext(text: string, start: number, end: number): boolean {
  return VEHICLE_CONTEXT.test(text.slice(Math.max(0, start - 80), Math.min(text.length, end + 80)));
}

function regBefore(text: string, start: number): boolean {
  return REG_BEFORE.test(text.slice(Math.max(0, start - 30), start)) || REG_LABEL.test(text.slice(Math.max(0, start - 90), start));
}

/** A registration word, or the vehicle's make or model, just before: any case will do then. */
function introduced(text: string, start: number): boolean {
  return regBefore(text, start) || MAKE_JUST_BEFORE.test(text.slice(Math.max(0, start - 16), start));
}

function ageOk(age: string): boolean {
  const n = Number(age);
  return (n >= 2 && n <= 29) || (n >= 51 && n <= 79);
}

export function findVehicles(text: string): VehicleEntity[] {
  const out: VehicleEntity[] = [];
  const taken = scratchMarks(SLOT.vehicles, text.length + 1);
  const push = (start: number, end: number, value: string): void => {
    for (let i = start; i < end; i++) if (taken[i] === 1) return;
    taken.fill(1, start, end);
    out.push({ type: 'vehicle', value, start, end });
  };
  const shouting = mostlyUpper(text);

  CURRENT.lastIndex = 0;
  for (let m = CURRENT.exec(text); m !== null; m = CURRENT.exec(text)) {
    const [, a = '', d = '', b = ''] = m;
    if (!ageOk(d)) continue;
    const letters = (a + b).toUpperCase();
    // I, Q and Z are not used in current-style memory tags and random letters (DVLA INF104).
    if (/[IQZ]/.test(a.toUpperCase()) || /[IQ]/.test(b.toUpperCase())) continue;
    const lower = m[0] !== m[0].toUpperCase();
    // "Th12 Abc" mixed case is prose, not a plate, unless a registration word introduces it.
    if (lower && m[0] !== m[0].toLowerCase() && !regBefore(text, m.index)) continue;
    if (lower && !hasContext(text, m.index, m.index + m[0].length) && (COMMON_WORDS.has(b.toUpperCase()) || TEXT_SPEAK.has(b.toUpperCase()))) continue;
    // "13 or 14 and": lower-case words around a number, not a plate, unless "reg" introduces it.
    if (lower && /\s/.test(m[0]) && !regBefore(text, m.index) && (SHORT_WORDS.has(a.toUpperCase()) || COMMON_WORDS.has(b.toUpperCase()))) continue;
    push(m.index, m.index + m[0].length, `${letters.slice(0, 2)}${d}${letters.slice(2)}`);
  }

  PREFIX.lastIndex = 0;
  for (let m = PREFIX.exec(text); m !== null; m = PREFIX.exec(text)) {
    const l = (m[1] ?? '').toUpperCase();
    const d = m[2] ?? '';
    const b = (m[3] ?? '').toUpperCase();
    if (d.startsWith('0') || COMMON_WORDS.has(b) || REG_WORDS.has(b)) continue; // "Audi A3 reg MA19 KTV"
    if (m[0] !== m[0].toUpperCase() ? !introduced(text, m.index) : shouting && !hasContext(text, m.index, m.index + m[0].length)) continue;
    push(m.index, m.index + m[0].length, `${l}${d}${b}`);
  }

  SUFFIX.lastIndex = 0;
  for (let m = SUFFIX.exec(text); m !== null; m = SUFFIX.exec(text)) {
    const a = (m[1] ?? '').toUpperCase();
    const d = m[2] ?? '';
    const l = (m[3] ?? '').toUpperCase();
    if (d.startsWith('0') || COMMON_WORDS.has(a)) continue;
    if (m[0] !== m[0].toUpperCase() ? !introduced(text, m.index) : shouting && !hasContext(text, m.index, m.index + m[0].length)) continue;
    push(m.index, m.index + m[0].length, `${a}${d}${l}`);
  }

  DATELESS.lastIndex = 0;
  for (let m = DATELESS.exec(text); m !== null; m = DATELESS.exec(text)) {
    const letters = m[1] ?? m[4] ?? '';
    const digits = m[2] ?? m[3] ?? '';
    if (digits.startsWith('0') || COMMON_WORDS.has(letters)) continue;
    if (letters.length + digits.length < 3) continue; // "A1", "M6": roads
    if (!/[ \t]/.test(m[0]) && /^[AMB]$/.test(letters)) continue; // A580, M62, B6245: roads
    // Dateless plates are rare; only with a registration word right before them, and not when
    // that says only the first part was seen ("reg starts WR15").
    // "vehicles TMB 907 (classic Jaguar)": three letters and digits named as a vehicle, or with its
    // make in brackets straight after, count too.
    const named =
      (letters.length === 3 &&
        digits.length <= 3 &&
        (VEHICLE_JUST_BEFORE.test(text.slice(Math.max(0, m.index - 12), m.index)) || MAKE_AFTER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 30)))) ||
      (/[ \t]/.test(m[0]) && MAKE_JUST_BEFORE.test(text.slice(Math.max(0, m.index - 16), m.index))) ||
      (/[ \t]/.test(m[0]) && ON_VEHICLE_AFTER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 40)));
    // Northern Ireland plates (DVA): three letters, the last two a county code holding I or Z
    // ("LFZ 4921", "AIJ 123"), then 1-4 digits, beside a vehicle word in the same sentence.
    const northernIrish = letters.length === 3 && m[1] !== undefined && /[IZ]/.test(letters.slice(1)) && /[ \t]/.test(m[0]) && VEHICLE_CONTEXT.test(sentenceAround(text, m.index, m.index + m[0].length));
    // The last of a list of plates: "LR63 BHX, F914 ODN, UKX 78R and 6868 FB".
    const sep = /(?:,[ \t]*|[ \t]+and[ \t]+|,[ \t]*and[ \t]+)$/.exec(text.slice(Math.max(0, m.index - 8), m.index));
    const listed = sep !== null && taken[m.index - sep[0].length - 1] === 1;
    if (!(regBefore(text, m.index) || named || northernIrish || listed) || PARTIAL_BEFORE.test(text.slice(Math.max(0, m.index - 20), m.index))) continue;
    push(m.index, m.index + m[0].length, m[0].replace(/[ \t]/g, ''));
  }

  return out.sort((x, y) => x.start - y.start);
}
