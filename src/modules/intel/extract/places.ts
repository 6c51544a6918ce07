/**
 * Places: canonical gazetteer names (content/gazetteer/places.json) found in text. Matching is on
 * word tokens, longest name first, case-insensitive but with rules where case carries meaning:
 *  - names that are everyday words ("Reading", "Bath", "Sale", "Bury") count only after a
 *    locative word ("in Bath", "from Reading") or before "station"/"town centre";
 *  - surname-like names ("Preston", "Nelson") do not count after a title ("Mr Preston");
 *  - a name followed by a street word ("Preston Road") or a football-club word ("Preston North
 *    End", "Manchester United") is an address or a team, not the place;
 *  - a name straight after a person word ("my nephew Preston", "our Chelsea"), or not located and
 *    followed by a speech verb ("Kendal said"), is a person; so is a surname-like name after a
 *    capitalised forename mid-sentence ("Jack Preston", not "North Shields");
 *  - an everyday-word name, capitalised, before a group noun ("Stoke lads") is the place;
 *  - stations ("Manchester Piccadilly", "Lime Street") give the town they serve.
 */
import type { PlaceEntity } from './types.ts';

export interface GazetteerPlace {
  readonly name: string;
  readonly kind: 'city' | 'town' | 'station';
  readonly county: string;
  readonly region: string;
  readonly lat: number;
  readonly lon: number;
  readonly aliases?: readonly string[] | undefined;
  /** For stations: the canonical town or city the station serves. */
  readonly serves?: string | undefined;
}

export interface PlaceRules {
  /** Names or aliases that are also everyday words or given names: need a locative context. */
  readonly strict: readonly string[];
  /** Surname-like names: not after a title. */
  readonly surnames: readonly string[];
  /** Words before a name that make it a location ("in", "to", "from"...). */
  readonly locatives: readonly string[];
  /** Words after a name that make it a location ("station", "town"...). */
  readonly place_nouns: readonly string[];
  /** Words after a name that make it a street ("Road", "Lane"...). */
  readonly street_words: readonly string[];
  /** Words after a name that make it a sports club ("United", "Rovers"...). */
  readonly team_words: readonly string[];
  /** Titles before a surname ("Mr", "Dr"...). */
  readonly titles: readonly string[];
  /** Words before a name that make it a person ("nephew", "our"...). */
  readonly person_before?: readonly string[] | undefined;
  /** Words after an unlocated name that make it a person ("said", "told"...). */
  readonly speech_after?: readonly string[] | undefined;
  /** Capitalised words before a surname-like name that still allow the place ("North", "St"...). */
  readonly name_qualifiers?: readonly string[] | undefined;
  /** Words after a capitalised everyday-word name that make it a place ("lads", "gang"...). */
  readonly group_after?: readonly string[] | undefined;
}

interface Name {
  readonly tokens: readonly string[];
  /** Which tokens must be capitalised when the text has ordinary casing. */
  readonly caps: readonly boolean[];
  readonly value: string;
  readonly strict: boolean;
  readonly surname: boolean;
}

/** Words joining places in a list ("Kilmarnock and Ayr", "Kilmarnock n Ayr"). */
const LIST_WORDS = new Set(['and', 'n', 'or', 'to', 'then', 'via', 'into']);

/** A token of the text; its lower-case form and raw text are made only when asked for. */
class Tok {
  private lower: string | undefined;
  constructor(
    private readonly text: string,
    readonly s: number,
    readonly e: number,
  ) {}
  get raw(): string {
    return this.text.slice(this.s, this.e);
  }
  get t(): string {
    return (this.lower ??= this.raw.replace(/’/g, "'").toLowerCase());
  }
}

export interface PlaceMatcher {
  find(text: string): PlaceEntity[];
}

export const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** Latin-1 code units: 2 a letter, 1 a digit (or other \p{N}), 0 neither. */
const LATIN1_CLASS = Uint8Array.from({ length: 256 }, (_, c) => {
  const ch = String.fromCharCode(c);
  return LETTER.test(ch) ? 2 : LETTER_OR_DIGIT.test(ch) ? 1 : 0;
});

/**
 * TOKEN's matches as [start, end) pairs, without a match object or string per token. Works on
 * code units, so a text with a surrogate pair (an astral letter could join a token) goes through
 * TOKEN itself.
 */
export function tokenSpans(text: string, starts: number[], ends: number[]): void {
  const cls = (i: number): number => {
    const c = text.charCodeAt(i);
    if (c < 256) return LATIN1_CLASS[c]!;
    const ch = text[i]!;
    return LETTER.test(ch) ? 2 : LETTER_OR_DIGIT.test(ch) ? 1 : 0;
  };
  if (/[\ud800-\udfff]/.test(text)) {
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
      starts.push(m.index);
      ends.push(m.index + m[0].length);
    }
    return;
  }
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (cls(i) === 0) {
      i++;
      continue;
    }
    const from = i;
    while (i < n && cls(i) !== 0) i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if ((c === 39 || c === 0x2019) && i + 1 < n && cls(i + 1) === 2) {
        i += 2;
        while (i < n && cls(i) === 2) i++;
      } else break;
    }
    starts.push(from);
    ends.push(i);
  }
}

function splitName(name: string): string[] {
  return name
    .replace(/[’]/g, "'")
    .split(/[\s\-/]+/)
    .map((t) => t.replace(/\.$/, ''))
    .filter(Boolean);
}

/** Builds a matcher from gazetteer entries and the rules in content/extract/places.yaml. */
/** A postcode right after a name: "Barrow LA14 2XX", "Morecambe, LA4 6XX". */
const TITLE_OF = /^(?:duke|duchess|earl|countess|prince|princess|marquess|marquis|baron|baroness|viscount|bishop|archbishop|dean|mayor)$/;
const POSTCODE_AFTER = /^,?[ \t]+[A-Za-z]{1,2}\d[A-Za-z\d]?[ \t]*\d[A-Za-z]{2}(?![A-Za-z\d])/;
/** Words after "the <name>" that leave the name a noun on its own (a bank, a pub): "into the Halifax together". */
const THE_NAME_AFTER = /^(?:together|and|or|to|in|on|for|with|today|yesterday|branch|bank|app|account|building)$/;
/** Words after a name that make it a person: "Preston, our eldest", "Nelson from number 8". */
const PERSON_AFTER = /^(?:,[ \t]+(?:our|my|his|her|their)[ \t]+(?:eldest|youngest|oldest|middle one|son|daughter|boy|girl|lad|brother|sister|nephew|niece|grandson|granddaughter|little one)\b|[ \t]+from[ \t]+(?:number|no\.?[ \t]*\d|next door|down the (?:road|street)|across the (?:road|street)|over the road|upstairs|downstairs|the (?:flats?|house|shop|club|gym)|work|school|football)\b)/i;

export function createPlaceMatcher(places: readonly GazetteerPlace[], rules: PlaceRules): PlaceMatcher {
  const lower = (xs: readonly string[]): Set<string> => new Set(xs.map((x) => x.toLowerCase()));
  const strict = lower(rules.strict);
  const surnames = lower(rules.surnames);
  const locatives = lower(rules.locatives);
  const placeNouns = lower(rules.place_nouns);
  const streetWords = lower(rules.street_words);
  const teamWords = lower(rules.team_words);
  const titles = lower(rules.titles);
  const personBefore = lower(rules.person_before ?? []);
  const speechAfter = lower(rules.speech_after ?? []);
  const qualifiers = lower(rules.name_qualifiers ?? []);
  const groupAfter = lower(rules.group_after ?? []);

  const byFirst = new Map<string, Name[]>();
  const seen = new Set<string>();
  const add = (surface: string, value: string): void => {
    const tokens = splitName(surface);
    if (tokens.length === 0) return;
    const key = tokens.join(' ').toLowerCase();
    if (seen.has(key)) return; // first entry wins: cities and towns are listed before stations
    seen.add(key);
    const first = tokens[0]!.toLowerCase();
    const list = byFirst.get(first) ?? [];
    list.push({
      tokens: tokens.map((t) => t.toLowerCase()),
      caps: tokens.map((t) => /^\p{Lu}/u.test(t)),
      value,
      strict: strict.has(key),
      surname: surnames.has(key),
    });
    list.sort((a, b) => b.tokens.length - a.tokens.length);
    byFirst.set(first, list);
  };
  // Names with a parenthesised qualifier ("Newport (Isle of Wight)") are matched on the name only
  // after the main entry of the same name, so "Newport" stays the Welsh city.
  const qualified = (p: GazetteerPlace): number => (/\(.*\)$/.test(p.name) ? 1 : 0);
  for (const p of [...places].sort((a, b) => qualified(a) - qualified(b))) {
    const value = p.kind === 'station' && p.serves ? p.serves : p.name;
    const base = p.name.replace(/\s*\(.*\)$/, '');
    add(base, value);
    for (const a of p.aliases ?? []) add(a, value);
  }

  // A hash of every name's first word, lower case, made from the text's code units without
  // building a string: a word whose hash (or, for "Preston's", its hash without "'s") is not among
  // them cannot begin a name, so most words never need a lower-case copy or a Map look-up.
  const wordHash = (text: string, s: number, e: number): number => {
    let h = 7;
    for (let i = s; i < e; i++) {
      let c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32;
      else if (c === 0x2019) c = 39;
      else if (c >= 128) return -1; // not ASCII: no shortcut
      h = (Math.imul(h, 31) + c) | 0;
    }
    return h;
  };
  const firstHashes = new Set<number>();
  for (const first of byFirst.keys()) firstHashes.add(wordHash(first, 0, first.length));
  const mayStart = (text: string, s: number, e: number): boolean => {
    const h = wordHash(text, s, e);
    if (h === -1 || firstHashes.has(h)) return true;
    const c = text.charCodeAt(e - 2);
    return e - s > 2 && (c === 39 || c === 0x2019) && (text.charCodeAt(e - 1) | 32) === 115 && firstHashes.has(wordHash(text, s, e - 2));
  };

  return {
    find(text: string): PlaceEntity[] {
      const starts: number[] = [];
      const ends: number[] = [];
      tokenSpans(text, starts, ends);
      // Tokens are made on demand: most words never need their text (see mayStart).
      const toks: Tok[] = new Array<Tok>(starts.length);
      for (let k = 0; k < starts.length; k++) toks[k] = new Tok(text, starts[k]!, ends[k]!);
      // All lower case or shouting: capital letters tell us nothing. Counted only once a word
      // could begin a name (most reports have a few such words, many have none).
      let caselessMemo: boolean | undefined;
      const isCaseless = (): boolean => {
        if (caselessMemo !== undefined) return caselessMemo;
        let upper = 0;
        let low = 0;
        for (let i = 0; i < text.length; i++) {
          const c = text.charCodeAt(i);
          if (c >= 65 && c <= 90) upper++;
          else if (c >= 97 && c <= 122) low++;
        }
        return (caselessMemo = upper === 0 || upper > low);
      };

      const out: PlaceEntity[] = [];
      for (let i = 0; i < toks.length; i++) {
        const first = toks[i]!;
        if (!mayStart(text, first.s, first.e)) continue;
        let cands = byFirst.get(first.t);
        let possessive = false;
        if (!cands && first.t.endsWith("'s")) {
          cands = byFirst.get(first.t.slice(0, -2));
          possessive = true;
        }
        if (!cands) continue;
        for (const name of cands) {
          const n = name.tokens.length;
          if (i + n > toks.length) continue;
          if (possessive && n > 1) continue;
          let ok = true;
          let endTrim = 0;
          for (let k = 0; k < n && ok; k++) {
            const tk = toks[i + k]!;
            const want = name.tokens[k]!;
            if (tk.t !== want) {
              if (k === n - 1 && tk.t === `${want}'s`) endTrim = 2;
              else ok = false;
            }
            if (ok && k > 0) {
              const gap = text.slice(toks[i + k - 1]!.e, tk.s);
              if (!/^\.?[ \t-]{1,2}$|^\.$/.test(gap)) ok = false;
            }
          }
          if (!ok) continue;
          const last = toks[i + n - 1]!;
          const start = first.s;
          const end = last.e - endTrim;
          const prev = i > 0 ? toks[i - 1] : undefined;
          const next = toks[i + n];
          const prevGap = prev ? text.slice(prev.e, start) : '';
          const nextGap = next ? text.slice(end + endTrim, next.s) : '';
          const prevWord = prev && /^[ \t]{1,2}$/.test(prevGap) ? prev.t : '';
          const nextWord = next && /^[ \t]{1,2}$/.test(nextGap) ? next.t : '';
          // Part of a handle, an email address or a domain name ("@preston_lad", "preston.gov.uk").
          if (/[@._]/.test(text.charAt(start - 1)) || /^(?:\.[\p{L}]|_|@)/u.test(text.slice(end + endTrim, end + endTrim + 2))) continue;
          const caseless = isCaseless();
          const capsOk = caseless || name.caps.every((c, k) => !c || /^\p{Lu}/u.test(toks[i + k]!.raw));
          const after = text.slice(end + endTrim, end + endTrim + 60);
          // An address: "Bell St, Barrow LA14 2XX" (a postcode straight after, or a street before).
          const addressed = POSTCODE_AFTER.test(after) || (/^,\s*$/.test(prevGap) && prev !== undefined && streetWords.has(prev.t));
          // One of a pair or list of places: "Kilmarnock n Ayr", "Derby-Skegness", "Hull, Goole and Selby".
          const lastOut = out[out.length - 1];
          const listed =
            lastOut !== undefined &&
            prev !== undefined &&
            ((LIST_WORDS.has(prevWord) && i >= 2 && toks[i - 2]!.e === lastOut.end) || (prev.e === lastOut.end && /^\s*[-–,/&]\s*$/.test(prevGap)));
          const paired =
            (next !== undefined && /^[-–/]$/.test(nextGap) && byFirst.has(next.t)) || // "a Derby-Skegness return"
            (nextWord === 'to' && toks[i + n + 1] !== undefined && byFirst.has(toks[i + n + 1]!.t) && /^\p{Lu}/u.test(toks[i + n + 1]!.raw)); // "the Carlisle to Glasgow train"
          // A header naming where the writer is: "Taxi controller, Stoke: we've had ...".
          const header = start < 60 && /^,[ \t]*$/.test(prevGap) && text.charAt(end + endTrim) === ':' && !/[.!?]/.test(text.slice(0, start));
          const located = locatives.has(prevWord) || placeNouns.has(nextWord) || addressed || listed || paired || header;
          if (personBefore.has(prevWord)) continue;
          // Titles: "the Duke of Edinburgh (award)", "the Earl of Derby".
          if (prevWord === 'of' && i >= 2 && TITLE_OF.test(toks[i - 2]!.t)) continue;
          // People: "Preston, our eldest", "Nelson from number 8"; a bank: "into the Halifax".
          if (PERSON_AFTER.test(after)) continue;
          // "the Halifax" as a noun on its own is the bank; "the London train", "the Blackburn lads" are places.
          if (prevWord === 'the' && name.surname && !addressed && !paired && (nextWord === '' || THE_NAME_AFTER.test(nextWord))) continue;
          if (!locatives.has(prevWord) && speechAfter.has(nextWord)) continue;
          if (name.strict) {
            // "Deal line" is a deal line (DOMAIN.md), not a line out of Deal in Kent.
            const dealLine = first.t === 'deal' && /^lines?$/.test(nextWord);
            const grouped = groupAfter.has(nextWord) && capsOk && !caseless && !dealLine;
            if (!located && !grouped) continue;
            if (!capsOk && !caseless) continue;
          }
          if (streetWords.has(nextWord) && !placeNouns.has(nextWord)) continue;
          if (teamWords.has(nextWord)) {
            const after = toks[i + n + 1]?.t ?? '';
            if (!(nextWord === 'city' && /^(?:cent(?:re|er)|council|limits|area)$/.test(after))) continue;
          }
          if (name.surname && titles.has(prevWord)) continue;
          // "Jack Preston": a capitalised word mid-sentence right before a surname-like name.
          if ((name.surname || name.strict) && !caseless && prev && prevWord && /^\p{Lu}\p{Ll}/u.test(prev.raw) && !qualifiers.has(prevWord) && !byFirst.has(prevWord)) {
            const beforePrev = text.slice(Math.max(0, prev.s - 3), prev.s);
            if (prev.s > 0 && !/(?:[.!?\n:;"(]\s*)$/.test(beforePrev) && !/^\s*$/.test(text.slice(0, prev.s))) continue;
          }
          out.push({ type: 'place', value: name.value, start, end });
          i += n - 1;
          break;
        }
      }
      return out;
    },
  };
}
