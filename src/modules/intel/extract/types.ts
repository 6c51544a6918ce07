/**
 * Result types of entity and indicator extraction. Offsets are UTF-16 code-unit indices into the
 * input string (what JavaScript's String#slice uses), `end` exclusive.
 */

/** Indicator codes: the product contract in ../shared/DOMAIN.md "Indicator taxonomy". */
import { INDICATOR_CODES, type IndicatorCode } from '../../../indicators.ts';

/** The indicator taxonomy (one list for the whole product: src/indicators.ts). */
export { INDICATOR_CODES, type IndicatorCode };

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Phone number in E.164 ("+447700900123"). */
export interface PhoneEntity extends Span {
  readonly type: 'phone';
  readonly value: string;
}
/** UK registration, upper case, no spaces ("BD51SMR"). */
export interface VehicleEntity extends Span {
  readonly type: 'vehicle';
  readonly value: string;
}
/** Full UK postcode, upper case, one space ("PR25 4XX"). */
export interface PostcodeEntity extends Span {
  readonly type: 'postcode';
  readonly value: string;
}
/** Social media handle, lower case, no "@". */
export interface HandleEntity extends Span {
  readonly type: 'handle';
  readonly value: string;
}
/** Deal-line brand, lower case, without the word "line" ("kash"). */
export interface LineNameEntity extends Span {
  readonly type: 'line_name';
  readonly value: string;
}
/** Canonical gazetteer town or city name ("Preston"). */
export interface PlaceEntity extends Span {
  readonly type: 'place';
  readonly value: string;
}

export type Entity = PhoneEntity | VehicleEntity | PostcodeEntity | HandleEntity | LineNameEntity | PlaceEntity;
export type EntityType = Entity['type'];

export interface IndicatorHit extends Span {
  readonly code: IndicatorCode;
}

export interface ExtractResult {
  readonly entities: Entity[];
  readonly indicators: IndicatorHit[];
}

/**
 * Each code's place in `localeCompare` order, worked out once: comparing ranks orders hits exactly
 * as `a.code.localeCompare(b.code)` does, without an ICU call for every two hits on one span.
 */
const CODE_RANK = new Map<string, number>();
{
  const sorted = [...INDICATOR_CODES].sort((a, b) => a.localeCompare(b));
  let rank = 0;
  sorted.forEach((c, i) => {
    if (i > 0 && sorted[i - 1]!.localeCompare(c) !== 0) rank++;
    CODE_RANK.set(c, rank);
  });
}

/** Hits by start, then end, then code in `localeCompare` order. */
export function compareHits(a: IndicatorHit, b: IndicatorHit): number {
  return a.start - b.start || a.end - b.end || (CODE_RANK.get(a.code) ?? 0) - (CODE_RANK.get(b.code) ?? 0);
}

/** True when [a) and [b) share at least one code unit. */
export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}
