-- Feature store: versioned declarative definitions with lineage, and values in the FeatureVector shape.
CREATE TABLE IF NOT EXISTS feature_definitions
(
    name LowCardinality(String),
    version UInt32,
    spec String,
    inputs Array(String),
    code_hash String,
    created_by String,
    created_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY (name, version);

CREATE TABLE IF NOT EXISTS feature_values
(
    instrument LowCardinality(String),
    asof DateTime64(9, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    horizon LowCardinality(String),
    feature_set LowCardinality(String),
    names Array(LowCardinality(String)),
    values Array(Float64),
    lag_ms Int64,
    coverage Float64,
    ingested_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(asof)
ORDER BY (feature_set, instrument, horizon, asof);

-- One row per feature value, for SQL analytics over the array form.
CREATE VIEW IF NOT EXISTS feature_values_long AS
SELECT instrument, asof, horizon, feature_set, name, value
FROM feature_values
ARRAY JOIN names AS name, values AS value;
