-- The consent ledger: one row per user, purpose and change, applied by the
-- time the user made it (occurred_at), however late it arrives. record_id
-- is the idempotency key: the same record imported twice is one row.
CREATE TABLE consent_records (
  record_id text PRIMARY KEY,
  user_id text NOT NULL,
  purpose text NOT NULL,
  status text NOT NULL CHECK (status IN ('granted', 'denied', 'withdrawn')),
  occurred_at timestamptz NOT NULL,
  consent_version text,
  source text,
  lawful_basis text,
  region text,
  gpc boolean,
  consent_mode jsonb,
  expires_at timestamptz,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX consent_records_user ON consent_records (user_id, purpose, occurred_at);
CREATE INDEX consent_records_time ON consent_records (occurred_at);

-- The consent check of every event for every purpose it is processed for:
-- the evidence of the compliance report. outcome is 'valid' or the finding
-- kind; record_id names the ledger record that applied. After an erasure
-- user_id holds the user's salted hash and user_erased is true.
CREATE TABLE consent_checks (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id text,
  occurred_at timestamptz NOT NULL,
  contract text NOT NULL,
  version text NOT NULL,
  purpose text NOT NULL,
  channel text,
  user_id text NOT NULL,
  user_erased boolean NOT NULL DEFAULT false,
  outcome text NOT NULL,
  record_id text,
  detected_at timestamptz NOT NULL
);

CREATE INDEX consent_checks_time ON consent_checks (occurred_at);
CREATE INDEX consent_checks_user ON consent_checks (user_id);

-- Erasure requests carried out: the user's salted hash and when.
CREATE TABLE consent_erasures (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_hash text NOT NULL,
  erased_at timestamptz NOT NULL DEFAULT now(),
  records_removed bigint NOT NULL,
  checks_pseudonymized bigint NOT NULL
);

-- Tamper evidence: every ledger record and consent violation, appended in
-- order. content is the canonical JSON of the entry (user ids as salted
-- hashes, so an erasure never edits it); content_hash its sha256;
-- row_hash = sha256(prev_hash || content_hash || kind). `earshot audit verify`
-- recomputes the chain and names the first row that does not fit.
CREATE TABLE audit_log (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  content text NOT NULL,
  content_hash text NOT NULL,
  prev_hash text NOT NULL,
  row_hash text NOT NULL
);
