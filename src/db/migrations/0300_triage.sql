-- Triage: one inbox of reports, checker referrals and live-event disclosures; 3x5x2 grading, a
-- sanitised intelligence version (sealed), assignment and need-to-know sharing; cases for people
-- at risk with risk history, a timeline and tasks; retention reviews and tombstones.
-- Agency and user ids are text without foreign keys (auth's tables); source ids likewise.
-- Protected free text (sanitised intelligence, referrer details, names, dates of birth, notes)
-- is sealed with a per-record data key (src/crypto/envelope.ts); only the wrapped key is here.

-- Checker referrals made by professionals ("I'm worried about someone" -> submit).
-- input/result hold only the structured answers (codes, severities, age, level): no free text.
CREATE TABLE triage_referrals (
  id uuid PRIMARY KEY,
  received_at timestamptz NOT NULL,
  owner_agency_id text NOT NULL,
  subject_kind text NOT NULL CHECK (subject_kind IN ('child', 'adult')),
  level text NOT NULL,
  input jsonb NOT NULL,
  result jsonb NOT NULL,
  kek_id text NOT NULL,
  wrapped_dek bytea NOT NULL,
  -- Sealed JSON: the referrer's name, role, organisation, contact details and notes.
  content bytea NOT NULL
);

CREATE TABLE triage_cases (
  id uuid PRIMARY KEY,
  reference text NOT NULL UNIQUE,
  owner_agency_id text NOT NULL,
  lead_user_id text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  subject_kind text NOT NULL CHECK (subject_kind IN ('child', 'adult')),
  -- Sealed JSON person record: name, alias, age, date of birth, notes.
  kek_id text NOT NULL,
  wrapped_dek bytea NOT NULL,
  person bytea NOT NULL,
  vulnerabilities text[] NOT NULL DEFAULT '{}',
  home_area text,
  places text[] NOT NULL DEFAULT '{}',
  lines text[] NOT NULL DEFAULT '{}',
  risk_level text NOT NULL DEFAULT 'low' CHECK (risk_level IN ('low', 'medium', 'high', 'emergency')),
  risk_reasons jsonb NOT NULL DEFAULT '[]',
  last_risk_input jsonb,
  potential_victim boolean NOT NULL DEFAULT false,
  nrm_basis text CHECK (nrm_basis IN ('child_no_consent', 'adult_consent', 'duty_to_notify')),
  review_on date NOT NULL,
  retention_review_on date NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX triage_cases_owner_idx ON triage_cases (owner_agency_id, status, review_on);
CREATE INDEX triage_cases_lead_idx ON triage_cases (lead_user_id, status);

CREATE TABLE triage_case_shares (
  case_id uuid NOT NULL REFERENCES triage_cases (id) ON DELETE CASCADE,
  agency_id text NOT NULL,
  shared_at timestamptz NOT NULL,
  shared_by text NOT NULL,
  PRIMARY KEY (case_id, agency_id)
);
CREATE INDEX triage_case_shares_agency_idx ON triage_case_shares (agency_id);

CREATE TABLE triage_items (
  id uuid PRIMARY KEY,
  reference text NOT NULL UNIQUE,
  source_type text NOT NULL CHECK (source_type IN ('report', 'referral', 'disclosure')),
  source_id text NOT NULL,
  owner_agency_id text NOT NULL,
  received_at timestamptz NOT NULL,
  area text,
  indicators text[] NOT NULL DEFAULT '{}',
  -- Non-protected fields given at intake (danger now, photo count, level...), never free text.
  summary jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'closed')),
  urgency text NOT NULL CHECK (urgency IN ('emergency', 'high', 'medium', 'low')),
  due_at timestamptz NOT NULL,
  -- 3x5x2 grading (College of Policing APP): conditions are required for handling code C.
  grade_source text CHECK (grade_source IN ('1', '2', '3')),
  grade_intelligence text CHECK (grade_intelligence IN ('A', 'B', 'C', 'D', 'E')),
  grade_handling text CHECK (grade_handling IN ('P', 'C')),
  handling_conditions text,
  CHECK (grade_handling IS DISTINCT FROM 'C' OR coalesce(handling_conditions, '') <> ''),
  graded_at timestamptz,
  graded_by text,
  -- The sanitised intelligence version, sealed; the original stays with its owning module.
  kek_id text,
  wrapped_dek bytea,
  sanitised bytea,
  sanitised_at timestamptz,
  sanitised_by text,
  assigned_agency_id text,
  assigned_user_id text,
  case_id uuid REFERENCES triage_cases (id) ON DELETE SET NULL,
  outcome text,
  closed_at timestamptz,
  closed_by text,
  overdue_notified_at timestamptz,
  retention_review_on date NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (source_type, source_id)
);
CREATE INDEX triage_items_owner_idx ON triage_items (owner_agency_id, status, urgency, received_at);
CREATE INDEX triage_items_assigned_idx ON triage_items (assigned_agency_id, status);
CREATE INDEX triage_items_case_idx ON triage_items (case_id);
CREATE INDEX triage_items_due_idx ON triage_items (due_at) WHERE status <> 'closed';

CREATE TABLE triage_item_shares (
  item_id uuid NOT NULL REFERENCES triage_items (id) ON DELETE CASCADE,
  agency_id text NOT NULL,
  shared_at timestamptz NOT NULL,
  shared_by text NOT NULL,
  PRIMARY KEY (item_id, agency_id)
);
CREATE INDEX triage_item_shares_agency_idx ON triage_item_shares (agency_id);

-- Keyed-hash search tokens (reporting's hasher, src/modules/reporting/search-tokens.ts) for text
-- this module holds: referrals and sanitised versions. Reports' own tokens stay in reporting.
CREATE TABLE triage_search_tokens (
  item_id uuid NOT NULL REFERENCES triage_items (id) ON DELETE CASCADE,
  origin text NOT NULL CHECK (origin IN ('source', 'sanitised')),
  kind text NOT NULL,
  token text NOT NULL,
  PRIMARY KEY (token, item_id, origin)
);
CREATE INDEX triage_search_tokens_item_idx ON triage_search_tokens (item_id);

-- Risk history: every assessment (scored by the checker's rules) with its reasons.
CREATE TABLE triage_case_risk (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES triage_cases (id) ON DELETE CASCADE,
  level text NOT NULL,
  scored_level text NOT NULL,
  score numeric NOT NULL,
  reasons jsonb NOT NULL,
  input jsonb NOT NULL,
  -- A recorded professional-judgement override and its reason (sealed with the case key).
  override_reason bytea,
  assessed_at timestamptz NOT NULL,
  assessed_by text NOT NULL
);
CREATE INDEX triage_case_risk_case_idx ON triage_case_risk (case_id, assessed_at);

-- Timeline entries: notes, missing episodes, arrests out of area, NRM decisions. Free text
-- is sealed with the case key; detail holds only dates, areas and codes.
CREATE TABLE triage_case_events (
  id uuid PRIMARY KEY,
  case_id uuid NOT NULL REFERENCES triage_cases (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('note', 'missing_episode', 'arrest_out_of_area', 'potential_victim', 'opened')),
  occurred_at timestamptz NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  body bytea,
  recorded_at timestamptz NOT NULL,
  recorded_by text NOT NULL
);
CREATE INDEX triage_case_events_case_idx ON triage_case_events (case_id, occurred_at);

CREATE TABLE triage_tasks (
  id uuid PRIMARY KEY,
  case_id uuid REFERENCES triage_cases (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('return_home_interview', 'nrm_referral', 'review', 'general')),
  title text NOT NULL,
  owner_agency_id text NOT NULL,
  owner_user_id text,
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  nrm_basis text CHECK (nrm_basis IN ('child_no_consent', 'adult_consent', 'duty_to_notify')),
  completed_at timestamptz,
  completed_by text,
  overdue_notified_at timestamptz,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL
);
CREATE INDEX triage_tasks_case_idx ON triage_tasks (case_id, status, due_at);
CREATE INDEX triage_tasks_owner_idx ON triage_tasks (owner_user_id, status, due_at);

-- What is left after a record is deleted at the end of retention: what it was, when, by whom and
-- why. No content.
CREATE TABLE retention_tombstones (
  id bigserial PRIMARY KEY,
  record_type text NOT NULL CHECK (record_type IN ('report', 'referral', 'disclosure', 'case')),
  record_id text NOT NULL,
  reference text,
  owner_agency_id text NOT NULL,
  deleted_at timestamptz NOT NULL,
  deleted_by text NOT NULL,
  reason text NOT NULL
);
CREATE INDEX retention_tombstones_record_idx ON retention_tombstones (record_type, record_id);
