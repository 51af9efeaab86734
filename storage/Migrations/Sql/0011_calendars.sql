-- Trading calendars: each instrument names the calendar its event times are validated against, and the shipped
-- calendars' sessions (holidays and early closes included) are a table, rewritten whenever the shipped rules change
-- (CalendarSessionStore compares its version column). Instruments stored before this migration take their asset
-- class's calendar; those of classes without one keep their own weekly hours ('custom').
ALTER TABLE instruments ADD COLUMN IF NOT EXISTS calendar LowCardinality(String)
    DEFAULT multiIf(asset_class IN ('equity', 'etf'), 'XNAS', asset_class = 'crypto', '24/7', asset_class = 'forex', 'FX', asset_class = 'future', 'CME_GLOBEX', 'custom')
    AFTER sector;

CREATE TABLE IF NOT EXISTS calendar_sessions
(
    calendar LowCardinality(String),
    date Date,
    kind LowCardinality(String),
    open_ts DateTime64(9, 'UTC'),
    market_open_ts DateTime64(9, 'UTC'),
    market_close_ts DateTime64(9, 'UTC'),
    close_ts DateTime64(9, 'UTC'),
    early_close Bool,
    note String,
    version LowCardinality(String)
)
ENGINE = MergeTree
ORDER BY (calendar, open_ts);
