-- Quote bars (LEAN's QuoteBar: each side's OHLC and its size at the close) of any period, keyed by period so second,
-- minute, hour and daily bars of one symbol live side by side; and one-second trade bars.
CREATE TABLE IF NOT EXISTS quote_bars
(
    symbol LowCardinality(String),
    ts DateTime64(9, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    period_s Int32,
    bid_open Float64 CODEC(Gorilla, ZSTD(1)),
    bid_high Float64 CODEC(Gorilla, ZSTD(1)),
    bid_low Float64 CODEC(Gorilla, ZSTD(1)),
    bid_close Float64 CODEC(Gorilla, ZSTD(1)),
    bid_size Nullable(Float64) CODEC(Gorilla, ZSTD(1)),
    ask_open Float64 CODEC(Gorilla, ZSTD(1)),
    ask_high Float64 CODEC(Gorilla, ZSTD(1)),
    ask_low Float64 CODEC(Gorilla, ZSTD(1)),
    ask_close Float64 CODEC(Gorilla, ZSTD(1)),
    ask_size Nullable(Float64) CODEC(Gorilla, ZSTD(1)),
    venue LowCardinality(String),
    batch_id UUID,
    ingested_at DateTime64(9, 'UTC') DEFAULT now64(9)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYear(ts)
ORDER BY (symbol, period_s, ts);

-- One-second trade bars: bars_1m's columns, daily partitions.
CREATE TABLE IF NOT EXISTS bars_1s AS bars_1m
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(ts)
ORDER BY (symbol, ts);
