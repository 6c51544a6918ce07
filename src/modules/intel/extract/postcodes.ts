/**
 * Full UK postcodes, normalised to upper case with one space ("PR25 4XX"). The outward code must
 * start with one of the 121 postcode areas (Royal Mail PAF), which keeps "b4 6pm"-style text out;
 * the unit letters are not checked so fictional units ("4XX", "9ZZ") used by demo data pass.
 */
import type { PostcodeEntity } from './types.ts';

// Royal Mail postcode areas (PAF), incl. Crown dependencies.
const AREAS = new Set(
  ('AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX FK FY ' +
    'G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR ' +
    'NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA ' +
    'WC WD WF WN WR WS WV YO ZE').split(' '),
);

// Outward: A9, A99, A9A, AA9, AA99, AA9A. Inward: 9AA. Up to two spaces between (typos).
const POSTCODE = /(?<![\p{L}\p{N}])([A-Za-z]{1,2})(\d[A-Za-z\d]?)[ \t\u00a0]{0,2}(\d[A-Za-z]{2})(?![\p{L}\p{N}])/gu;

export function findPostcodes(text: string): PostcodeEntity[] {
  const out: PostcodeEntity[] = [];
  POSTCODE.lastIndex = 0;
  for (let m = POSTCODE.exec(text); m !== null; m = POSTCODE.exec(text)) {
    const area = (m[1] ?? '').toUpperCase();
    const district = (m[2] ?? '').toUpperCase();
    const inward = (m[3] ?? '').toUpperCase();
    if (!AREAS.has(area)) continue;
    // Two-letter districts end in a letter only in London-style codes (EC1A, W1B, SW1A...).
    if (/[A-Z]$/.test(district) && district.length === 2 && area.length === 2 && !/^(EC|SW|WC|NW|SE)$/.test(area)) continue;
    // "b4 6pm", "m6 3am": times in lower-case text, not postcodes.
    if (/^\d(AM|PM)$/.test(inward) && m[0] !== m[0].toUpperCase()) continue;
    out.push({ type: 'postcode', value: `${area}${district} ${inward}`, start: m.index, end: m.index + m[0].length });
  }
  return out;
}
