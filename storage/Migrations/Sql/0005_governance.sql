-- Append-only, hash-chained audit log. Plain MergeTree (never Replacing: nothing may collapse an entry);
-- ordered by chain position so verification is one sequential scan.
CREATE TABLE IF NOT EXISTS audit_log
(
    seq Int64,
    ts DateTime64(9, 'UTC'),
    actor LowCardinality(String),
    action LowCardinality(String),
    subject String,
    payload String CODEC(ZSTD(3)),
    prev_hash FixedString(64),
    hash FixedString(64)
)
ENGINE = MergeTree
ORDER BY seq;
