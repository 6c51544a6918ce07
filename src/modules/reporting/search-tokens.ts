/**
 * Search without plaintext. A report's text is reduced to normalised tokens (words of the
 * narrative, phone numbers in E.164, vehicle registrations, postcodes, handles, line names) and
 * only a keyed HMAC of each is stored, so the database can answer "which reports mention
 * 07700 900123?" without holding the number. The key is derived from SESSION_SECRET and never
 * stored. Extraction here is a pure function of the text (no database, no clock).
 */
import * as nodeCrypto from 'node:crypto';
import { createHash, hkdfSync } from 'node:crypto';
import { findPhones } from '../intel/extract/phones.ts';

export type TokenKind = 'word' | 'phone' | 'vehicle' | 'postcode' | 'handle' | 'line';

export interface Token {
  kind: TokenKind;
  value: string;
}

// Common English words that say nothing about a report (a short list: recall matters more).
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by can
  could did do does doing down during each few for from further had has have having he her here hers herself him himself his how
  i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out
  over own same she should so some such than that the their theirs them themselves then there these they this those through to
  too under until up very was we were what when where which while who whom why will with would you your yours yourself
  yourselves im ive dont didnt isnt wasnt theyre theres thats also got get like just really saw seen see`.split(/\s+/),
);

const POSTCODE = /\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b/gi;
// Current-format UK registrations (AB12 CDE); older formats come through the vehicles list.
const VEHICLE = /\b([A-Z]{2}[0-9]{2}) ?([A-Z]{3})\b/gi;
const HANDLE = /(?:^|[^\p{L}\p{N}_.@])@([A-Za-z0-9_.]{2,30})/gu;
const LINE_NAME = /\b(?:the\s+)?([\p{L}\p{N}]{2,30})\s+line\b/giu;

export function normalisePostcode(s: string): string | null {
  const m = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/.exec(s.toUpperCase().replace(/\s+/g, ' ').trim());
  return m ? `${m[1]} ${m[2]}` : null;
}

export function normaliseVehicle(s: string): string | null {
  const v = s.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return v.length >= 2 && v.length <= 8 ? v : null;
}

export function normaliseHandle(s: string): string | null {
  const h = s.trim().replace(/^@+/, '').toLowerCase();
  return /^[\p{L}\p{N}_.]{1,40}$/u.test(h) ? h : null;
}

export function normaliseLineName(s: string): string | null {
  const n = s
    .toLowerCase()
    .replace(/\bline\b/g, '')
    .replace(/^\s*the\s+/, '')
    .replace(/[^\p{L}\p{N} ]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return n.length >= 2 && n.length <= 40 ? n : null;
}

/**
 * E.164 numbers in free text: the intelligence extractor's phone finder (src/modules/intel/extract/
 * phones.ts), so a search token and an intel entity always agree on what a number is. POSSIBLE
 * leniency keeps Ofcom's drama ranges (07700 900xxx); usual UK shapes skip libphonenumber, which
 * cost the public intake about 0.1 ms a report.
 */
export function phonesIn(text: string): Array<{ e164: string; start: number; end: number }> {
  return findPhones(text).map((p) => ({ e164: p.value, start: p.start, end: p.end }));
}

/** Lower-cased words (letters and digits, NFKC), stop words and single characters dropped. */
export function wordsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu)) {
    const w = m[0].replace(/['’]/g, '');
    if (w.length < 2 || w.length > 40 || STOP_WORDS.has(w)) continue;
    out.push(w);
  }
  return out;
}

/** Entities (not words) found in any free text. */
export function entitiesIn(text: string): Token[] {
  const out: Token[] = [];
  for (const p of phonesIn(text)) out.push({ kind: 'phone', value: p.e164 });
  for (const m of text.matchAll(POSTCODE)) out.push({ kind: 'postcode', value: `${m[1]!.toUpperCase()} ${m[2]!.toUpperCase()}` });
  for (const m of text.matchAll(VEHICLE)) out.push({ kind: 'vehicle', value: `${m[1]}${m[2]}`.toUpperCase() });
  for (const m of text.matchAll(HANDLE)) out.push({ kind: 'handle', value: m[1]!.toLowerCase().replace(/\.+$/, '') });
  for (const m of text.matchAll(LINE_NAME)) {
    const n = normaliseLineName(m[1]!);
    if (n && !STOP_WORDS.has(n)) out.push({ kind: 'line', value: n });
  }
  return out;
}

export interface TokenSource {
  /** Free text whose words are indexed (narrative, what, who, where, when). */
  texts: string[];
  phones: string[];
  lineNames: string[];
  vehicles: string[];
  handles: string[];
  postcodes: string[];
}

/** Every distinct token of a report. */
export function tokensOf(src: TokenSource): Token[] {
  const seen = new Map<string, Token>();
  const add = (t: Token | null) => {
    if (t && t.value) seen.set(`${t.kind}:${t.value}`, t);
  };
  for (const text of src.texts) {
    for (const w of wordsIn(text)) add({ kind: 'word', value: w });
    for (const e of entitiesIn(text)) add(e);
  }
  for (const p of src.phones) {
    const found = phonesIn(p);
    if (found.length) for (const f of found) add({ kind: 'phone', value: f.e164 });
  }
  for (const l of src.lineNames) {
    const n = normaliseLineName(l);
    add(n ? { kind: 'line', value: n } : null);
  }
  for (const v of src.vehicles) {
    const n = normaliseVehicle(v);
    add(n ? { kind: 'vehicle', value: n } : null);
  }
  for (const h of src.handles) {
    const n = normaliseHandle(h);
    add(n ? { kind: 'handle', value: n } : null);
  }
  for (const p of src.postcodes) {
    const n = normalisePostcode(p);
    add(n ? { kind: 'postcode', value: n } : null);
  }
  return [...seen.values()];
}

/**
 * Tokens of a search query. Entities (phones, postcodes, registrations, handles) are matched as
 * such; remaining words match narrative words. A report matches when it has every query token.
 */
export function queryTokens(query: string): Token[] {
  const q = query.slice(0, 500);
  const ents = entitiesIn(q).filter((t) => t.kind !== 'line');
  let rest = q;
  for (const p of phonesIn(q)) rest = rest.slice(0, p.start) + ' '.repeat(p.end - p.start) + rest.slice(p.end);
  rest = rest.replace(POSTCODE, ' ').replace(VEHICLE, ' ').replace(HANDLE, ' ');
  const seen = new Map<string, Token>();
  for (const t of ents) seen.set(`${t.kind}:${t.value}`, t);
  for (const w of wordsIn(rest)) seen.set(`word:${w}`, { kind: 'word', value: w });
  return [...seen.values()];
}

export type TokenHasher = (t: Token) => string;

/**
 * A keyed hash of "kind:value": SHA-256 over a 256-bit secret (derived from the server secret)
 * followed by the token, truncated to 128 bits, base64url. With a fixed-length secret prefix and
 * truncated output this is a PRF (truncation rules out length extension), and it costs a quarter
 * of an HMAC per token through Node's one-shot hash, which matters at ~60 tokens a report.
 */
export function createTokenHasher(sessionSecret: string): TokenHasher {
  const prefix = Buffer.from(hkdfSync('sha256', sessionSecret, 'lookout', 'report-search-token-v1', 32)).toString('hex');
  const oneShot = (nodeCrypto as { hash?: (alg: string, data: string, enc: 'base64url') => string }).hash;
  if (oneShot) return (t) => oneShot('sha256', `${prefix}\u0000${t.kind}:${t.value}`, 'base64url').slice(0, 22);
  return (t) => createHash('sha256').update(`${prefix}\u0000${t.kind}:${t.value}`).digest().subarray(0, 16).toString('base64url');
}
