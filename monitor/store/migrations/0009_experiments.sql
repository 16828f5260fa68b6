-- Holdout experiments defined through POST /v1/experiments, so they
-- survive a restart. Experiments in the config file are not kept here:
-- the file stays their one source. The section is stored as written
-- (defaults are filled in when it is read back), as json rather than
-- jsonb so its keys keep their order: the arms are listed as given.
CREATE TABLE experiments (
  id text PRIMARY KEY,
  definition json NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
