-- Sessions a deployed model traded in its rollout stages (shadow, canary, full): the live record that rollout
-- guardrails, alpha-decay detection and the meta-allocator read. One row per deployment, stage and session; a stage
-- re-run after a retry replaces its rows (ReplacingMergeTree on the same key).
CREATE TABLE IF NOT EXISTS live_sessions
(
    deployment LowCardinality(String),
    model_hash String,
    stage LowCardinality(String),
    ts DateTime64(9, 'UTC'),
    ret Float64,
    capital_fraction Float64,
    traded Float64,
    gross Float64,
    fees Float64,
    spread_cost Float64,
    impact_cost Float64,
    slippage Float64,
    written_at DateTime64(9, 'UTC')
)
ENGINE = ReplacingMergeTree(written_at)
ORDER BY (model_hash, deployment, stage, ts);
