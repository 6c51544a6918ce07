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
const EXPLICIT_AFTER = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:line|number|phone|burner)s?\\s+(?:is\\s+|was\\s+|that's\\s+|thats\\s+)?(?:called|named|known\\s+as|goes\\s+by|branded(?:\\s+as)?|brand\\s+is|name\\s+is)\\s+(?:the\\s+)?${Q}?(${W})${QE}?(?:\\s+line)?(?![\\p{L}\\p{N}])`,
  'giu',
);
// "the Kash line", "the 'Kash' line", "KASH line", "Kash Line", "the big kash line".
const X_LINE = new RegExp(`(?<![\\p{L}\\p{N}])(?:(the)\\s+)?(${Q})?(${W}(?:\\s+${W})?)${QE}?\\s+line(?![\\p{L}\\p{N}])`, 'giu');
// Literal words the patterns above cannot match without (tested first, case-insensitively).
const LINE_WORD = /line/i;
const NAMING_WORD = /called|name|known|goes|brand/i;

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
      const taken = new Uint8Array(text.length + 1);
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
        const b = m[1] ?? '';
        if (brandOk(b, isPlaceName)) push(b, m.index + m[0].lastIndexOf(b));
      }
      X_LINE.lastIndex = saysLine ? 0 : text.length + 1;
      for (let m = X_LINE.exec(text); m !== null; m = X_LINE.exec(text)) {
        const hasThe = m[1] !== undefined;
        const quoted = m[2] !== undefined;
        let brand = m[3] ?? '';
        let brandStart = m.index + m[0].indexOf(brand, hasThe ? 3 : 0);
        const after = /^\s+([\p{L}]+)/u.exec(text.slice(m.index + m[0].length))?.[1]?.toLowerCase() ?? '';
        if (notAfter.has(after)) continue;
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
