-- Reporting: anonymous public reports, sealed at rest (envelope encryption, src/crypto).
-- Nothing here identifies a reporter: no IP address, user agent, cookie or device data, and no
-- plaintext of what they wrote. Each report has its own data key (DEK), stored only wrapped by a
-- master key (KEK) that lives in configuration, never in the database; kek_id names which one.

CREATE TABLE reports (
  id uuid PRIMARY KEY,
  reference text NOT NULL UNIQUE,
  -- Minute precision only: an exact timestamp adds little for triage and could help match a
  -- reporter against other logs.
  received_at timestamptz NOT NULL,
  owner_agency_id text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('form', 'api')),
  danger_now boolean,
  status text NOT NULL DEFAULT 'new',
  photo_count integer NOT NULL DEFAULT 0,
  kek_id text NOT NULL,
  wrapped_dek bytea NOT NULL,
  -- The whole report (narrative, answers, contact details) as one sealed JSON document.
  content bytea NOT NULL,
  -- Receipt: HMAC lookup key (server secret) to find the row, argon2id hash to verify it.
  receipt_lookup bytea NOT NULL UNIQUE,
  receipt_hash text NOT NULL,
  last_reporter_activity_at timestamptz,
  last_agency_message_at timestamptz
);
CREATE INDEX reports_owner_idx ON reports (owner_agency_id, received_at DESC);
CREATE INDEX reports_received_idx ON reports (received_at DESC);

-- Agencies a report has been shared with (need-to-know), besides the owner.
CREATE TABLE report_shares (
  report_id uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  agency_id text NOT NULL,
  shared_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (report_id, agency_id)
);
CREATE INDEX report_shares_agency_idx ON report_shares (agency_id);

-- Photos: re-encoded (no metadata) and sealed with the report's DEK. No file name is kept.
CREATE TABLE report_photos (
  id uuid PRIMARY KEY,
  report_id uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  position integer NOT NULL,
  mime text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  byte_size integer NOT NULL,
  content bytea NOT NULL
);
CREATE INDEX report_photos_report_idx ON report_photos (report_id, position);

-- Two-way follow-up: questions from the agency and the reporter's answers, sealed with the DEK.
CREATE TABLE report_messages (
  id uuid PRIMARY KEY,
  -- Order of the conversation (reporter timestamps are kept to the minute only).
  seq bigserial NOT NULL,
  report_id uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('agency', 'reporter')),
  author_user_id text,
  author_agency_id text,
  created_at timestamptz NOT NULL,
  body bytea NOT NULL
);
CREATE INDEX report_messages_report_idx ON report_messages (report_id, seq);

-- Search without plaintext: keyed hashes of normalised tokens (words, phones, vehicles,
-- postcodes, handles, line names), one row per report. Equality search only (tokens @> query);
-- the key is not in the database. GIN's pending list keeps the insert cheap on the intake path.
CREATE TABLE report_search_tokens (
  report_id uuid PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
  tokens text[] NOT NULL
);
CREATE INDEX report_search_tokens_gin ON report_search_tokens USING gin (tokens);

-- Guided-form drafts: sealed like reports, short-lived, found by an HMAC of the draft id (the
-- id itself is only in the reporter's URL). Deleted when the report is sent or when expired.
CREATE TABLE report_drafts (
  id_hash bytea PRIMARY KEY,
  expires_at timestamptz NOT NULL,
  kek_id text NOT NULL,
  wrapped_dek bytea NOT NULL,
  content bytea NOT NULL
);
CREATE INDEX report_drafts_expires_idx ON report_drafts (expires_at);

CREATE TABLE report_draft_photos (
  id uuid PRIMARY KEY,
  draft_id_hash bytea NOT NULL REFERENCES report_drafts (id_hash) ON DELETE CASCADE,
  position integer NOT NULL,
  mime text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  byte_size integer NOT NULL,
  content bytea NOT NULL
);
CREATE INDEX report_draft_photos_draft_idx ON report_draft_photos (draft_id_hash, position);
