-- Reference data: instruments (with the session used to validate event times) and corporate actions.
CREATE TABLE IF NOT EXISTS instruments
(
    symbol LowCardinality(String),
    asset_class LowCardinality(String),
    venue LowCardinality(String),
    currency LowCardinality(String),
    tick_size Float64,
    lot_size Float64,
    multiplier Float64,
    session_tz LowCardinality(String),
    session_start_s Int32,
    session_end_s Int32,
    trades_weekends Bool,
    name String,
    sector LowCardinality(String),
    updated_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY symbol;

CREATE TABLE IF NOT EXISTS corporate_actions
(
    symbol LowCardinality(String),
    ex_date DateTime64(9, 'UTC'),
    kind LowCardinality(String),
    value Float64,
    detail String,
    source LowCardinality(String),
    ingested_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY (symbol, ex_date, kind);
