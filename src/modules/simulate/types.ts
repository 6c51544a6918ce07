/**
 * Record shapes written by `lookout simulate` (one JSON object per line) and, later, loaded into
 * the database. Every record carries a `kind` discriminant. Dates are `YYYY-MM-DD`, times are ISO
 * 8601 UTC; phone numbers are E.164 and always in Ofcom's drama ranges (DOMAIN.md "Synthetic data
 * rules"). Nothing here describes a real person, number or place of residence.
 */

import { INDICATOR_CODES, type IndicatorCode } from '../../indicators.ts';

/** The indicator taxonomy (one list for the whole product: src/indicators.ts). */
export { INDICATOR_CODES, type IndicatorCode };

/** Vulnerability factors (DOMAIN.md: recorded, but not signs of exploitation themselves); the ids content/screening.yaml uses. */
export const VULNERABILITIES = [
  'learning_disability',
  'autism',
  'in_care',
  'leaving_care',
  'excluded_from_school',
  'past_abuse_neglect',
  'homeless',
  'insecure_immigration',
  'known_to_cjs',
  'substance_misuse',
  'mental_health',
] as const;
export type Vulnerability = (typeof VULNERABILITIES)[number];

export type Severity = 'low' | 'medium' | 'high';
export type IsoDate = string;
export type IsoTime = string;

export interface PlaceRecord {
  kind: 'place';
  id: string;
  name: string;
  place_kind: string;
  county: string;
  region: string;
  lat: number;
  lon: number;
  /** exporting: a city that runs lines out; importing: a town supplied by them. */
  role: 'exporting' | 'importing';
  postcode_districts: string[];
}

export interface LineRecord {
  kind: 'line';
  id: string;
  /** The brand persists while numbers rotate ("the Kash line" -> brand "Kash"). */
  brand: string;
  exporting_place_id: string;
  importing_place_ids: string[];
  holder_person_id: string;
  /** May be before the simulated calendar starts: most lines are already established. */
  active_from: IsoDate;
  /** Null while still running at the end of the simulated period. */
  active_to: IsoDate | null;
  /** NCLCC closure types: 1 line holder arrested and charged, 2 number disconnected. */
  closure: { type: 1 | 2; date: IsoDate } | null;
  /** Exporting and importing areas in different counties (a proxy for two police forces). */
  cross_border: boolean;
}

export interface LineNumberRecord {
  kind: 'line_number';
  id: string;
  line_id: string;
  number: string;
  from: IsoDate;
  /** Exclusive end date; null when still in use at the end of the period. */
  to: IsoDate | null;
  end_reason: 'rotated' | 'type1_closure' | 'type2_closure' | null;
}

export type PersonRole = 'line_holder' | 'older' | 'runner' | 'cuckooed_resident';

export interface PersonRecord {
  kind: 'person';
  id: string;
  role: PersonRole;
  line_id: string;
  given_name: string;
  family_name: string;
  nickname: string | null;
  sex: 'male' | 'female';
  /** Age on the first simulated day. */
  age: number;
  home_place_id: string;
  vulnerabilities: Vulnerability[];
  /** Personal mobile (drama range), if they have one we know of. */
  phone: string | null;
}

export interface AddressRecord {
  kind: 'address';
  id: string;
  line_id: string;
  use: 'cuckooed' | 'trap_house' | 'hotel' | 'short_let';
  line1: string;
  place_id: string;
  postcode: string | null;
  resident_person_id: string | null;
  from: IsoDate;
  to: IsoDate | null;
}

export interface VehicleRecord {
  kind: 'vehicle';
  id: string;
  line_id: string;
  /** UK registration, upper case, no spaces (the extraction contract's form). */
  registration: string;
  colour: string;
  make: string;
  model: string;
}

export interface HandleRecord {
  kind: 'handle';
  id: string;
  line_id: string;
  person_id: string | null;
  platform: 'snapchat' | 'instagram' | 'tiktok' | 'telegram';
  /** Lower case, without "@" (the extraction contract's form). */
  handle: string;
  purpose: 'advertising' | 'recruitment' | 'personal';
}

export interface JourneyRecord {
  kind: 'journey';
  id: string;
  line_id: string;
  person_id: string;
  mode: 'train' | 'car' | 'coach' | 'taxi';
  from_place_id: string;
  to_place_id: string;
  depart: IsoTime;
  arrive: IsoTime;
  vehicle_id: string | null;
}

export interface ArrestRecord {
  kind: 'arrest';
  id: string;
  line_id: string;
  person_id: string;
  place_id: string;
  at: IsoTime;
  /** True when the arrest is away from the person's home area ("bagged" OT). */
  out_of_area: boolean;
  outcome: 'charged' | 'released_under_investigation' | 'no_further_action';
  /** A Type 1 closure: the line holder arrested and charged. */
  closes_line: boolean;
}

export interface MissingEpisodeRecord {
  kind: 'missing_episode';
  id: string;
  line_id: string;
  person_id: string;
  from: IsoTime;
  to: IsoTime;
  found_place_id: string;
  /** Offered within 72 hours of return (DOMAIN.md "Where a concern goes"). */
  return_home_interview: boolean;
}

export interface ReportRecord {
  kind: 'report';
  id: string;
  at: IsoTime;
  channel: 'web' | 'crimestoppers' | 'fearless' | 'phone_101';
  anonymous: boolean;
  text: string;
}

/** A checker referral: `subject`, `signs`, `missing_episodes_30d`, `danger_now` match `lookout screen` input. */
export interface ReferralRecord {
  kind: 'referral';
  id: string;
  at: IsoTime;
  referrer: 'school' | 'childrens_social_care' | 'health' | 'youth_service' | 'housing' | 'police' | 'parent_or_carer';
  place_id: string;
  subject: { kind: 'child' | 'adult'; age: number; vulnerabilities: Vulnerability[] };
  signs: { code: IndicatorCode; severity: Severity }[];
  missing_episodes_30d: number;
  danger_now: boolean;
  summary: string;
}

export interface NoteRecord {
  kind: 'note';
  id: string;
  at: IsoTime;
  author_role: 'analyst' | 'police_officer' | 'social_worker' | 'youth_worker' | 'btp_officer';
  /** An earlier report or referral this note follows up, if any. */
  regarding: string | null;
  /**
   * The person whose case the note is written on (a return home interview, a BTP stop, an arrest,
   * a MACE discussion of a cuckooed resident's home), as the author's case record names them;
   * null for notes about a report, a line or a place (`lookout simulate --db` loads notes onto
   * triage cases, one per subject).
   */
  subject: { name: string; age: number } | null;
  text: string;
}

export type WorldRecord =
  | PlaceRecord
  | LineRecord
  | LineNumberRecord
  | PersonRecord
  | AddressRecord
  | VehicleRecord
  | HandleRecord
  | JourneyRecord
  | ArrestRecord
  | MissingEpisodeRecord;

export type StreamRecord = ReportRecord | ReferralRecord | NoteRecord;

/** Every record in the main JSONL output. */
export type SimRecord = WorldRecord | StreamRecord;
export type SimRecordKind = SimRecord['kind'];

/** Entity values a stream record's text really contains, normalised as `lookout extract` emits them. */
export interface Mentions {
  phone: string[];
  vehicle: string[];
  postcode: string[];
  handle: string[];
  line_name: string[];
  place: string[];
}

/** What a report, referral or note truly concerns. Written to the truth file only. */
export interface StreamTruthRecord {
  kind: 'stream_truth';
  record_id: string;
  record_kind: StreamRecord['kind'];
  line_id: string | null;
  person_id: string | null;
  /** The generator's reason for the record ("deal_number", "cuckooing", "irrelevant", ...). */
  topic: string;
  /** Set when the record re-submits an earlier one. */
  duplicate_of: string | null;
  /** Details deliberately wrong or partial in the text ("phone", "place", "vehicle", ...). */
  distorted: string[];
  mentions: Mentions;
  indicators: IndicatorCode[];
}

/** A deal line moving from one number to the next while the brand carries on. */
export interface NumberChangeRecord {
  kind: 'number_change';
  line_id: string;
  brand: string;
  old_number: string;
  new_number: string;
  date: IsoDate;
}

export type TruthRecord = StreamTruthRecord | NumberChangeRecord;

/** One unit of streamed output: records for the main file and their ground truth. */
export interface SimBatch {
  records: SimRecord[];
  truth: TruthRecord[];
}
