/**
 * Indicator detection: cue phrases per DOMAIN.md code, from content/extract/indicators.yaml (its
 * header documents the cue syntax). Each rule's cues compile into one regular expression, so the
 * cost per report is a few dozen linear scans. A cue counts unless
 *  - a negator comes shortly before it in the same clause ("not scared", "never goes missing");
 *  - its rule needs `context` (slang is also everyday English) and none is near;
 *  - an `unless` phrase is near ("bathroom scales", "armed police").
 */
import type { IndicatorLexicon, IndicatorRule } from './lexicon.ts';
import type { IndicatorCode, IndicatorHit } from './types.ts';
import { ExtractContentError } from './lexicon.ts';

/**
 * Character that place names are masked with before indicator matching ({place}). It is Latin-1
 * on purpose: V8 runs regular expressions on one-byte strings about three times faster than on
 * two-byte ones, so the text handed to the matcher is kept one-byte (see toMatchText).
 */
export const PLACE_MASK = '\u0001';

/**
 * The text indicator cues run on: same length as the input (offsets stay valid), curly quotes
 * and dashes made ASCII, other characters above U+00FF and control characters made spaces.
 */
export function toMatchText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced here
  return text.replace(/[\u0000-\u0008\u2018-\u201f\u2010-\u2015\u0100-\u200f\u2016-\u2017\u2020-\uffff]/g, (c) => {
    if (c === '\u2018' || c === '\u2019' || c === '\u201b') return "'";
    if (c >= '\u201c' && c <= '\u201f') return '"';
    if (c >= '\u2010' && c <= '\u2015') return '-';
    return ' ';
  });
}

// A gap word may be a masked place ({place} is PLACE_MASK), so "train from {place} to {place} alone" is one cue.
const WORD = "[\\p{L}\\p{N}'£$.,&\\u0001-]+";
const SEP = "[\\s\"“”‘’'()*_]+";
const MACROS: Record<string, string> = {
  pro: "(?:he|she|they|him|her|them|his|their|he's|she's|they're|hes|shes|theyre|it|i|you|u|we|me|us|my|our|ur)",
  poss: '(?:his|her|their|my|your|ur|our|the)',
  self: '(?:himself|herself|themselves|themself|myself|yourself|itself)',
  n: '(?:\\d+|two|three|four|five|six|seven|eight|nine|ten|several|a few|few|a couple of|couple of|a couple|multiple)',
  money: '(?:£\\s?\\d[\\d,.]*k?|\\d+\\s?(?:quid|pounds|grand|k)\\b|hundreds of pounds|thousands of pounds|a grand|a few grand|a wad)',
  place: `${PLACE_MASK}+`,
};

/** Compiles one cue of the documented syntax into regular-expression source. */
export function compileCue(cue: string): string {
  let s = cue.trim();
  s = s.replace(/\[[^\]]*\]/g, (cls) => cls.replace(/ /g, '\\s')); // "[- ]": a space inside a class
  // Gaps carry their own trailing separator, so "owes {0-4} money" and "({0-2} )?" both work.
  s = s.replace(/\{(\d)-(\d)\} ?/g, (_m, lo: string, hi: string) => `§G${lo},${hi}§`);
  s = s.replace(/ \?/g, '§O'); // "school ?work": an optional separator
  s = s.replace(/\{(pro|poss|self|n|money|place)\}/g, (_m, k: string) => MACROS[k] ?? '');
  // An apostrophe inside or ending a word is optional: "won't" also matches "wont".
  s = s.replace(/(?<=[\p{L}])'(?=[\p{L}\s)|]|$)/gu, "'?");
  s = s.replace(/ +/g, SEP);
  s = s.replace(/§G(\d),(\d)§/g, (_m, lo: string, hi: string) => `(?:${WORD}${SEP}){${lo},${hi}}?`);
  return s.replace(/§O/g, `${SEP.slice(0, -1)}*`);
}

function compileAlternatives(cues: readonly string[], where: string): RegExp {
  // Cues are matched against ASCII-lower-cased text (see asciiLower), so they are lower-cased
  // too and compiled without the "i" flag: Unicode case folding makes every regex several
  // times slower. Escapes whose case matters (\\S, \\W, \\D, \\B, \\P) must not be used in cues.
  const src = `(?<![\\p{L}\\p{N}_])(?:${cues.map((c) => `(?:${compileCue(c.toLowerCase())})`).join('|')})(?![\\p{L}\\p{N}_])`;
  try {
    return new RegExp(src, 'gu');
  } catch (err) {
    throw new ExtractContentError(`extract/indicators.yaml: ${where}: bad cue (${(err as Error).message})`);
  }
}

/** Lower-cases A-Z only, so every offset stays valid (String#toLowerCase can change lengths). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

interface CompiledRule {
  readonly codes: readonly IndicatorCode[];
  readonly cue: RegExp;
  readonly context: RegExp | undefined;
  readonly unless: RegExp | undefined;
  readonly window: number;
  readonly negatable: boolean;
}

export interface IndicatorMatcher {
  /** `text` must already have place names masked with PLACE_MASK (same length as the original). */
  find(text: string): IndicatorHit[];
}

/** Builds the indicator matcher from the validated lexicon. */
export function createIndicatorMatcher(lex: IndicatorLexicon): IndicatorMatcher {
  const rules: CompiledRule[] = lex.rules.map((r: IndicatorRule, i) => ({
    codes: r.codes,
    cue: compileAlternatives(r.cues, `rules[${i}].cues`),
    context: r.context ? compileAlternatives(r.context, `rules[${i}].context`) : undefined,
    unless: r.unless ? compileAlternatives(r.unless, `rules[${i}].unless`) : undefined,
    window: r.window ?? 120,
    negatable: r.negatable ?? true,
  }));
  const negator = compileAlternatives(lex.negators, 'negators');
  const hedge = new RegExp(`^${SEP}(?:${lex.hedges.map((h) => compileCue(h.toLowerCase())).join('|')})(?![\\p{L}])`, 'u');
  const clauseBreak = new RegExp(`(?:[.;:!?\\n,()]|(?<![\\p{L}])(?:${lex.clause_breaks.map((c) => compileCue(c.toLowerCase())).join('|')})(?![\\p{L}]))`, 'gu');

  /**
   * Negator and clause-break positions of one text, found by one scan each the first time a cue
   * needs them; every cue is then checked against them in O(log n), so a report with many cues
   * (or 100 KB of "not not not") stays linear.
   */
  interface Marks {
    readonly breakStart: number[];
    readonly breakEnd: number[];
    readonly negStart: number[];
    readonly negEnd: number[];
  }
  const scanMarks = (text: string): Marks => {
    const marks: Marks = { breakStart: [], breakEnd: [], negStart: [], negEnd: [] };
    clauseBreak.lastIndex = 0;
    for (let m = clauseBreak.exec(text); m !== null; m = clauseBreak.exec(text)) {
      if (m[0].length === 0) clauseBreak.lastIndex++;
      marks.breakStart.push(m.index);
      marks.breakEnd.push(m.index + m[0].length);
    }
    negator.lastIndex = 0;
    for (let m = negator.exec(text); m !== null; m = negator.exec(text)) {
      if (m[0].length === 0) negator.lastIndex++;
      marks.negStart.push(m.index);
      marks.negEnd.push(m.index + m[0].length);
    }
    return marks;
  };
  /** First index i with xs[i] >= v (xs ascending). */
  const lowerBound = (xs: readonly number[], v: number): number => {
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (xs[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const wordCount = (s: string): number => {
    let n = 0;
    let inWord = false;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const space = c === 32 || (c >= 9 && c <= 13) || c === 160;
      if (!space && !inWord) n++;
      inWord = !space;
    }
    return n;
  };
  // A negation reaches back at most 48 characters and never past a clause break.
  const negated = (text: string, marks: Marks, start: number): boolean => {
    const lo = Math.max(0, start - 48);
    let from = lo;
    for (let i = lowerBound(marks.breakStart, lo); i < marks.breakStart.length && marks.breakStart[i]! < start; i++) {
      const e = marks.breakEnd[i]!;
      if (e <= start && e > from) from = e;
    }
    for (let i = lowerBound(marks.negStart, from); i < marks.negStart.length && marks.negStart[i]! < start; i++) {
      const e = marks.negEnd[i]!;
      if (e > start) continue;
      const rest = text.slice(e, start);
      if (hedge.test(rest)) continue;
      // Only the last few words before the cue: "no" far back rarely reaches it.
      if (wordCount(rest) <= 4) return true;
    }
    return false;
  };

  const near = (re: RegExp, text: string, start: number, end: number, window: number): boolean => {
    const s = Math.max(0, start - window);
    const slice = text.slice(s, Math.min(text.length, end + window));
    re.lastIndex = 0;
    return re.test(slice);
  };

  return {
    find(original: string): IndicatorHit[] {
      const text = asciiLower(original);
      const out: IndicatorHit[] = [];
      const seen = new Set<string>();
      let marks: Marks | undefined;
      const negatedAt = new Map<number, boolean>();
      for (const rule of rules) {
        rule.cue.lastIndex = 0;
        for (let m = rule.cue.exec(text); m !== null; m = rule.cue.exec(text)) {
          if (m[0].length === 0) {
            rule.cue.lastIndex++;
            continue;
          }
          const start = m.index;
          const end = start + m[0].length;
          if (rule.context && !near(rule.context, text, start, end, rule.window)) continue;
          if (rule.unless && near(rule.unless, text, start, end, rule.window)) continue;
          if (rule.negatable) {
            let neg = negatedAt.get(start);
            if (neg === undefined) {
              marks ??= scanMarks(text);
              neg = negated(text, marks, start);
              negatedAt.set(start, neg);
            }
            if (neg) continue;
          }
          for (const code of rule.codes) {
            const key = `${code}:${start}:${end}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push({ code, start, end });
          }
        }
      }
      return out.sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code));
    },
  };
}
