-- Every reason a quarantined row failed (reason stays the first, for counts that sum to the rejected rows), and what
-- a batch's reference-dependent rejects were judged against: a file whose rows were refused for an unknown
-- instrument or their session is checked again once the instruments or calendars have changed.
ALTER TABLE rejects ADD COLUMN IF NOT EXISTS reasons Array(LowCardinality(String)) AFTER reason;
ALTER TABLE ingest_batches ADD COLUMN IF NOT EXISTS reference_hash String DEFAULT '';
ALTER TABLE ingest_batches ADD COLUMN IF NOT EXISTS reference_rejects UInt64 DEFAULT 0;
