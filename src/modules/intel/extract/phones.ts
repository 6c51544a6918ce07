/**
 * Phone numbers in free text, as E.164. libphonenumber-js does the parsing with leniency
 * POSSIBLE: Ofcom's drama ranges (07700 900xxx, 0161 496 0xxx...) are "possible" but not "valid"
 * numbers, and our synthetic data uses nothing else (DOMAIN.md "Synthetic data rules").
 * The library costs ~80us per call, which alone would cap us below 5,000 reports/s, so a cheap
 * scan first finds digit runs; a run that is exactly one UK number in a usual shape (0 + 10
 * digits, +44 / 0044 + 10 digits, "+44 (0)") is converted directly, with the same length and
 * leading-digit checks POSSIBLE applies; anything else (several numbers in one run, foreign
 * numbers) goes to findNumbers.
 */
import { findNumbers } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';
import type { PhoneEntity } from './types.ts';

/** A run of digits and the separators people type inside numbers; no "/" or ":" (dates, times). "(+44) 7700..." too. */
const RUN = /(?:\(\+|\+?\(?)\d[\d \t().\u00a0-]{7,}\d/g;
/** Longer runs are junk (digit dumps); a real number with separators fits easily. */
const MAX_RUN = 400;
/** Labels that make a digit string a reference, not a phone number. */
const REFERENCE_BEFORE = /(?:\b(?:ref|reference|crime|incident|case|(?<!call |phone )log|account|acc|acct|sort code|order|invoice|policy|serial|imei|ni|nino|receipt|ticket|booking|tracking)\b\.?\s*(?:no\.?|number|num|nr|#)?\s*[:#]?\s*)$/i;
// The library reads `leniency` at run time but its typings omit it (libphonenumber-js
// README, "findNumbers(text, [defaultCountry], [options])": leniency 'POSSIBLE' checks length only).
const FIND_OPTIONS: { defaultCountry: CountryCode; v2: true; leniency: 'POSSIBLE' } = { defaultCountry: 'GB', v2: true, leniency: 'POSSIBLE' };
const DATE_LIKE = /^\d{1,2}[.-]\d{1,2}[.-]\d{2,4}\b/;

/** E.164 for a run that is exactly one UK number, or undefined to let the library decide. */
export function ukFastPath(run: string): string | undefined {
  const trimmed = run.replace(/[ \t().\u00a0-]+$/, '');
  let digits = trimmed.replace(/\(0\)/, (m, off: number) => (/^\s*(?:\+|00)\s*44/.test(trimmed.slice(0, off)) ? '' : m)).replace(/[^\d+]/g, '');
  if (digits.indexOf('+') > 0) return undefined;
  if (digits.startsWith('+44')) digits = digits.slice(3);
  else if (digits.startsWith('0044')) digits = digits.slice(4);
  else if (digits.startsWith('0') && !digits.startsWith('00')) digits = digits.slice(1);
  else if (digits.startsWith('447') && digits.length === 12) digits = digits.slice(2); // "44 7700 900290": +44 with the plus left off
  else return undefined;
  if (digits.startsWith('0')) digits = digits.slice(1); // "+44 07700..." written with the trunk 0
  if (digits.length !== 10 || !/^[1237-9]/.test(digits)) return undefined;
  return `+44${digits}`;
}

function countOf(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

export function findPhones(text: string): PhoneEntity[] {
  const out: PhoneEntity[] = [];
  const pushFast = (runStart: number, runEnd: number, value: string): void => {
    let start = runStart;
    let end = runEnd;
    // Brackets around the whole number ("(07700 900101)") belong to the prose, not the number.
    while (end > start && /[ \t.\-\u00a0)]/.test(text.charAt(end - 1)) && !(text.charAt(end - 1) === ')' && countOf(text.slice(start, end), '(') >= countOf(text.slice(start, end), ')'))) end--;
    if (text.charAt(start) === '(' && countOf(text.slice(start, end), '(') > countOf(text.slice(start, end), ')')) start++;
    const raw = text.slice(start, end);
    const unbalanced = raw.split('(').length !== raw.split(')').length;
    if (!DATE_LIKE.test(raw) && !unbalanced && !REFERENCE_BEFORE.test(text.slice(Math.max(0, start - 30), start)) && !/[\p{L}]/u.test(text.charAt(start - 1)) && !/[\p{L}]/u.test(text.charAt(end))) {
      out.push({ type: 'phone', value, start, end });
    }
  };
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m !== null; m = RUN.exec(text)) {
    const run = m[0];
    if (run.length > MAX_RUN) continue;
    const fast = /^(?:\(?\+|\(?0|44[ \t\u00a0-]?7)/.test(run) ? ukFastPath(run) : undefined;
    if (fast) {
      pushFast(m.index, m.index + run.length, fast);
      continue;
    }
    // Several numbers in one run ("07700 900101 07700 900102") or a number then a count
    // ("07700 900199 2 for 15"): walk the space-separated groups, taking each stretch that is
    // exactly one UK number.
    if (/[ \t\u00a0]/.test(run)) {
      const groups = [...run.matchAll(/[^ \t\u00a0]+/g)];
      let took = false;
      for (let i = 0; i < groups.length; i++) {
        if (!/^(?:\(?\+|\(?0)/.test(groups[i]![0])) continue;
        let digits = 0;
        for (let j = i; j < groups.length && digits <= 14; j++) {
          digits += groups[j]![0].replace(/\D/g, '').length;
          if (j === i && j === groups.length - 1) break; // the whole run: already tried
          const from = groups[i]!.index;
          const to = groups[j]!.index + groups[j]![0].length;
          if (from === 0 && to === run.length) break;
          const value = ukFastPath(run.slice(from, to));
          if (value) {
            pushFast(m.index + from, m.index + to, value);
            took = true;
            i = j;
            break;
          }
        }
      }
      if (took) continue;
    }
    let found;
    try {
      found = findNumbers(run, FIND_OPTIONS);
    } catch {
      continue;
    }
    for (const f of found) {
      const start = m.index + f.startsAt;
      const end = m.index + f.endsAt;
      const raw = text.slice(start, end);
      // People write UK numbers with their trunk "0" or an international prefix; a bare digit
      // string starting 1-9 is a reference, a count or a date far more often than a phone.
      if (!/^(?:\(?\+|\(?0)/.test(raw)) continue;
      if (DATE_LIKE.test(raw)) continue;
      const num = f.number;
      if (num.country === 'GB' || num.countryCallingCode === '44') {
        // All geographic and mobile UK numbers (and every drama range) have 10 national digits.
        if (num.nationalNumber.length !== 10) continue;
        if (!/^[1237-9]/.test(num.nationalNumber)) continue;
      }
      if (REFERENCE_BEFORE.test(text.slice(Math.max(0, start - 30), start))) continue;
      if (/[\p{L}\p{N}]/u.test(text.charAt(end)) || /[\p{L}]/u.test(text.charAt(start - 1))) continue;
      out.push({ type: 'phone', value: num.number, start, end });
    }
  }
  return out;
}
