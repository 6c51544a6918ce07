/**
 * Entity and indicator extraction for report text: phones, vehicles, postcodes, handles, deal-line
 * names, places and DOMAIN.md indicator codes, each with its UTF-16 span. Indicators come from the
 * cue lexicon (indicators.ts), backed up by a classifier for signs in other words (classifier.ts).
 * Pure: no database, no clock, no randomness. Content (lexicons, gazetteer, the model and its
 * word clusters) is read once, on first use, from content/.
 * Contract: DESIGN.md "Contracts other code and checks rely on" (`lookout extract --jsonl`).
 */
import { findHandles } from './handles.ts';
import { clusterIndex, createIndicatorClassifier } from './classifier.ts';
import { createIndicatorMatcher, PLACE_MASK, toMatchText } from './indicators.ts';
import type { ExtractContent } from './lexicon.ts';
import { loadExtractContent } from './lexicon.ts';
import { createLineMatcher } from './line-names.ts';
import { createPlaceMatcher } from './places.ts';
import { findPhones } from './phones.ts';
import { findPostcodes } from './postcodes.ts';
import type { Entity, ExtractResult, IndicatorCode, IndicatorHit } from './types.ts';
import { compareHits } from './types.ts';
import { findVehicles } from './vehicles.ts';
import { scratchMarks, SLOT } from './scratch.ts';

export type { Entity, ExtractResult, IndicatorHit } from './types.ts';

/** Texts longer than this are cut before extraction (a report form caps narratives far lower). */
export const MAX_TEXT_LENGTH = 200_000;

export type Extractor = (text: string) => ExtractResult;

/** Builds an extractor from validated content (see lexicon.ts); tests pass their own content. */
export function createExtractor(content: ExtractContent): Extractor {
  const places = createPlaceMatcher(content.gazetteer, content.places);
  const lines = createLineMatcher(content.lines);
  const indicators = createIndicatorMatcher(content.indicators);
  const classifier = content.classifier && createIndicatorClassifier(content.classifier.model, clusterIndex(content.classifier.clusters));
  const placeNames = new Set<string>();
  for (const p of content.gazetteer) {
    placeNames.add(p.name.toLowerCase());
    for (const a of p.aliases ?? []) placeNames.add(a.toLowerCase());
  }
  const isPlaceName = (w: string): boolean => placeNames.has(w.toLowerCase());

  const marks = (n: number): Uint8Array => scratchMarks(SLOT.extract, n);

  return (input: string): ExtractResult => {
    const text = input.length > MAX_TEXT_LENGTH ? input.slice(0, MAX_TEXT_LENGTH) : input;
    // Most specific first; a later finder may not claim a span an earlier one already holds
    // ("PR25 4XX" is a postcode, never part of a phone or a plate).
    // Claimed code units, so each check is O(span) and 10,000 plates in one text stay linear.
    const entities: Entity[] = [];
    const taken = marks(text.length + 1);
    const claim = (found: readonly Entity[]): void => {
      for (const e of found) {
        let free = true;
        for (let i = e.start; i < e.end && free; i++) if (taken[i] === 1) free = false;
        if (!free) continue;
        taken.fill(1, e.start, e.end);
        entities.push(e);
      }
    };
    claim(findPhones(text));
    claim(findPostcodes(text));
    claim(findVehicles(text));
    claim(findHandles(text));
    const placeHits = places.find(text);
    claim(lines.find(text, isPlaceName));
    claim(placeHits);
    entities.sort((a, b) => a.start - b.start || a.end - b.end);

    // Indicator cues see places as {place} and curly quotes as straight ones; lengths are kept so
    // spans stay valid in the original text.
    const plain = toMatchText(text);
    const parts: string[] = [];
    let at = 0;
    for (const p of placeHits) {
      if (p.start < at) continue;
      parts.push(plain.slice(at, p.start), PLACE_MASK.repeat(p.end - p.start));
      at = p.end;
    }
    parts.push(plain.slice(at));
    const masked = parts.join('');
    const ruledOut = new Set<IndicatorCode>();
    const hits: IndicatorHit[] = indicators.find(masked, ruledOut);
    // Someone said to live in one town and named in another is out of their area (DOMAIN.md:
    // "found in or travelling to places with no link to them"): "lifted in Blackpool, he's from
    // Salford", "stop-search at Preston bus station; lives in Walsall".
    const away = awayFromHome(masked, placeHits);
    if (away && !hits.some((h) => h.code === 'out_of_area')) hits.push({ code: 'out_of_area', start: away.start, end: away.end });
    // A branded line is itself a deal-line sign (DOMAIN.md: "the X line").
    if (entities.some((e) => e.type === 'line_name')) {
      const dealt = marks(text.length + 1); // `taken` is done with
      for (const h of hits) if (h.code === 'deal_line_activity') dealt.fill(1, h.start, h.end);
      for (const e of entities) {
        if (e.type !== 'line_name' || dealt.subarray(e.start, e.end).includes(1)) continue;
        hits.push({ code: 'deal_line_activity', start: e.start, end: e.end });
      }
    }
    // Signs in words no cue lists: the classifier adds a code the cues neither found nor ruled
    // out (negated, or an everyday sense), with the sentence that shows it as its span.
    if (classifier) {
      for (const h of hits) ruledOut.add(h.code);
      hits.push(...classifier.find(text, ruledOut));
    }
    hits.sort(compareHits);
    return { entities, indicators: hits };
  };
}

/** Words before a place that say someone lives there ("lives in", "he's from", "we're in"). */
const HOME_BEFORE =
  /(?:\b(?:lives?|living|resides?|resident|based|home address(?: is)?|home is|address (?:is )?(?:in|at)|family (?:is |are )?(?:in|from))\s+(?:(?:in|at|near|over in|out in|up in|down in)\s+)?|\b(?:is|he's|she's|hes|shes|they're|theyre|are|was|were|comes?|came|originally|yo|y\/o|year old|years old|lad|lads|boy|boys|girl|girls|kid|kids|child|male|female|teenager|teen|youth|adults?|men|man|woman)\s+from\s+|\b(?:we're|we are|we live|i'm|im|i am|i live|we're all)\s+(?:in|at|near|from)\s+)$/;

/**
 * When the text says where someone lives (a place just after HOME_BEFORE) and names another
 * town, the span of that home phrase; otherwise undefined. Places compare by canonical name,
 * so a station and the town it serves are one place.
 */
function awayFromHome(masked: string, places: readonly Entity[]): { start: number; end: number } | undefined {
  if (places.length < 2 || new Set(places.map((p) => p.value)).size < 2) return undefined;
  const text = masked.toLowerCase(); // one-byte text: lengths and offsets stay
  for (const p of places) {
    const before = text.slice(Math.max(0, p.start - 40), p.start);
    const m = HOME_BEFORE.exec(before);
    if (!m) continue;
    if (!places.some((o) => o.value !== p.value)) continue;
    return { start: p.start - m[0].length, end: p.end };
  }
  return undefined;
}

let defaultExtractor: Extractor | undefined;

/** Extracts entities and indicators using the content shipped in content/. */
export function extract(text: string): ExtractResult {
  defaultExtractor ??= createExtractor(loadExtractContent());
  return defaultExtractor(text);
}

/** Runs `extract` over `texts` and reports throughput; for `lookout bench intel`. */
export function benchExtract(texts: readonly string[], now: () => number = () => performance.now()): { reports: number; ms: number; perSecond: number; entities: number; indicators: number } {
  extract(''); // load content outside the timed loop
  let entities = 0;
  let indicators = 0;
  const t0 = now();
  for (const t of texts) {
    const r = extract(t);
    entities += r.entities.length;
    indicators += r.indicators.length;
  }
  const ms = now() - t0;
  return { reports: texts.length, ms, perSecond: ms > 0 ? (texts.length / ms) * 1000 : Infinity, entities, indicators };
}
