-- Model registry (blueprint §5): content-addressed artifacts, their signatures and the keys that may sign. Approvals,
-- publication and revocations are entries of the hash-chained audit log (action registry.*, subject = artifact hash),
-- so the registry's state cannot be edited without breaking the chain.
CREATE TABLE IF NOT EXISTS registry_artifacts
(
    hash String,
    name LowCardinality(String),
    version Int32,
    pod LowCardinality(String),
    artifact String CODEC(ZSTD(3)),
    created_at DateTime64(9, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (name, version, hash);

CREATE TABLE IF NOT EXISTS registry_signatures
(
    hash String,
    key_id LowCardinality(String),
    algorithm LowCardinality(String),
    value String,
    signer LowCardinality(String),
    signed_at DateTime64(9, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (hash, key_id);

CREATE TABLE IF NOT EXISTS registry_keys
(
    key_id String,
    public_key String,
    owner LowCardinality(String),
    added_at DateTime64(9, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY key_id;
