/**
 * Deal-line brands ("the Kash line" -> "kash"). County lines are branded with a name that
 * outlives each phone number (DOMAIN.md "The crime model"; NCA county lines threat assessments),
 * so the brand is what analysts link on. "Line" is also a bus, tube or railway line, a queue, a
 * phone line and a dozen idioms, so a brand needs one of:
 *  - an explicit dealing pattern: "X deal line", "X trap line", "line called X", "known as the X line";
 *  - "the X line" / "X line" with X capitalised or quoted and not a known non-brand word;
 *  - lower-case "the x line" with dealing words elsewhere in the report.
 * Word lists live in content/extract/lines.yaml.
 */
import type { LineNameEntity } from './types.ts';
import { scratchMarks, SLOT } from './scratch.ts';

export interface LineRules {
  /** Words that precede "line" and are not brands (tube lines, "phone", "front", "bus"...). */
  readonly not_brands: readonly string[];
  /** Words that follow "line" and make it something else ("manager", "dancing"...). */
  readonly not_after: readonly string[];
  /** Words that show the report is about dealing (regular-expression alternatives). */
  readonly dealing_context: readonly string[];
}

export interface LineMatcher {
  /** `isPlaceName` rejects railway lines named after towns ("the Ormskirk line"). */
  find(text: string, isPlaceName: (word: string) => boolean): LineNameEntity[];
}

const W = "[\\p{L}\\p{N}][\\p{L}\\p{N}'’\\-]{0,24}";
const Q = `["“'‘]`;
const QE = `["”'’]`;
// Explicit: "Kash deal line", "the kash trap line".
const EXPLICIT_BEFORE = new RegExp(`(?<![\\p{L}\\p{N}])(${W})${QE}?\\s+(?:deal(?:ing)?|drug|drugs|trap|food|graft)\\s+line(?![\\p{L}\\p{N}])`, 'giu');
// Explicit: "line called Kash", "number known as the Kash line", "line goes by "Kash"".
// Up to four words may come between ("a line into Bangor known as 'Nando'", "two lines now, one
// called Sparks"); then the name must be quoted or capitalised (checked in find). Group 1 the gap.
const EXPLICIT_AFTER = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:line|number|phone|burner)s?((?:,?\\s+[\\p{L}\\p{N}'’-]+){0,4}?)\\s+(?:is\\s+|was\\s+|that's\\s+|thats\\s+)?(?:called|named|known\\s+as|goes\\s+by|branded(?:\\s+as)?|brand\\s+is|name\\s+is|(?:now\\s+)?trading\\s+as|rebranded(?:\\s+as)?|renamed(?:\\s+as)?|(?:they|people|everyone|we|u|you|ppl)\\s+call(?:\\s+it)?|sign(?:s|ing|ed)\\s+(?:itself|off\\s+as|as)|calls\\s+itself|as(?=\\s+${Q}))\\s+(?:the\\s+)?${Q}?(${W})${QE}?(?:\\s+line)?(?![\\p{L}\\p{N}])`,
  'giu',
);
// After a named line, the second of two: "one called Sparks and the other T-Bone".
const AND_OTHER = new RegExp(`^,?\\s+(?:and|&)\\s+(?:the\\s+other|another)(?:\\s+one)?\\s+(?:is\\s+)?(?:called\\s+|named\\s+)?${Q}?(${W})`, 'iu');
// "the 'Milly' brand", "the Milly brand" (capitalised needs dealing words in the report).
const X_BRAND = new RegExp(`(?<![\\p{L}\\p{N}])(${Q})?(${W})${QE}?\\s+brand(?![\\p{L}\\p{N}])`, 'gu');
// A flare text: "'Deezy back on, W n B all day'", "Bluey back on 07700 900199": a capitalised or
// quoted name, "back on", then the end of the phrase, a number or a time word.
const BACK_ON = new RegExp(
  `(?<![\\p{L}\\p{N}])(${Q})?(${W})${QE}?\\s+(?:is\\s+)?back\\s+on(?:line)?(?=\\s*(?:$|[,.!:;)\\-–"'’”+(\\d]|\\p{Extended_Pictographic}|(?:now|again|tonight|today|2nite|tonite|24\\/7|from|with|wiv|after)\\b))`,
  'gu',
);
// A card or flare: "FIZZ 24/7 (07700) 900126": a word in capitals before "24/7".
const CAPS_247 = /(?<![\p{L}\p{N}])(\p{Lu}[\p{Lu}\p{N}-]{2,20})\s*[-–]?\s*24\s?(?:[/-]\s?7(?![\p{N}])|[hH][rR][sS]?\b|[hH]ours\b)/gu;
// "Branded line 'Milky' is ...": a quoted name straight after "line".
const LINE_THEN_QUOTED = new RegExp(`(?<![\\p{L}\\p{N}])line\\s+${Q}(${W})${QE}`, 'giu');
// "The 'Ace' and 'Tonka' lines": quoted names joined before "lines".
const QUOTED_LINES = new RegExp(`${Q}(${W})${QE}\\s*(?:,|and|&|or)\\s*${Q}(${W})${QE}\\s+lines(?![\\p{L}\\p{N}])`, 'giu');
// "'Rambo' number 07700 900 145": a quoted name before "number" (quoted: "Kyle's number" is a person's).
const QUOTED_NUMBER = new RegExp(`(?<![\\p{L}\\p{N}])${Q}(${W})${QE}\\s+(?:number|phone|line|burner)(?![\\p{L}\\p{N}])`, 'gu');
/** Words before "back on", "brand" or "24/7" that are people, things or times, never a line. */
const NOT_FLARE_NAMES = new Set(
  ('i he she they we you it mum mam ma dad da nan nana gran grandad bro sis son daughter everyone everything ' +
    'school work college shop shops signal wifi power phone phones heating gas water internet telly tv he\'s she\'s ' +
    "they're we're i'm it's its pub club bar gym store call text ring open opening delivery deliveries delivers delivering service line lines " +
    'shop support help care staff office family household premium luxury fashion designer sports').split(' '),
);
// "the Kash line", "the 'Kash' line", "KASH line", "Kash Line", "the big kash line".
const X_LINE = new RegExp(`(?<![\\p{L}\\p{N}])(?:(the)\\s+)?(${Q})?(${W}(?:\\s+${W})?)${QE}?\\s+line(?![\\p{L}\\p{N}])`, 'giu');
// Literal words the patterns above cannot match without (tested first, case-insensitively).
const LINE_WORD = /line/i;
const NAMING_WORD = /call|name|known|goes|brand|sign|\bas\b|line\s*["'“‘]|lines\b/i;
const MOBILE = /(?:\+44|\b0)\s?\(?0?\)?\s?7\d{3}/;
const ROUTE_CODE = /^[\p{L}]{0,2}\d{1,3}[\p{L}]?$/u;
const BUS_WORDS = /\b(?:bus|buses|route|coach|stagecoach|arriva|first bus|driver|timetable|stop)\b/i;
const GAP_PERSON = /(?<![\p{L}])(?:man|men|woman|women|lad|lads|guy|guys|bloke|boy|boys|girl|girls|someone|somebody|person|people|who|friend|mate|cousin|brother|sister|uncle|dealer|he|she|they|him|her|them|his|their)(?![\p{L}])/iu;
// "numbers saved only as 'T'", "saved in his phone as 'Unc'": a name in someone's contacts.
const CONTACT_GAP = /(?<![\p{L}])(?:saved|stored|listed|contacts?)(?![\p{L}])/iu;
const ONE_OF = /^(?:\s+(?:now|both|different|two|three|separate))*,?\s+(?:one|the first|the other)$/i;
const BACK_WORDS = /back\s+on|brand|24\s?(?:[/-]\s?7|h)/i;

/** Builds a matcher from content/extract/lines.yaml. */
export function createLineMatcher(rules: LineRules): LineMatcher {
  const notBrands = new Set(rules.not_brands.map((w) => w.toLowerCase()));
  const notAfter = new Set(rules.not_after.map((w) => w.toLowerCase()));
  const dealing = new RegExp(`(?<![\\p{L}\\p{N}])(?:${rules.dealing_context.join('|')})(?![\\p{L}\\p{N}])`, 'iu');

  const brandOk = (brand: string, isPlaceName: (w: string) => boolean): boolean => {
    const words = brand.toLowerCase().split(/\s+/);
    if (words.some((w) => notBrands.has(w) || /^\d+$/.test(w))) return false;
    if (words.length > 2) return false;
    return !isPlaceName(brand);
  };

  return {
    find(text, isPlaceName) {
      const out: LineNameEntity[] = [];
      const taken = scratchMarks(SLOT.lines, text.length + 1);
      const push = (brandRaw: string, start: number): void => {
        // "Kash's line" -> kash; "the 'Milly' line" -> milly (the closing quote is not part of the name).
        const brand = brandRaw.replace(/['’"”]+$/, '').replace(/['’]s$/i, '').replace(/\s+/g, ' ').trim();
        const value = brand.toLowerCase();
        if (!value || taken[start] === 1) return;
        taken.fill(1, start, start + brand.length);
        out.push({ type: 'line_name', value, start, end: start + brand.length });
      };
      let dealingCache: boolean | undefined;
      const isDealing = (): boolean => (dealingCache ??= dealing.test(text));

      // Each pattern needs a literal word ("line"; "called", "named"...): a text without it skips
      // the scan, which otherwise tries every position (half of all reports never say "line").
      const saysLine = LINE_WORD.test(text);
      EXPLICIT_BEFORE.lastIndex = saysLine ? 0 : text.length + 1;
      for (let m = EXPLICIT_BEFORE.exec(text); m !== null; m = EXPLICIT_BEFORE.exec(text)) {
        const b = m[1] ?? '';
        if (brandOk(b, isPlaceName)) push(b, m.index);
      }
      EXPLICIT_AFTER.lastIndex = NAMING_WORD.test(text) ? 0 : text.length + 1;
      for (let m = EXPLICIT_AFTER.exec(text); m !== null; m = EXPLICIT_AFTER.exec(text)) {
        const b = m[2] ?? '';
        const at = m.index + m[0].lastIndexOf(b);
        const quoted = /["“'‘]$/.test(text.slice(Math.max(0, at - 1), at));
        // A quote that does not close on the name opens a longer title: "called 'easy money north west'".
        const bare = b.replace(/['’"”]+$/, '');
        if (quoted && !/^["”'’]/.test(text.slice(at + bare.length)) && /^\s+\p{L}/u.test(text.slice(at + bare.length))) continue;
        // With words between, "called" must still name the line, not a person: "a phone from a man
        // called Jason" is no brand. A quoted name ("a line into Bangor known as 'Nando'") or "one
        // called" after the lines ("two lines now, one called Sparks") is.
        const gap = m[1] ?? '';
        if (CONTACT_GAP.test(text.slice(Math.max(0, m.index - 25), m.index) + gap)) continue;
        if (gap && (GAP_PERSON.test(gap) || !(quoted || ONE_OF.test(gap)) || !/^\p{Lu}/u.test(b) && !quoted)) continue;
        if (!brandOk(b, isPlaceName)) continue;
        push(b, at);
        const other = AND_OTHER.exec(text.slice(m.index + m[0].length, m.index + m[0].length + 60));
        const b2 = other?.[1] ?? '';
        if (other && /^\p{Lu}/u.test(b2) && brandOk(b2, isPlaceName)) push(b2, m.index + m[0].length + other[0].length - b2.length);
      }
      const flareOk = (b: string, quoted: boolean): boolean =>
        (quoted || /^\p{Lu}/u.test(b)) && !NOT_FLARE_NAMES.has(b.toLowerCase()) && !/^\d/.test(b) && brandOk(b, isPlaceName);
      if (NAMING_WORD.test(text)) {
        LINE_THEN_QUOTED.lastIndex = 0;
        for (let m = LINE_THEN_QUOTED.exec(text); m !== null; m = LINE_THEN_QUOTED.exec(text)) {
          const b = m[1] ?? '';
          // Capitalised: "hold the line 'please'" is speech, "line 'Milky'" a brand.
          if (flareOk(b, false)) push(b, m.index + m[0].length - 1 - b.length);
        }
        QUOTED_LINES.lastIndex = 0;
        for (let m = QUOTED_LINES.exec(text); m !== null; m = QUOTED_LINES.exec(text)) {
          const [b1 = '', b2 = ''] = [m[1], m[2]];
          if (flareOk(b1, true)) push(b1, m.index + 1);
          if (flareOk(b2, true)) push(b2, m.index + m[0].lastIndexOf(b2));
        }
      }
      QUOTED_NUMBER.lastIndex = 0;
      for (let m = QUOTED_NUMBER.exec(text); m !== null; m = QUOTED_NUMBER.exec(text)) {
        const b = m[1] ?? '';
        if (flareOk(b, true)) push(b, m.index + 1);
      }
      if (BACK_WORDS.test(text)) {
        BACK_ON.lastIndex = 0;
        for (let m = BACK_ON.exec(text); m !== null; m = BACK_ON.exec(text)) {
          const b = m[2] ?? '';
          if (flareOk(b, m[1] !== undefined) && (m[1] !== undefined || isDealing())) push(b, m.index + (m[1]?.length ?? 0));
        }
        X_BRAND.lastIndex = 0;
        for (let m = X_BRAND.exec(text); m !== null; m = X_BRAND.exec(text)) {
          const b = m[2] ?? '';
          if (flareOk(b, m[1] !== undefined) && (m[1] !== undefined || isDealing())) push(b, m.index + (m[1]?.length ?? 0));
        }
        CAPS_247.lastIndex = 0;
        for (let m = CAPS_247.exec(text); m !== null; m = CAPS_247.exec(text)) {
          const b = m[1] ?? '';
          // On a card, the number itself is the dealing context.
          if (flareOk(b, false) && (isDealing() || MOBILE.test(text))) push(b, m.index);
        }
      }
      X_LINE.lastIndex = saysLine ? 0 : text.length + 1;
      for (let m = X_LINE.exec(text); m !== null; m = X_LINE.exec(text)) {
        const hasThe = m[1] !== undefined;
        const quoted = m[2] !== undefined;
        let brand = m[3] ?? '';
        let brandStart = m.index + m[0].indexOf(brand, hasThe ? 3 : 0);
        const afterWords = /^\s+([\p{L}]+)(?:\s+([\p{L}]+))?/u.exec(text.slice(m.index + m[0].length));
        const after = afterWords?.[1]?.toLowerCase() ?? '';
        // "line up" is a queue, but "the Big H line up to Dundee" is a route.
        const route = /^(?:up|down|out|over)$/.test(after) && /^(?:to|into|from)$/i.test(afterWords?.[2] ?? '');
        if (notAfter.has(after) && !route) continue;
        // Two words: keep the pair only when both look like a name ("Big Kash"), else the last word.
        const parts = brand.split(/\s+/);
        if (parts.length === 2) {
          const [p0 = '', p1 = ''] = parts;
          const pairIsName = /^\p{Lu}/u.test(p0) && /^\p{Lu}/u.test(p1) && !notBrands.has(p0.toLowerCase());
          if (!pairIsName) {
            if (notBrands.has(p0.toLowerCase()) && /^(?:bus|train|tube|tram|rail|railway|metro|phone|help|hot)$/i.test(p1)) continue;
            brand = p1;
            brandStart += brand.length === 0 ? 0 : text.slice(brandStart).indexOf(p1);
          }
        }
        if (!brandOk(brand, isPlaceName)) continue;
        // "the X1 line", "the 36A line" in a report about buses is a route, not a brand.
        if (ROUTE_CODE.test(brand) && BUS_WORDS.test(text)) continue;
        const capital = /^\p{Lu}/u.test(brand);
        const sentenceStart = /(?:^|[.!?\n]\s*)$/.test(text.slice(Math.max(0, brandStart - 3), brandStart));
        const strong = quoted || (capital && !sentenceStart);
        if (!strong && !isDealing()) continue;
        if (!hasThe && !quoted && !capital && !isDealing()) continue;
        push(brand, brandStart);
      }
      return out.sort((a, b) => a.start - b.start);
    },
  };
}
