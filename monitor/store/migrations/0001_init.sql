-- Findings, deduplicated: one row per detector, kind, contract, version,
-- attribute and dedup window. The writer folds repeats into `count`.
CREATE TABLE findings (
  -- Internal, monotonic: tie-breaker for keyset paging.
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Public id: the id of the first finding folded into the row. Not unique on
  -- purpose: a detector may reuse ids across windows, and that must not fail a batch.
  id text NOT NULL,
  detector text NOT NULL,
  kind text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),
  contract text,
  version text,
  attribute text,
  window_start timestamptz NOT NULL,
  -- Message, evidence, event_id and occurred_at describe the newest finding of the row.
  message text NOT NULL,
  evidence jsonb NOT NULL DEFAULT '{}'::jsonb,
  event_id text,
  occurred_at timestamptz,
  count bigint NOT NULL CHECK (count > 0),
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  -- Newest detection folded into the row.
  detected_at timestamptz NOT NULL,
  sample_event_ids text[] NOT NULL DEFAULT '{}' CHECK (cardinality(sample_event_ids) <= 5)
);

-- The dedup key. coalesce instead of UNIQUE NULLS NOT DISTINCT so that
-- PostgreSQL before 15 works too; '' and NULL both mean "none" here.
CREATE UNIQUE INDEX findings_dedup_key ON findings (
  detector, kind, coalesce(contract, ''), coalesce(version, ''), coalesce(attribute, ''), window_start
);

-- Paging newest first, alone or after the usual filters.
CREATE INDEX findings_id ON findings (id);
CREATE INDEX findings_last_seen ON findings (last_seen DESC, seq DESC);
CREATE INDEX findings_contract_last_seen ON findings (contract, last_seen DESC, seq DESC);
CREATE INDEX findings_kind_last_seen ON findings (kind, last_seen DESC, seq DESC);
CREATE INDEX findings_severity_last_seen ON findings (severity, last_seen DESC, seq DESC);

-- Every distinct body a contract version has had, published through the API
-- or loaded from a file: the history, and what to reload at start.
CREATE TABLE contract_versions (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contract text NOT NULL,
  version text NOT NULL,
  status text NOT NULL,
  -- json, not jsonb: keeps the body exactly as given (key order included), so a
  -- reloaded contract compares equal to the same version loaded from its file.
  body json NOT NULL,
  -- sha256 of the body with sorted keys.
  hash text NOT NULL,
  source text NOT NULL CHECK (source IN ('api', 'file')),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (contract, version, hash)
);

CREATE INDEX contract_versions_contract ON contract_versions (contract, seq);
