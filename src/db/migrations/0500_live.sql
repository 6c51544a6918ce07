-- Live awareness events: facilitator-led sessions that attendees join with a short code.
-- Only aggregates are kept: counts per question and option. No attendee identity, answer or
-- device detail is stored (see live_vote_guards for the one per-vote row and why it exists).
-- agency_id and created_by are text, not foreign keys, so this range does not depend on auth's.

CREATE TABLE live_sessions (
  id uuid PRIMARY KEY,
  code text NOT NULL,
  deck_id text NOT NULL,
  agency_id text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  -- Presenter state lives here so a restarted (or another) instance resumes where it was.
  slide_index integer NOT NULL DEFAULT 0,
  locked boolean NOT NULL DEFAULT false,
  revealed boolean NOT NULL DEFAULT false,
  -- Bumped on every state change; pages compare it to ignore stale live updates.
  version integer NOT NULL DEFAULT 1
);
-- A join code is unique among sessions that have not ended (expired ones are ended on reuse).
CREATE UNIQUE INDEX live_sessions_open_code_idx ON live_sessions (code) WHERE ended_at IS NULL;
CREATE INDEX live_sessions_code_idx ON live_sessions (code, created_at DESC);
CREATE INDEX live_sessions_agency_idx ON live_sessions (agency_id, created_at DESC);

-- The aggregates: how many answers each option of each question received.
CREATE TABLE live_counts (
  session_id uuid NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
  question_id text NOT NULL,
  option_id text NOT NULL,
  votes integer NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, question_id, option_id)
);

-- One row per accepted vote, holding ONLY sha256(session id, attendee token, question id): enough
-- to refuse a second vote on the same question, not enough to say who voted or what they chose
-- (no option, no time, and a different hash per question so one attendee's rows cannot be linked).
-- Deleted when the session ends or expires (job live.purge-guards).
CREATE TABLE live_vote_guards (
  session_id uuid NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
  guard text NOT NULL,
  PRIMARY KEY (session_id, guard)
);

-- "I'm worried about someone" disclosures made at an event, for the triage inbox of the agency
-- that ran the session. Nothing about the attendee is stored. The text is envelope-encrypted
-- (src/crypto/envelope.ts): sealed with a per-row data key that is stored only wrapped by a master
-- key from configuration (kek_id names it), so a database dump alone does not reveal it.
CREATE TABLE live_disclosures (
  id uuid PRIMARY KEY,
  source text NOT NULL DEFAULT 'live_event' CHECK (source = 'live_event'),
  session_id uuid NOT NULL REFERENCES live_sessions (id),
  deck_id text NOT NULL,
  agency_id text NOT NULL,
  created_at timestamptz NOT NULL,
  kek_id text NOT NULL,
  wrapped_dek bytea NOT NULL,
  body_sealed bytea NOT NULL
);
CREATE INDEX live_disclosures_agency_idx ON live_disclosures (agency_id, created_at DESC);
