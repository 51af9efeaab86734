-- Backtest KPIs (blueprint §10): one row per run, fold and metric. Re-running a run id replaces its rows.
CREATE TABLE IF NOT EXISTS backtest_kpis
(
    run_id String,
    strategy LowCardinality(String),
    policy_id LowCardinality(String),
    fold LowCardinality(String),
    metric LowCardinality(String),
    value Float64,
    created_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY (run_id, fold, metric);
