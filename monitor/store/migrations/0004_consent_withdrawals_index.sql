-- consent_records is read by time only for withdrawals (the consent report's
-- proof of stopping). A partial index over withdrawals is all that query
-- needs, and a bulk import no longer maintains a time index over every record.
DROP INDEX consent_records_time;
CREATE INDEX consent_records_withdrawn ON consent_records (occurred_at) WHERE status = 'withdrawn';
