-- Findings are paged newest first by insertion (seq) rather than by last_seen,
-- which moves when a repeat is folded into a row. The filtered paging indexes
-- follow; findings_last_seen stays for the `since` filter.
DROP INDEX IF EXISTS findings_contract_last_seen;
DROP INDEX IF EXISTS findings_kind_last_seen;
DROP INDEX IF EXISTS findings_severity_last_seen;
CREATE INDEX findings_contract_seq ON findings (contract, seq DESC);
CREATE INDEX findings_kind_seq ON findings (kind, seq DESC);
CREATE INDEX findings_severity_seq ON findings (severity, seq DESC);
