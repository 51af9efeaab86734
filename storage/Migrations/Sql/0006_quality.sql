-- Quarantine: every row the ingest pipeline refused, with the reason and the row as JSON.
-- Kept 365 days after ingest (whole monthly parts are dropped); counts stay in ingest_batches forever.
CREATE TABLE IF NOT EXISTS rejects
(
    table_name LowCardinality(String),
    batch_id UUID,
    source String,
    reason LowCardinality(String),
    symbol LowCardinality(String),
    ts Nullable(DateTime64(9, 'UTC')),
    row String CODEC(ZSTD(3)),
    ingested_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ingested_at)
ORDER BY (table_name, reason, ingested_at)
TTL toDateTime(ingested_at) + INTERVAL 365 DAY
SETTINGS ttl_only_drop_parts = 1;

-- One row per ingested batch: provenance, content checksum and row accounting
-- (rows_in = accepted + rejected + duplicates).
CREATE TABLE IF NOT EXISTS ingest_batches
(
    batch_id UUID,
    table_name LowCardinality(String),
    source String,
    checksum String,
    rows_in UInt64,
    accepted UInt64,
    rejected UInt64,
    duplicates UInt64,
    min_ts Nullable(DateTime64(9, 'UTC')),
    max_ts Nullable(DateTime64(9, 'UTC')),
    started_at DateTime64(9, 'UTC'),
    finished_at DateTime64(9, 'UTC')
)
ENGINE = MergeTree
ORDER BY (table_name, started_at, batch_id);
