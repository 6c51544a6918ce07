-- Intel: entities extracted from reports, referrals, notes and disclosures; their mentions
-- (spans only: the text itself is protected and encrypted by the module that owns it);
-- co-occurrence links; the deal-line register; suggestions; watches and in-app notifications.
-- User and agency ids are stored as text without foreign keys (those tables belong to auth).

-- One row per source ingested, so re-ingesting the same source replaces rather than adds.
CREATE TABLE intel_sources (
  source_type text NOT NULL CHECK (source_type IN ('report', 'referral', 'note', 'disclosure')),
  source_id text NOT NULL,
  owner_agency_id text NOT NULL,
  occurred_at timestamptz NOT NULL,
  area text,
  -- SHA-256 of the extraction result (not of the text): unchanged input is a no-op.
  extraction_hash text NOT NULL,
  indicators text[] NOT NULL DEFAULT '{}',
  ingested_at timestamptz NOT NULL,
  PRIMARY KEY (source_type, source_id)
);
CREATE INDEX intel_sources_agency_idx ON intel_sources (owner_agency_id, occurred_at);

-- Entities, normalised per the extraction contract (../shared/DESIGN.md): one row per (type, value).
-- mention_count and first/last seen are global; pages recompute them from visible mentions.
CREATE TABLE entities (
  id bigserial PRIMARY KEY,
  type text NOT NULL CHECK (type IN ('phone', 'vehicle', 'postcode', 'handle', 'line_name', 'place')),
  value text NOT NULL,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  mention_count integer NOT NULL DEFAULT 0,
  UNIQUE (type, value)
);

-- A mention ties an entity to a source with its span (offsets in the source text), and carries the
-- source's owner agency so visibility is checked without joining other modules' tables.
-- start_offset/end_offset are null for the source's recorded area (not a span of the text).
CREATE TABLE mentions (
  id bigserial PRIMARY KEY,
  entity_id bigint NOT NULL REFERENCES entities (id),
  source_type text NOT NULL,
  source_id text NOT NULL,
  start_offset integer,
  end_offset integer,
  occurred_at timestamptz NOT NULL,
  owner_agency_id text NOT NULL
);
CREATE INDEX mentions_entity_idx ON mentions (entity_id, occurred_at);
CREATE INDEX mentions_source_idx ON mentions (source_type, source_id);

-- Co-occurrence in one source, per owning agency (so counts never reveal another agency's
-- sources). a < b. count = number of sources in which both appear.
CREATE TABLE entity_links (
  owner_agency_id text NOT NULL,
  a bigint NOT NULL REFERENCES entities (id),
  b bigint NOT NULL REFERENCES entities (id),
  count integer NOT NULL,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  PRIMARY KEY (owner_agency_id, a, b),
  CHECK (a < b)
);
CREATE INDEX entity_links_b_idx ON entity_links (owner_agency_id, b);

-- The deal-line register. Closure types are NCLCC terms (DOMAIN.md): Type 1 line holder charged,
-- Type 2 number disconnected. version is for optimistic locking.
CREATE TABLE deal_lines (
  id bigserial PRIMARY KEY,
  brand text NOT NULL CHECK (brand = lower(brand) AND length(brand) BETWEEN 1 AND 60),
  display_name text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'closed_type1', 'closed_type2')),
  exporting_area text,
  importing_areas text[] NOT NULL DEFAULT '{}',
  owner_agency_id text NOT NULL,
  owner_user_id text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (owner_agency_id, brand)
);
-- Alerts look lines up by brand across agencies.
CREATE INDEX deal_lines_brand_idx ON deal_lines (brand) WHERE status = 'active';

CREATE TABLE deal_line_numbers (
  id bigserial PRIMARY KEY,
  line_id bigint NOT NULL REFERENCES deal_lines (id),
  number text NOT NULL CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
  active_from timestamptz NOT NULL,
  active_to timestamptz,
  added_at timestamptz NOT NULL
);
CREATE INDEX deal_line_numbers_line_idx ON deal_line_numbers (line_id, active_from);
CREATE INDEX deal_line_numbers_number_idx ON deal_line_numbers (number);

-- People (handles), vehicles and addresses (postcodes) linked to a line.
CREATE TABLE deal_line_entities (
  line_id bigint NOT NULL REFERENCES deal_lines (id),
  entity_id bigint NOT NULL REFERENCES entities (id),
  role text NOT NULL DEFAULT 'linked',
  added_at timestamptz NOT NULL,
  PRIMARY KEY (line_id, entity_id)
);
CREATE INDEX deal_line_entities_entity_idx ON deal_line_entities (entity_id);

-- Suggestions from the engine (suggestions.ts); analysts accept or reject each.
-- dedupe_key stops the same suggestion being made twice, including after a rejection.
CREATE TABLE line_suggestions (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('new_number', 'multi_town', 'number_change')),
  dedupe_key text NOT NULL UNIQUE,
  line_id bigint REFERENCES deal_lines (id),
  owner_agency_id text NOT NULL,
  detail jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
  created_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by text
);
CREATE INDEX line_suggestions_agency_idx ON line_suggestions (owner_agency_id, status, created_at);

-- Anyone (cases, triage) may watch an entity; a new mention notifies the owner.
CREATE TABLE entity_watches (
  id bigserial PRIMARY KEY,
  entity_id bigint NOT NULL REFERENCES entities (id),
  owner_user_id text,
  owner_agency_id text NOT NULL,
  reason text NOT NULL,
  subject_type text,
  subject_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entity_watches_entity_idx ON entity_watches (entity_id);

-- In-app notifications (shared with triage). user_id null means everyone in the agency.
-- message never carries protected content: it names the kind of thing that happened.
CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  user_id text,
  agency_id text NOT NULL,
  kind text NOT NULL,
  subject_type text,
  subject_id text,
  href text,
  message text NOT NULL,
  created_at timestamptz NOT NULL,
  read_at timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at);
CREATE INDEX notifications_agency_idx ON notifications (agency_id, created_at);
