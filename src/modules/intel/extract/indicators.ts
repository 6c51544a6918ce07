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

// Words whose "-ing" is not a verb ending, so "thing" never also matches "thin".
const NOT_ING_VERBS = new Set(['thing', 'bring', 'string', 'spring', 'sting', 'swing', 'sling', 'wring', 'cling', 'king', 'ring', 'sing', 'wing', 'ping', 'ding', 'during', 'ceiling']);

/** Compiles one cue of the documented syntax into regular-expression source. */
export function compileCue(cue: string): string {
  let s = cue.trim();
  // Text-speak drops the g: a verb ending "-ing" in a cue also matches "-in" and "-in'"
  // ("goin OT", "stayin at the bando", "sayin he owes").
  s = s.replace(/(?<![\p{L}\\])[a-z]+ing(?![\p{L}])/gu, (w) => (NOT_ING_VERBS.has(w) ? w : `${w.slice(0, -1)}[g']?`));
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

/**
 * True when every match of `cue` starts with an ASCII letter or digit, so `\b` may go in front of
 * it. Conservative: a lookaround, a class, or a macro that can start with another character
 * ({money}, {place}, gaps) gives false; an optional group needs what follows it to qualify too.
 */
export function cueStartsWithWordChar(cue: string): boolean {
  const s = cue.trim().toLowerCase();
  const starts = (from: number): boolean => {
    const c = s[from];
    if (c === undefined) return false;
    if (/[a-z0-9]/.test(c)) return true;
    if (c === '\\') return s[from + 1] === 'w' || s[from + 1] === 'd';
    if (c === '{') return /^\{(pro|poss|self|n)\}/.test(s.slice(from));
    if (c !== '(' || s[from + 1] === '?') return false;
    // A group: each top-level branch must start with a word character, and the group must be required.
    let depth = 0;
    const branchStarts = [from + 1];
    let i = from;
    for (; i < s.length; i++) {
      const ch = s[i];
      if (ch === '\\') i++;
      else if (ch === '[') {
        while (i < s.length && s[i] !== ']') i += s[i] === '\\' ? 2 : 1;
      } else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) break;
      else if (ch === '|' && depth === 1) branchStarts.push(i + 1);
    }
    if (!branchStarts.every(starts)) return false;
    // An optional group ("(much )?older"): what follows it must start with a word character too.
    const after = s[i + 1];
    if (after === '?' || after === '*') return starts(i + 2);
    if (after === '{') {
      const q = /^\{(\d+)(,\d*)?\}/.exec(s.slice(i + 1));
      if (!q) return false;
      return q[1] !== '0' || starts(i + 1 + q[0].length);
    }
    return true;
  };
  // A top-level alternation ("knife|knives"): every branch must start with a word character.
  let depth = 0;
  const tops = [0];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') i++;
    else if (ch === '[') {
      while (i < s.length && s[i] !== ']') i += s[i] === '\\' ? 2 : 1;
    } else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) tops.push(i + 1);
  }
  return tops.every(starts);
}

export interface CompileOptions {
  /** Put `\b` before cues that start with a word character (default true; a pure speed-up). */
  readonly wordStartHint?: boolean;
}

function compileAlternatives(cues: readonly string[], where: string, opts: CompileOptions = {}): RegExp[] {
  // Cues are matched against ASCII-lower-cased text (see asciiLower), so they are lower-cased
  // too and compiled without the "i" flag: Unicode case folding makes every regex several
  // times slower. Escapes whose case matters (\\S, \\W, \\D, \\B, \\P) must not be used in cues.
  // A leading look-behind alone is checked at every position of the text; "\b" in front lets V8
  // skip to word starts first, which makes a scan about a fifth faster. It is only sound for cues
  // that start with an ASCII word character, so the others get a second expression.
  const hint = opts.wordStartHint ?? true;
  const word = hint ? cues.filter((c) => cueStartsWithWordChar(c)) : [];
  const other = hint ? cues.filter((c) => !cueStartsWithWordChar(c)) : cues;
  const build = (list: readonly string[], prefix: string): RegExp => {
    const src = `${prefix}(?<![\\p{L}\\p{N}_])(?:${list.map((c) => `(?:${compileCue(c.toLowerCase())})`).join('|')})(?![\\p{L}\\p{N}_])`;
    try {
      return new RegExp(src, 'gu');
    } catch (err) {
      throw new ExtractContentError(`extract/indicators.yaml: ${where}: bad cue (${(err as Error).message})`);
    }
  };
  const out: RegExp[] = [];
  if (word.length > 0) out.push(build(word, '\\b'));
  if (other.length > 0) out.push(build(other, ''));
  return out;
}

/** True when any of `res` matches `text` (they are global: lastIndex is reset first). */
function anyTest(res: readonly RegExp[], text: string): boolean {
  for (const re of res) {
    re.lastIndex = 0;
    if (re.test(text)) return true;
  }
  return false;
}

/** Lower-cases A-Z only, so every offset stays valid (String#toLowerCase can change lengths). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

interface CompiledRule {
  readonly codes: readonly IndicatorCode[];
  readonly cue: readonly RegExp[];
  readonly context: readonly RegExp[] | undefined;
  readonly unless: readonly RegExp[] | undefined;
  readonly window: number;
  readonly negatable: boolean;
}

export interface IndicatorMatcher {
  /** `text` must already have place names masked with PLACE_MASK (same length as the original). */
  find(text: string): IndicatorHit[];
}

/** Builds the indicator matcher from the validated lexicon. */
export function createIndicatorMatcher(lex: IndicatorLexicon, opts: CompileOptions = {}): IndicatorMatcher {
  const rules: CompiledRule[] = lex.rules.map((r: IndicatorRule, i) => ({
    codes: r.codes,
    cue: compileAlternatives(r.cues, `rules[${i}].cues`, opts),
    context: r.context ? compileAlternatives(r.context, `rules[${i}].context`, opts) : undefined,
    unless: r.unless ? compileAlternatives(r.unless, `rules[${i}].unless`, opts) : undefined,
    window: r.window ?? 120,
    negatable: r.negatable ?? true,
  }));
  const [negator, ...moreNegators] = compileAlternatives(lex.negators, 'negators', { wordStartHint: false });
  if (!negator || moreNegators.length > 0) throw new ExtractContentError('extract/indicators.yaml: negators: expected one list');
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

  const near = (res: readonly RegExp[], text: string, start: number, end: number, window: number): boolean => {
    const s = Math.max(0, start - window);
    return anyTest(res, text.slice(s, Math.min(text.length, end + window)));
  };

  return {
    find(original: string): IndicatorHit[] {
      const text = asciiLower(original);
      const out: IndicatorHit[] = [];
      const seen = new Set<string>();
      let marks: Marks | undefined;
      const negatedAt = new Map<number, boolean>();
      const consider = (rule: CompiledRule, start: number, end: number): void => {
        if (rule.context && !near(rule.context, text, start, end, rule.window)) return;
        if (rule.unless && near(rule.unless, text, start, end, rule.window)) return;
        if (rule.negatable) {
          let neg = negatedAt.get(start);
          if (neg === undefined) {
            marks ??= scanMarks(text);
            neg = negated(text, marks, start);
            negatedAt.set(start, neg);
          }
          if (neg) return;
        }
        for (const code of rule.codes) {
          const key = `${code}:${start}:${end}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ code, start, end });
        }
      };
      for (const rule of rules) {
        for (const cue of rule.cue) {
          cue.lastIndex = 0;
          for (let m = cue.exec(text); m !== null; m = cue.exec(text)) {
            if (m[0].length === 0) cue.lastIndex++;
            else consider(rule, m.index, m.index + m[0].length);
          }
        }
      }
      return out.sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code));
    },
  };
}
