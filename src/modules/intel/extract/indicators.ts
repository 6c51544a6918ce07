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
import { compareHits } from './types.ts';
import { ExtractContentError } from './lexicon.ts';
import { HASH_SEED, hashStep, WordTable } from './word-table.ts';

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
const NOT_ING_VERBS = new Set(['thing', 'ting', 'bling', 'bring', 'string', 'spring', 'sting', 'swing', 'sling', 'wring', 'cling', 'king', 'ring', 'sing', 'wing', 'ping', 'ding', 'during', 'ceiling']);

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
  const tops: number[] = [];
  let at = 0;
  for (const branch of splitTop(s)) {
    tops.push(at);
    at += branch.length + 1;
  }
  return tops.every(starts);
}

/**
 * The first one to three characters every match of `cue` starts with (lower case; "\d" stands
 * for any digit), or "=word" when the match starts with that whole word, or undefined when that cannot be read off the cue (a class, a lookaround,
 * {money}, {place}, a gap, "\w"). The matcher indexes cues by these keys and tries a cue only at
 * the word starts whose first characters fit, instead of scanning the whole text once per rule.
 */
export function cueFirstKeys(cue: string, endIsWordEnd = true): string[] | undefined {
  const s = cue.trim().toLowerCase();
  const groupEnd = (i: number): number => groupClose(s, i);
  /** Start indexes of the top-level branches of s[from, to). */
  const branches = (from: number, to: number): number[] => {
    const out = [from];
    let depth = 0;
    for (let k = from; k < to; k++) {
      const ch = s[k];
      if (ch === '\\') k++;
      else if (ch === '[') {
        while (k < to && s[k] !== ']') k += s[k] === '\\' ? 2 : 1;
      } else if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (ch === '|' && depth === 0) out.push(k + 1);
    }
    return out;
  };
  // Keys of a match of the sequence starting at i and ending at `to` (a "|", ")" or the end);
  // `wordEndAtTo`: what follows `to` ends a word. A whole word shorter than three characters is
  // an exact key ("=a"), tried only on words of exactly that length.
  const at = (i: number, to: number, wordEndAtTo: boolean): Set<string> | undefined => {
    if (i >= to) return undefined; // an empty branch: the keys come from what follows (not handled)
    const c = s[i]!;
    if (/[a-z0-9]/.test(c)) {
      let k = i;
      while (k < to && /[a-z0-9]/.test(s[k]!)) k++;
      let lit = s.slice(i, k);
      const q = s[k];
      const trimmed = q === '?' || q === '*' || (q === '{' && /^\{0/.test(s.slice(k)));
      if (trimmed) lit = lit.slice(0, -1);
      if (lit.length === 0) return undefined;
      // A space followed by "?" is optional ("road ?man" also matches "roadman"): no word end.
      const wordEnd = (at: number): boolean => at === s.length || (s[at] === ' ' && s[at + 1] !== '?') || (at === to && wordEndAtTo);
      // "they're": the word "they" (then "'re"), or "theyre" typed without the apostrophe.
      if (!trimmed && s[k] === "'" && /[a-z]/.test(s[k + 1] ?? '')) {
        let r = k + 1;
        while (r < to && /[a-z]/.test(s[r]!)) r++;
        if (wordEnd(r)) return new Set([`=${lit}`, `=${lit}${s.slice(k + 1, r)}`]);
      }
      const exact = !trimmed && wordEnd(k);
      if (!exact) return new Set([lit.slice(0, 3)]);
      // compileCue lets a verb ending "-ing" match "-in" too ("holdin", "stayin").
      return new Set(lit.endsWith('ing') && !NOT_ING_VERBS.has(lit) ? [`=${lit}`, `=${lit.slice(0, -1)}`] : [`=${lit}`]);
    }
    if (c === '\\') return s[i + 1] === 'd' ? new Set(['\\d']) : undefined;
    if (c === '{') {
      const m = /^\{(pro|poss|self|n)\}/.exec(s.slice(i));
      if (!m) return undefined;
      const after = i + m[0].length;
      return cueFirstKeysOf(MACROS[m[1]!]!, after >= s.length || s[after] === ' ' || (after === to && wordEndAtTo));
    }
    if (c !== '(') return undefined;
    let inner = i + 1;
    if (s[i + 1] === '?') {
      if (s[i + 2] !== ':') return undefined; // a lookaround
      inner = i + 3;
    }
    const end = groupEnd(i);
    if (end < 0 || end >= to) return undefined;
    const keys = new Set<string>();
    const q = s[end + 1];
    const optional = q === '?' || q === '*' || (q === '{' && /^\{0/.test(s.slice(end + 1)));
    const quantLen = q === '{' ? (/^\{[^}]*\}/.exec(s.slice(end + 1))?.[0].length ?? 0) : q === '?' || q === '*' || q === '+' ? 1 : 0;
    const after = end + 1 + quantLen;
    // A "+" or {1,2} repeats the group: its branches may run on into themselves.
    const branchWordEnd = (q !== '+' && q !== '{') && (after >= s.length || s[after] === ' ' || (after === to && wordEndAtTo));
    const starts = branches(inner, end);
    for (let b = 0; b < starts.length; b++) {
      const k = at(starts[b]!, b + 1 < starts.length ? starts[b + 1]! - 1 : end, branchWordEnd);
      if (!k) return undefined;
      for (const x of k) keys.add(x);
    }
    if (optional) {
      const rest = at(after, to, wordEndAtTo);
      if (!rest) return undefined;
      for (const x of rest) keys.add(x);
    }
    return keys;
  };
  const keys = new Set<string>();
  const tops = branches(0, s.length);
  for (let t = 0; t < tops.length; t++) {
    const to = t + 1 < tops.length ? tops[t + 1]! - 1 : s.length;
    const k = at(tops[t]!, to, endIsWordEnd);
    if (!k) return undefined;
    for (const x of k) keys.add(x);
  }
  return [...keys];
}

function cueFirstKeysOf(src: string, endIsWordEnd: boolean): Set<string> | undefined {
  const k = cueFirstKeys(src.replace(/^\(\?:/, '(').replace(/\\s\+?|\\s/g, ' '), endIsWordEnd);
  return k ? new Set(k) : undefined;
}

/** Words too common to be worth checking for: a cue needing only these is always tried. */
const COMMON_WORDS = new Set('the a an to of in on at and or is was be been he she it his her him they them their for with by from i you u we me my our that this as are not no'.split(' '));

/**
 * Whole words at least one of which every match of `cue` contains (lower case), or undefined.
 * Only words standing alone between the cue's top-level spaces count: "missing" in "(go|goes)
 * missing", or one word of "(lads|men|boys)"; optional parts, classes and macros are never used,
 * so a text without any of the words cannot match. A verb ending "-ing" also gives its dropped-g
 * spelling ("goin"), as compileCue does.
 */
export function cueAnchorWords(cue: string): string[] | undefined {
  const elements = anchorElements(cue);
  if (!elements) return undefined;
  let best: string[] | undefined;
  for (const words of elements) if (words && (!best || anchorScore(words) > anchorScore(best))) best = words;
  if (!best || anchorScore(best) < 0) return undefined;
  return withDroppedG(best);
}

/**
 * Every set of whole words the cue requires, one per top-level element: a match contains one
 * word of each set, so a text lacking all the words of any set cannot match. Sets holding a very
 * common word are left out (nearly every text has one). Undefined when none is left.
 */
export function cueAnchorGroups(cue: string): string[][] | undefined {
  const elements = anchorElements(cue);
  if (!elements) return undefined;
  const groups: string[][] = [];
  for (const words of elements) {
    if (words && anchorScore(words) >= 0) groups.push(withDroppedG(words));
  }
  return groups.length > 0 ? groups : undefined;
}

const anchorScore = (ws: readonly string[]): number => (ws.some((w) => COMMON_WORDS.has(w)) ? -1 : Math.min(...ws.map((w) => w.length)) * 10 - ws.length);

function withDroppedG(words: readonly string[]): string[] {
  const out = new Set<string>();
  for (const w of words) {
    out.add(w);
    if (w.endsWith('ing') && !NOT_ING_VERBS.has(w)) out.add(w.slice(0, -1));
  }
  return [...out];
}

/** One alternative of a cue's first element: a whole-word test and the words that may follow it. */
export interface Follower {
  readonly first: RegExp;
  /** First words of what comes next; undefined: anything (not read, or nothing follows). */
  readonly next: readonly string[] | undefined;
}

/**
 * For each alternative of the cue's first element, a test that a text word (a whole run of
 * letters and digits) is that alternative's first word, and the words the next run may then be.
 * Only read where both are plain words (letters, digits, groups and "?"; no apostrophes, hyphens,
 * classes or macros, which could match across runs); undefined otherwise. A match starting at a
 * word must begin with one of these alternatives and, after the separator, the next word.
 */
export function cueFollowers(cue: string): Follower[] | undefined {
  return plainFollowers(cue) ?? moreFollowers(cue);
}

/**
 * The first reading of cueFollowers: a whole first word and the words after it. An alternative
 * whose first word " ?" may glue to the next ("(school ?work|grades)") is left to moreFollowers,
 * which reads it as "starts with".
 */
function plainFollowers(cue: string): Follower[] | undefined {
  const elems = splitElements(cue.trim().toLowerCase());
  if (!elems || elems.length === 0) return undefined;
  const e0 = elems[0]!;
  let alts: string[];
  if (e0.startsWith('(') && groupClose(e0, 0) === e0.length - 1) {
    const inner = e0.slice(1, -1);
    if (inner.startsWith('?')) return undefined;
    alts = splitTop(inner);
  } else alts = [e0];
  const out: Follower[] = [];
  for (const alt of alts) {
    const toks = splitElements(alt.trim());
    if (!toks || toks.length === 0) return undefined;
    const t0 = toks[0]!;
    if (!/^[a-z0-9()|?]+$/.test(t0)) return undefined;
    let first: RegExp;
    try {
      first = new RegExp(`^(?:${compileCue(t0)})$`, 'u');
    } catch {
      return undefined;
    }
    const after = toks.length >= 2 ? toks[1] : elems.length >= 2 ? elems[1] : undefined;
    if (after?.startsWith('?')) return undefined;
    out.push({ first, next: after === undefined ? undefined : plainFirstWords(after) });
  }
  return out;
}

/**
 * Followers for cues plainFollowers does not read: a top-level alternation ("hotels?|premier
 * inn|guest ?house"), a first word with a digit class ("(\d|two) for"), or one starting with a literal
 * followed by something else ("part[- ]time", "won't"), which is read as "starts with" that
 * literal. Where " ?" may join the first word to the next ("guest ?house"), it is a "starts
 * with" test too. Sound: a match at a word start begins with one of the alternatives, so a word
 * no test accepts (or a next word outside `next`) cannot start a match.
 */
function moreFollowers(cue: string): Follower[] | undefined {
  const s = cue.trim().toLowerCase();
  const tops = splitTop(s);
  let alts: string[];
  let after: string | undefined;
  if (tops.length > 1) alts = tops;
  else {
    const elems = splitElements(s);
    if (!elems || elems.length === 0) return undefined;
    const e0 = elems[0]!;
    after = elems[1];
    if (e0.startsWith('(') && groupClose(e0, 0) === e0.length - 1 && !e0.startsWith('(?')) alts = splitTop(e0.slice(1, -1));
    else alts = [e0];
  }
  const out: Follower[] = [];
  for (const alt of alts) {
    const toks = splitElements(alt.trim());
    if (!toks || toks.length === 0) return undefined;
    const t0 = toks[0]!;
    const t1 = toks.length >= 2 ? toks[1] : tops.length > 1 ? undefined : after;
    let first: RegExp;
    let next: string[] | undefined;
    if (/^(?:[a-z0-9()|?]|\\d)+$/.test(t0)) {
      // " ?" may glue the next part on: "guest ?house" also matches "guesthouse".
      const glued = t1 !== undefined && /^\?(?:$|[a-z0-9(\\{[])/.test(t1);
      try {
        first = new RegExp(`^(?:${compileCue(t0)})${glued ? '' : '$'}`, 'u');
      } catch {
        return undefined;
      }
      if (first.test('')) return undefined; // an optional first word: the match may start later
      next = glued || t1 === undefined ? undefined : plainFirstWords(t1);
    } else {
      const lit = /^[a-z0-9]+/.exec(t0)?.[0];
      if (lit === undefined || /^[?*+{]/.test(t0.slice(lit.length))) return undefined;
      // compileCue may let an "-ing" ending drop its g.
      first = new RegExp(`^${lit.endsWith('ing') ? lit.slice(0, -1) : lit}`);
      next = undefined;
    }
    out.push({ first, next });
  }
  return out;
}

/** null: no alternative starts with the word; undefined: any next word; else the possible next words. */
export function followersOf(followers: readonly Follower[], word: string): string[] | undefined | null {
  let any = false;
  const words: string[] = [];
  for (const f of followers) {
    if (!f.first.test(word)) continue;
    any = true;
    if (f.next === undefined) return undefined;
    words.push(...f.next);
  }
  return any ? words : null;
}

/** plainWords with the dropped-g spelling of each "-ing" word. */
function plainFirstWords(e: string): string[] | undefined {
  const words = plainWords(e);
  return words && withDroppedG(words);
}

/**
 * A plain word, or a group of plain alternatives as the first word of each ("she's" gives both
 * "she", then "'s", and "shes"); undefined for anything else.
 */
function plainWords(e: string): string[] | undefined {
  let words: string[];
  if (/^[a-z]+$/.test(e)) words = [e];
  else {
    const m = /^\(([a-z' ]+(?:\|[a-z' ]+)*)\)$/.exec(e);
    if (!m) return undefined;
    words = m[1]!.split('|').flatMap((alt) => {
      const first = alt.trim().split(' ')[0]!;
      return first.includes("'") ? [first.split("'")[0]!, first.replace(/'/g, '')] : [first];
    });
  }
  return words.every((w) => w.length > 0) ? words : undefined;
}

/** Index of the ")" closing the group opened at s[i], or -1 (escapes and classes honoured). */
function groupClose(s: string, i: number): number {
  let depth = 0;
  for (let k = i; k < s.length; k++) {
    const ch = s[k];
    if (ch === '\\') k++;
    else if (ch === '[') {
      while (k < s.length && s[k] !== ']') k += s[k] === '\\' ? 2 : 1;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return k;
  }
  return -1;
}

/** s split at its top-level "|". */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let k = 0; k < s.length; k++) {
    const ch = s[k];
    if (ch === '\\') k++;
    else if (ch === '[') {
      while (k < s.length && s[k] !== ']') k += s[k] === '\\' ? 2 : 1;
    } else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      out.push(s.slice(from, k));
      from = k + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}

/** Top-level elements of a lower-case cue (split at spaces outside groups and classes); undefined for a top-level "|". */
function splitElements(s: string): string[] | undefined {
  const elems: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\') {
      cur += ch + (s[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '[') {
      const close = s.indexOf(']', i + 1);
      if (close < 0) return undefined;
      cur += s.slice(i, close + 1);
      i = close;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return undefined; // a top-level alternation: no single word is required
    if (ch === ' ' && depth === 0) {
      if (cur) elems.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur) elems.push(cur);
  return elems;
}

/** The cue's top-level elements, each as the words one of which it must contain, or undefined. */
function anchorElements(cue: string): (string[] | undefined)[] | undefined {
  const elems = splitElements(cue.trim().toLowerCase());
  if (!elems) return undefined;
  return elems.map((raw, i) => {
    // " ?" may join two words ("key ?cards?" matches "keycard"): neither is a whole word then.
    if (raw.startsWith('?') || elems[i + 1]?.startsWith('?')) return undefined;
    // A lookahead at the end ("(low|down)(?! battery)") does not change which words are required.
    // Optional groups in front, and groups whose every branch ends in a space, carry their own
    // space ("(really )?(low|down)", "(a |the )ting"): the word after them stands alone.
    const e = raw.replace(/\(\?[!=](?:[^()]|\([^()]*\))*\)$/, '').replace(/^(?:\((?:[^()]|\([^()]*\))*\)\?|\([^()|]* (?:\|[^()|]* )*\))+/, '');
    if (/^[a-z]+s\?$/.test(e)) return [e.slice(0, -2), e.slice(0, -1)]; // "stays?": stay or stays
    return plainWords(e);
  });
}

export interface CompileOptions {
  /** Put `\b` before cues that start with a word character (default true; a pure speed-up). */
  readonly wordStartHint?: boolean;
  /**
   * Index cues by their first characters and try each only at the word starts that fit (default
   * true; a pure speed-up: the tests compare every hit with the one-scan-per-rule matcher).
   */
  readonly index?: boolean;
  /** Require one word of every required word set (default true), not only of the best one. */
  readonly anchorGroups?: boolean;
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

const CASED_BEYOND_ASCII = /[\u00c0-\uffff]/;
/** Lower-cases A-Z only, so every offset stays valid (String#toLowerCase can change lengths). */
export function asciiLower(s: string): string {
  // Below U+00C0 only A-Z have a lower case, so there toLowerCase is the same and much faster.
  return CASED_BEYOND_ASCII.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s.toLowerCase();
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
/** Latin-1 characters that are letters, digits or "_" (the cues' word boundary), as a table. */
const LATIN1_WORD = Uint8Array.from({ length: 256 }, (_, c) => (WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 0));
/** The first `len` (1-3) characters of text at p as one number: a Map key with no string made. */
function keyCode(text: string, p: number, len: number): number {
  let k = len;
  for (let i = 0; i < len; i++) k = k * 256 + text.charCodeAt(p + i); // a small integer; a collision (above U+00FF) only adds a candidate
  return k;
}
const DIGIT_KEY = -1;

/** Anchor-id sets per alternative (undefined: that alternative can always match); undefined: no gate. */
type Gate = readonly (readonly (readonly number[])[] | undefined)[] | undefined;

interface CompiledRule {
  readonly codes: readonly IndicatorCode[];
  /** The codes as small integers (for dedupe keys). */
  readonly codeIds: readonly number[];
  readonly cue: readonly RegExp[];
  readonly context: readonly RegExp[] | undefined;
  readonly unless: readonly RegExp[] | undefined;
  /** Per alternative of context, unless and the scanned cues: required-word sets (see cueAnchorGroups). */
  readonly gate: { readonly context: Gate; readonly unless: Gate; readonly scan: Gate };
  readonly window: number;
  readonly negatable: boolean;
}

export interface IndicatorMatcher {
  /**
   * `text` must already have place names masked with PLACE_MASK (same length as the original).
   * `ruledOut`, when given, receives the codes of cues that matched but were negated or
   * cancelled by an `unless` phrase ("not scared", "knife and fork"): signs the text rules out.
   */
  find(text: string, ruledOut?: Set<IndicatorCode>): IndicatorHit[];
}

/** Builds the indicator matcher from the validated lexicon. */
export function createIndicatorMatcher(lex: IndicatorLexicon, opts: CompileOptions = {}): IndicatorMatcher {
  const useIndex = opts.index ?? true;
  const useGroups = opts.anchorGroups ?? true;
  const wrap = (ws: string[] | undefined): string[][] | undefined => (ws ? [ws] : undefined);
  // Cues whose first characters are known are tried (sticky) at the word starts they fit; the
  // rest of each rule's cues keep one scan of the text. `order` is the cue's place in its rule,
  // so that at one position the first listed cue wins, as in one alternation.
  interface IndexedCue {
    readonly rule: number;
    readonly order: number;
    readonly re: RegExp;
    /** Sets of anchor ids (anchorIds); the match contains one word of each. Undefined: always tried. */
    readonly anchors: readonly (readonly number[])[] | undefined;
    /** Index in `indexed`. */
    readonly id: number;
    /** What may follow each first word (cueFollowers), or undefined when it cannot be read. */
    readonly follow: Follower[] | undefined;
  }
  const indexed: IndexedCue[] = [];
  const anchorIds = new Map<string, number>();
  const anchorOf = (groups: readonly (readonly string[])[] | undefined): number[][] | undefined =>
    groups?.map((words) =>
      words.map((w) => {
        let id = anchorIds.get(w);
        if (id === undefined) anchorIds.set(w, (id = anchorIds.size));
        return id;
      }),
    );
  // Keys are the first one, two or three characters as one number (keyCode), "\\d" as DIGIT_KEY.
  const index = new Map<number, IndexedCue[]>();
  const wordIndex = new Map<string, IndexedCue[]>();
  const scanOrder: number[] = [];
  const scanCues = lex.rules.map((r: IndicatorRule, i) => {
    const rest: string[] = [];
    r.cues.forEach((c, order) => {
      const keys = useIndex ? cueFirstKeys(c) : undefined;
      if (!keys) {
        if (rest.length === 0) scanOrder[i] = order;
        rest.push(c);
        return;
      }
      let re: RegExp;
      try {
        re = new RegExp(`(?:${compileCue(c.toLowerCase())})(?![\\p{L}\\p{N}_])`, 'uy');
      } catch (err) {
        throw new ExtractContentError(`extract/indicators.yaml: rules[${i}].cues: bad cue (${(err as Error).message})`);
      }
      const entry: IndexedCue = { rule: i, order, re, anchors: anchorOf(useGroups ? cueAnchorGroups(c) : wrap(cueAnchorWords(c))), id: indexed.length, follow: useGroups ? cueFollowers(c) : undefined };
      indexed.push(entry);
      for (const k of keys) {
        if (k.startsWith('=')) {
          const list = wordIndex.get(k.slice(1)) ?? [];
          list.push(entry);
          wordIndex.set(k.slice(1), list);
          continue;
        }
        const code = k === '\\d' ? DIGIT_KEY : keyCode(k, 0, k.length);
        const list = index.get(code) ?? [];
        list.push(entry);
        index.set(code, list);
      }
    });
    return rest;
  });
  // What a word tells the matcher, worked out once per distinct word and kept: the cues that may
  // start at it (its whole-word key, its first one to three characters, "\\d") and its anchor id.
  // Reports reuse a small vocabulary, so after warm-up a word costs one Map lookup instead of four.
  // Context, unless and whole-text scan lists get the same required-word sets per alternative, so
  // a list none of whose alternatives can match this text is not run (registered here, before
  // the per-word arrays below are sized).
  const gateOf = (alts: readonly string[] | undefined): (number[][] | undefined)[] | undefined =>
    alts === undefined || !useIndex ? undefined : alts.map((a) => anchorOf(cueAnchorGroups(a)));
  const gates = lex.rules.map((r: IndicatorRule, i) => ({ context: gateOf(r.context), unless: gateOf(r.unless), scan: gateOf(scanCues[i]) }));

  interface WordInfo {
    readonly cues: readonly IndexedCue[] | undefined;
    /** Per cue (same order): ids (idOf) of the words that may come next in a match starting with this word; undefined: any. */
    readonly follows: readonly (readonly number[] | undefined)[];
    /** True when some cue needs a particular next word (else `cues` is the list for any next word). */
    readonly picky: boolean;
    /** The cues left for each next word (by id), made on first use (see cuesBefore). */
    readonly byNext: Map<number, readonly IndexedCue[]>;
    readonly anchor: number;
    readonly id: number;
  }
  // Looked up straight from the text's code units (no string per word); cleared with wordIds.
  const wordInfo = new WordTable<WordInfo>();
  // Word ids for the next-word check; cleared with wordInfo, only between calls (see find).
  const wordIds = new Map<string, number>();
  const idOf = (w: string): number => {
    let id = wordIds.get(w);
    if (id === undefined) wordIds.set(w, (id = wordIds.size));
    return id;
  };
  const infoOf = (w: string): WordInfo => {
    const found = new Set<IndexedCue>();
    const add = (list: readonly IndexedCue[] | undefined): void => {
      if (list) for (const ic of list) found.add(ic);
    };
    add(wordIndex.get(w));
    for (let n = 1; n <= Math.min(3, w.length); n++) add(index.get(keyCode(w, 0, n)));
    const c0 = w.charCodeAt(0);
    if (c0 >= 48 && c0 <= 57) add(index.get(DIGIT_KEY));
    // A cue whose first element cannot be this whole word is dropped for it ("travels?" is keyed
    // by "tra", which "trap" also starts); for the rest, the words that may follow.
    const cues: IndexedCue[] = [];
    const follows: (readonly number[] | undefined)[] = [];
    for (const ic of found) {
      const next = ic.follow === undefined ? undefined : followersOf(ic.follow, w);
      if (next === null) continue;
      cues.push(ic);
      follows.push(next?.map(idOf));
    }
    const picky = follows.some((f) => f !== undefined);
    return { cues: cues.length > 0 ? cues : undefined, follows, picky, byNext: new Map(), anchor: anchorIds.get(w) ?? -1, id: idOf(w) };
  };
  /** The cues that may start at a word (with cues) followed by the word `nextId` (-1: none). */
  const cuesBefore = (info: WordInfo, nextId: number): readonly IndexedCue[] => {
    const all = info.cues ?? [];
    if (!info.picky) return all;
    let list = info.byNext.get(nextId);
    if (list !== undefined) return list;
    list = all.filter((_, q) => {
      const allowed = info.follows[q];
      return allowed === undefined || (nextId >= 0 && allowed.includes(nextId));
    });
    // A word followed by very many different words (adversarial text) is not worth remembering.
    if (info.byNext.size < 1000) info.byNext.set(nextId, list);
    return list;
  };
  // Per call, stamped (no clearing between calls): a cue is open once one word of each of its
  // anchor sets has occurred, so each candidate then costs one look-up; cues without anchors are
  // always open. Sets are numbered globally (gid); groupsOfAnchor lists the sets a word is in.
  const groupsOfAnchor: number[][] = Array.from({ length: anchorIds.size }, () => []);
  const cueOfGroup: number[] = [];
  const groupCount = new Uint16Array(indexed.length + 1);
  const alwaysOpen: number[] = [];
  for (const ic of indexed) {
    if (ic.anchors === undefined) {
      alwaysOpen.push(ic.id);
      continue;
    }
    groupCount[ic.id] = ic.anchors.length;
    for (const set of ic.anchors) {
      const gid = cueOfGroup.length;
      cueOfGroup.push(ic.id);
      for (const a of new Set(set)) groupsOfAnchor[a]!.push(gid);
    }
  }
  const anchorSeen = new Uint32Array(anchorIds.size + 1);
  /** Where the word last starts in this call's text (valid when anchorSeen is this call's stamp). */
  const anchorLast = new Int32Array(anchorIds.size + 1);
  const groupSeen = new Uint32Array(cueOfGroup.length + 1);
  const cueSatStamp = new Uint32Array(indexed.length + 1);
  const cueSat = new Uint16Array(indexed.length + 1);
  const cueOpen = new Uint32Array(indexed.length + 1);
  let stamp = 0;

  const codeIds = new Map<string, number>();
  const codeId = (c: string): number => {
    let id = codeIds.get(c);
    if (id === undefined) codeIds.set(c, (id = codeIds.size));
    return id;
  };
  const rules: CompiledRule[] = lex.rules.map((r: IndicatorRule, i) => ({
    gate: gates[i]!,
    codes: r.codes,
    codeIds: r.codes.map(codeId),
    cue: scanCues[i]!.length > 0 ? compileAlternatives(scanCues[i]!, `rules[${i}].cues`, opts) : [],
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

  /** False when no alternative of a gated list can match the current text (every word set checked). */
  const possible = (gate: Gate): boolean => {
    if (gate === undefined) return true;
    for (const sets of gate) {
      if (sets === undefined) return true;
      let all = true;
      for (let g = 0; g < sets.length && all; g++) {
        const set = sets[g]!;
        let any = false;
        for (let k = 0; k < set.length && !any; k++) any = anchorSeen[set[k]!] === stamp;
        all = any;
      }
      if (all) return true;
    }
    return false;
  };
  const near = (res: readonly RegExp[], text: string, start: number, end: number, window: number): boolean => {
    const s = Math.max(0, start - window);
    return anyTest(res, text.slice(s, Math.min(text.length, end + window)));
  };

  return {
    find(original: string, ruledOut?: Set<IndicatorCode>): IndicatorHit[] {
      const text = asciiLower(original);
      const ruleOut = (rule: CompiledRule): void => {
        if (ruledOut) for (const c of rule.codes) ruledOut.add(c);
      };
      const out: IndicatorHit[] = [];
      const seen = new Set<number>();
      let marks: Marks | undefined;
      const negatedAt = new Map<number, boolean>();
      const consider = (rule: CompiledRule, start: number, end: number): void => {
        if (rule.context && !(possible(rule.gate.context) && near(rule.context, text, start, end, rule.window))) return;
        if (rule.unless && possible(rule.gate.unless) && near(rule.unless, text, start, end, rule.window)) return ruleOut(rule);
        if (rule.negatable) {
          let neg = negatedAt.get(start);
          if (neg === undefined) {
            marks ??= scanMarks(text);
            neg = negated(text, marks, start);
            negatedAt.set(start, neg);
          }
          if (neg) return ruleOut(rule);
        }
        for (let c = 0; c < rule.codes.length; c++) {
          const code = rule.codes[c]!;
          // code, start, end as one exact number (offsets below 2^21; extract() cuts texts at 200,000)
          const key = (rule.codeIds[c]! * 2_097_152 + start) * 2_097_152 + end;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ code, start, end });
        }
      };
      // Candidate matches (rule, cue order, span): indexed cues at fitting word starts, then the
      // per-rule scans. Per rule they are then taken as one left-to-right alternation would:
      // leftmost first, the first listed cue at a position, nothing overlapping a match.
      const evRule: number[] = [];
      const evOrder: number[] = [];
      const evStart: number[] = [];
      const evEnd: number[] = [];
      const push = (rule: number, order: number, start: number, end: number): void => {
        evRule.push(rule);
        evOrder.push(order);
        evStart.push(start);
        evEnd.push(end);
      };
      // One pass over the text: each word (a run of letters and digits) is looked up once; a
      // word at a word start brings the cues that may begin there, and every word marks its
      // anchor, so that a cue whose required words are all absent is not even tried. Cues are
      // tried after the pass, once every word is known.
      // Bounded: an adversarial stream of distinct words only ever costs a rebuild (between calls,
      // so that one call's word ids stay consistent).
      if (wordInfo.size >= 50_000 || wordIds.size >= 200_000) {
        wordInfo.clear();
        wordIds.clear();
      }
      if (++stamp === 0xffffffff) {
        anchorSeen.fill(0);
        groupSeen.fill(0);
        cueSatStamp.fill(0);
        cueOpen.fill(0);
        stamp = 1;
      }
      const at: number[] = [];
      const atInfo: WordInfo[] = [];
      const wordId: number[] = []; // idOf of every word, in order
      const atWord: number[] = []; // index in wordId of the word at each start
      let wordFrom = -1;
      let wordAtStart = false;
      let prevWordChar = false;
      let h = HASH_SEED;
      for (let i = 0; i <= text.length; i++) {
        const c = i < text.length ? text.charCodeAt(i) : 32;
        const wc = c < 256 ? LATIN1_WORD[c] === 1 : WORD_CHAR.test(text[i]!);
        const letterOrDigit = wc && c !== 95; // "_" splits words (cue separators allow it)
        if (letterOrDigit) {
          if (wordFrom < 0) {
            wordFrom = i;
            wordAtStart = !prevWordChar;
            h = HASH_SEED;
          }
          h = hashStep(h, c);
        } else if (wordFrom >= 0) {
          let info = wordInfo.get(text, wordFrom, i, h);
          if (info === undefined) {
            info = infoOf(text.slice(wordFrom, i));
            wordInfo.add(text.slice(wordFrom, i), h, info);
          }
          const a = info.anchor;
          wordId.push(info.id);
          if (a >= 0) anchorLast[a] = wordFrom;
          if (a >= 0 && anchorSeen[a] !== stamp) {
            anchorSeen[a] = stamp;
            for (const gid of groupsOfAnchor[a]!) {
              if (groupSeen[gid] === stamp) continue;
              groupSeen[gid] = stamp;
              const id = cueOfGroup[gid]!;
              if (cueSatStamp[id] !== stamp) {
                cueSatStamp[id] = stamp;
                cueSat[id] = 0;
              }
              if (++cueSat[id]! === groupCount[id]) cueOpen[id] = stamp;
            }
          }
          if (wordAtStart && info.cues !== undefined) {
            at.push(wordFrom);
            atInfo.push(info);
            atWord.push(wordId.length - 1);
          }
          wordFrom = -1;
        }
        prevWordChar = wc;
      }
      for (const id of alwaysOpen) cueOpen[id] = stamp;
      for (let s = 0; s < at.length; s++) {
        const p = at[s]!;
        // Only the cues whose first word may be followed by the next word (see cueFollowers).
        const cues = cuesBefore(atInfo[s]!, wordId[atWord[s]! + 1] ?? -1);
        for (let q = 0; q < cues.length; q++) {
          const ic = cues[q]!;
          if (cueOpen[ic.id] !== stamp) continue;
          // A match starting at p holds its required words at p or later: one of each set must
          // still occur from p on.
          const sets = ic.anchors;
          if (sets !== undefined) {
            let ok = true;
            for (let g = 0; g < sets.length && ok; g++) {
              ok = false;
              const set = sets[g]!;
              for (let k = 0; k < set.length && !ok; k++) {
                const a = set[k]!;
                ok = anchorSeen[a] === stamp && anchorLast[a]! >= p;
              }
            }
            if (!ok) continue;
          }
          // Sticky: test() leaves lastIndex at the match's end and builds no match array.
          const re = ic.re;
          re.lastIndex = p;
          if (re.test(text) && re.lastIndex > p) push(ic.rule, ic.order, p, re.lastIndex);
        }
      }
      rules.forEach((rule, r) => {
        if (rule.cue.length === 0 || !possible(rule.gate.scan)) return;
        for (const cue of rule.cue) {
          cue.lastIndex = 0;
          for (let m = cue.exec(text); m !== null; m = cue.exec(text)) {
            if (m[0].length === 0) cue.lastIndex++;
            else push(r, scanOrder[r] ?? 0, m.index, m.index + m[0].length);
          }
        }
      });
      const ids = evRule.map((_, k) => k);
      ids.sort((a, b) => evRule[a]! - evRule[b]! || evStart[a]! - evStart[b]! || evOrder[a]! - evOrder[b]!);
      let lastRule = -1;
      let lastStart = -1;
      let lastEnd = -1;
      for (const k of ids) {
        const r = evRule[k]!;
        if (r !== lastRule) {
          lastRule = r;
          lastStart = -1;
          lastEnd = -1;
        }
        const start = evStart[k]!;
        if (start === lastStart || start < lastEnd) continue;
        lastStart = start;
        lastEnd = evEnd[k]!;
        consider(rules[r]!, start, lastEnd);
      }
      return out.sort(compareHits);
    },
  };
}
