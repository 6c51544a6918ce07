-- Auth: agencies, named staff accounts with roles, a TOTP second factor, recovery codes,
-- server-side staff sessions (shared by every app instance) and sign-in throttling.

CREATE TABLE agencies (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('police', 'childrens_social_care', 'adult_social_care', 'education', 'health',
                                     'youth_justice', 'voluntary_sector', 'reporting_intermediary')),
  area text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies (id),
  -- Stored lower-cased so uniqueness and sign-in ignore case.
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  name text NOT NULL,
  roles text[] NOT NULL CHECK (cardinality(roles) > 0
    AND roles <@ ARRAY['admin', 'triage', 'caseworker', 'analyst', 'campaigns', 'viewer']::text[]),
  -- argon2id (PHC string); null until the user chooses a password through the set-up link.
  password_hash text,
  -- TOTP secrets are encrypted at rest with AES-256-GCM under a key derived by HKDF-SHA256 from
  -- config.masterKeys (the current key encrypts; older keys still decrypt). See src/auth/totp.ts.
  totp_secret_enc text,
  -- A secret shown during enrolment, kept until the user confirms it with a code.
  totp_pending_enc text,
  -- The last accepted TOTP time step: a code is never accepted twice (RFC 6238 section 5.2).
  totp_last_step bigint,
  disabled boolean NOT NULL DEFAULT false,
  -- One-time set-up link: only the SHA-256 of the token is stored.
  setup_token_hash text UNIQUE,
  setup_expires_at timestamptz,
  created_at timestamptz NOT NULL,
  last_sign_in_at timestamptz
);
CREATE INDEX users_agency_idx ON users (agency_id, name);

-- Single-use recovery codes (80 random bits each, so SHA-256 without a salt is enough).
CREATE TABLE recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- Server-side sessions. The id is the SHA-256 of the random cookie token, so a database dump
-- cannot be replayed as cookies. mfa_passed is false between the password and the code steps.
CREATE TABLE staff_sessions (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  mfa_passed boolean NOT NULL DEFAULT false,
  return_to text
);
CREATE INDEX staff_sessions_user_idx ON staff_sessions (user_id);

-- Failed sign-in counters, keyed by an HMAC of "account:<email>" or "ip:<address>" so neither
-- an email address nor an IP address is stored, and unknown emails lock exactly like real ones.
CREATE TABLE sign_in_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  window_started_at timestamptz NOT NULL,
  locked_until timestamptz
);
