/**
 * Domain types of the intelligence picture. The extraction shapes follow the contract in
 * ../shared/DESIGN.md (`lookout extract --jsonl`); column names stay in the repository.
 */

export const ENTITY_TYPES = ['phone', 'vehicle', 'postcode', 'handle', 'line_name', 'place'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const SOURCE_TYPES = ['report', 'referral', 'note', 'disclosure'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const LINE_STATUSES = ['active', 'closed_type1', 'closed_type2'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/** NCLCC closure terms (DOMAIN.md): Type 1 line holder charged, Type 2 number disconnected. */
export const LINE_STATUS_LABELS: Readonly<Record<LineStatus, string>> = {
  active: 'Active',
  closed_type1: 'Closed (Type 1: line holder charged)',
  closed_type2: 'Closed (Type 2: number disconnected)',
};

export interface ExtractedEntity {
  type: string;
  value: string;
  start: number;
  end: number;
}

export interface ExtractedIndicator {
  code: string;
  start: number;
  end: number;
}

export interface Extraction {
  entities: ExtractedEntity[];
  indicators: ExtractedIndicator[];
}

/** A pure extractor: text in, entities and indicators out (src/modules/intel/extract). */
export type Extractor = (text: string) => Extraction;

export interface IngestInput {
  sourceType: SourceType;
  sourceId: string;
  text: string;
  occurredAt: Date;
  ownerAgencyId: string;
  /** Where the source says it happened (a town), recorded as a place mention without a span. */
  area?: string | null;
}

/** What a registered module returns so a job can ingest its source by id. */
export interface SourceText {
  text: string;
  occurredAt: Date;
  ownerAgencyId: string;
  area?: string | null;
}

export type SourceLoader = (sourceType: SourceType, sourceId: string) => Promise<SourceText | null>;

export interface Entity {
  id: number;
  type: EntityType;
  value: string;
  firstSeen: Date;
  lastSeen: Date;
  mentionCount: number;
}

export interface LineNumber {
  id: number;
  number: string;
  activeFrom: Date;
  activeTo: Date | null;
}

export interface DealLine {
  id: number;
  brand: string;
  displayName: string;
  status: LineStatus;
  exportingArea: string | null;
  importingAreas: string[];
  ownerAgencyId: string;
  ownerUserId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type SuggestionKind = 'new_number' | 'multi_town' | 'number_change';

/** A suggestion as the engine proposes it (before it is stored). Discriminated by kind. */
export type SuggestionProposal =
  | { kind: 'new_number'; lineId: number; brand: string; number: string; ownerAgencyId: string }
  | { kind: 'number_change'; lineId: number; brand: string; number: string; replaces: string[]; ownerAgencyId: string }
  | { kind: 'multi_town'; number: string; places: string[]; lineId: number | null; ownerAgencyId: string };

export interface Suggestion {
  id: number;
  kind: SuggestionKind;
  lineId: number | null;
  ownerAgencyId: string;
  detail: SuggestionProposal;
  status: 'pending' | 'accepted' | 'rejected';
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
}

export interface Notification {
  id: number;
  userId: string | null;
  agencyId: string;
  kind: string;
  subjectType: string | null;
  subjectId: string | null;
  href: string | null;
  message: string;
  createdAt: Date;
  readAt: Date | null;
}

/** A notification to create (watchers return these). */
export interface NotificationDraft {
  userId: string | null;
  agencyId: string;
  kind: string;
  subjectType?: string | null;
  subjectId?: string | null;
  href?: string | null;
  message: string;
}

/** What watchers are told after each ingest that added mentions. */
export interface IngestedContext {
  sourceType: SourceType;
  sourceId: string;
  ownerAgencyId: string;
  occurredAt: Date;
  entities: { id: number; type: EntityType; value: string }[];
}

export function isEntityType(v: string): v is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(v);
}

export function isLineStatus(v: string): v is LineStatus {
  return (LINE_STATUSES as readonly string[]).includes(v);
}
