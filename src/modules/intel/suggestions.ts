/**
 * The suggestions engine: a pure function of what one ingested source mentions and what the
 * register already knows. It proposes (a) a new number for a known brand, (b) one number seen in
 * several towns, (c) a brand's number changing (a new number while the current one goes quiet).
 * The brand outlives the number: numbers are swapped every few weeks (DOMAIN.md "The crime model"),
 * so linking old and new numbers is core intelligence work. Analysts accept or reject each.
 */
import type { SuggestionProposal } from './intel.types.ts';

export interface SuggestionLine {
  id: number;
  brand: string;
  numbers: { number: string; activeTo: Date | null }[];
}

export interface SuggestionContext {
  ownerAgencyId: string;
  now: Date;
  /** E.164 numbers mentioned by the source just ingested. */
  phones: readonly string[];
  /** Line names (brands, lower case) mentioned by the source. */
  brands: readonly string[];
  /** The agency's lines whose brand is mentioned or which hold one of the phones. */
  lines: readonly SuggestionLine[];
  /** Per phone in the source: the distinct places co-mentioned with it in the agency's sources. */
  phonePlaces: Readonly<Record<string, readonly string[]>>;
  /** When each current number of those lines was last mentioned (absent: never). */
  lastSeen: Readonly<Record<string, Date>>;
  /** A current number not mentioned for this many days counts as quiet. */
  quietDays?: number;
  /** A number co-mentioned with at least this many distinct places is "seen in several towns". */
  minTowns?: number;
}

export const DEFAULT_QUIET_DAYS = 14;
export const DEFAULT_MIN_TOWNS = 3;

const DAY_MS = 86_400_000;

/** Proposes suggestions for one source; deterministic (sorted) output. */
export function proposeSuggestions(ctx: SuggestionContext): SuggestionProposal[] {
  const quietDays = ctx.quietDays ?? DEFAULT_QUIET_DAYS;
  const minTowns = ctx.minTowns ?? DEFAULT_MIN_TOWNS;
  const out: SuggestionProposal[] = [];
  const phones = [...new Set(ctx.phones)].sort();
  const brands = new Set(ctx.brands);
  // A number already on any line's list is never offered to another brand from the same text.
  const onSomeLine = new Map<string, number>();
  for (const line of ctx.lines) for (const n of line.numbers) if (!onSomeLine.has(n.number) || n.activeTo === null) onSomeLine.set(n.number, line.id);

  const lines = [...ctx.lines].sort((a, b) => a.id - b.id);
  for (const line of lines) {
    if (!brands.has(line.brand)) continue;
    const current = line.numbers.filter((n) => n.activeTo === null).map((n) => n.number);
    const quietSince = ctx.now.getTime() - quietDays * DAY_MS;
    const allQuiet = current.length > 0 && current.every((n) => (ctx.lastSeen[n]?.getTime() ?? 0) < quietSince);
    for (const phone of phones) {
      if (onSomeLine.has(phone)) continue;
      if (allQuiet) {
        out.push({ kind: 'number_change', lineId: line.id, brand: line.brand, number: phone, replaces: [...current].sort(), ownerAgencyId: ctx.ownerAgencyId });
      } else {
        out.push({ kind: 'new_number', lineId: line.id, brand: line.brand, number: phone, ownerAgencyId: ctx.ownerAgencyId });
      }
    }
  }

  for (const phone of phones) {
    const places = [...new Set(ctx.phonePlaces[phone] ?? [])].sort();
    if (places.length < minTowns) continue;
    out.push({ kind: 'multi_town', number: phone, places, lineId: onSomeLine.get(phone) ?? null, ownerAgencyId: ctx.ownerAgencyId });
  }
  return out;
}

/**
 * The key that stops a suggestion being made twice (also after a rejection). A new number and a
 * number change for the same line and number share a key: the analyst decides once.
 */
export function dedupeKey(p: SuggestionProposal): string {
  if (p.kind === 'multi_town') return `multi_town:${p.ownerAgencyId}:${p.number}`;
  return `number:${p.lineId}:${p.number}`;
}

/** A one-line description for lists; names no source and no protected text. */
export function describeSuggestion(p: SuggestionProposal): string {
  switch (p.kind) {
    case 'new_number':
      return `New number ${p.number} mentioned with the "${p.brand}" line`;
    case 'number_change':
      return `The "${p.brand}" line may have changed number: ${p.replaces.join(', ')} has gone quiet and ${p.number} is mentioned with the brand`;
    case 'multi_town':
      return `${p.number} has been mentioned with ${p.places.length} towns: ${p.places.join(', ')}`;
  }
}
