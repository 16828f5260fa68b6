-- An erasure replaces the user id in the user's consent records with its
-- salted hash (user_erased), as it already did in the checks, instead of
-- deleting the records: the report's proof of stopping keeps showing each
-- withdrawal of an erased user and the events processed after it. The
-- ledger no longer finds the records by the user's id.
ALTER TABLE consent_records ADD COLUMN user_erased boolean NOT NULL DEFAULT false;
ALTER TABLE consent_erasures RENAME COLUMN records_removed TO records_pseudonymized;
