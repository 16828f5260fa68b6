-- Windowed monitors (distribution, calibration and embedding drift) keep
-- their windows, references, frozen bin edges and gates in memory; a
-- snapshot per detector and contract is written here now and then and at
-- shutdown, and read back at start, so a restart keeps its references.
CREATE TABLE monitor_state (
  detector text NOT NULL,
  contract text NOT NULL,
  state jsonb NOT NULL,
  saved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (detector, contract)
);
