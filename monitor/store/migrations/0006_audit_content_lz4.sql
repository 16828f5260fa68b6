-- An audit row holds a whole write's records (a 5,000-record import batch is
-- about 1.4 MB of JSON). Compressing it with pglz cost the server about 7 us
-- per record, a fifth of an import; lz4 compresses as small at half the cost.
-- Servers built without lz4 (PGlite among them) keep pglz: the same rows,
-- only slower to write.
DO $$
BEGIN
  ALTER TABLE audit_log ALTER COLUMN content SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  NULL;
END
$$;
