-- The live lane's decisions and outcomes, written by the agents.
CREATE TABLE IF NOT EXISTS signals
(
    instrument LowCardinality(String),
    ts DateTime64(9, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    horizon LowCardinality(String),
    mu Float64,
    sigma Float64,
    prob_edge_pos Float64,
    policy_id LowCardinality(String),
    ingested_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (policy_id, instrument, ts);

CREATE TABLE IF NOT EXISTS target_positions
(
    portfolio LowCardinality(String),
    instrument LowCardinality(String),
    ts DateTime64(9, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    qty_target Float64,
    max_child_participation Float64,
    risk_budget Float64,
    policy_id LowCardinality(String),
    ingested_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (portfolio, instrument, ts);

CREATE TABLE IF NOT EXISTS orders
(
    order_id String,
    parent_order_id String,
    instrument LowCardinality(String),
    ts DateTime64(9, 'UTC'),
    side LowCardinality(String),
    order_type LowCardinality(String),
    time_in_force LowCardinality(String),
    quantity Float64,
    limit_price Nullable(Float64),
    stop_price Nullable(Float64),
    portfolio LowCardinality(String),
    venue LowCardinality(String),
    policy_id LowCardinality(String),
    reasons Array(String),
    ingested_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (instrument, ts, order_id);

CREATE TABLE IF NOT EXISTS executions
(
    exec_id String,
    order_id String,
    instrument LowCardinality(String),
    ts DateTime64(9, 'UTC'),
    exec_type LowCardinality(String),
    status LowCardinality(String),
    side LowCardinality(String),
    last_qty Float64,
    last_price Float64,
    cum_qty Float64,
    leaves_qty Float64,
    avg_price Float64,
    fee Float64,
    venue LowCardinality(String),
    liquidity LowCardinality(String),
    text String,
    ingested_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (instrument, ts, exec_id);

CREATE TABLE IF NOT EXISTS positions
(
    portfolio LowCardinality(String),
    instrument LowCardinality(String),
    ts DateTime64(9, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    quantity Float64,
    avg_cost Float64,
    mark_price Float64,
    ingested_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (portfolio, instrument, ts);

CREATE TABLE IF NOT EXISTS pnl
(
    portfolio LowCardinality(String),
    instrument LowCardinality(String),
    ts DateTime64(9, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    realized Float64,
    unrealized Float64,
    fees Float64,
    slippage Float64,
    equity Float64,
    ingested_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (portfolio, instrument, ts);

CREATE TABLE IF NOT EXISTS risk_events
(
    event_id String,
    ts DateTime64(9, 'UTC'),
    source LowCardinality(String),
    severity LowCardinality(String),
    kind LowCardinality(String),
    instrument LowCardinality(String),
    policy_id LowCardinality(String),
    value Nullable(Float64),
    limit Nullable(Float64),
    message String,
    ingested_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (ts, event_id);
