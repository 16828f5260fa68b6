-- Exactly-once writes. Every write of findings, consent records and checks
-- carries a unit id, claimed here in the same transaction: a unit written
-- again (replayed from the spool after a crash, or retried after a commit
-- whose answer was lost) finds its id taken and changes nothing. Finding
-- counts add up on conflict, so without this a replay would count twice.
CREATE TABLE write_units (
  id text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- Events from a message stream whose results are stored, written in the same
-- transaction as those results: a message delivered again (its process died
-- before the ack) is recognised and skipped by any replica.
CREATE TABLE processed_events (
  event_id text PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX write_units_applied_at ON write_units (applied_at);
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);
