-- Consolidated top of book: quote updates are often one-sided (LEAN, SIP feeds), so each side carries
-- forward (anyLast skips NULLs) within the symbol's UTC day, in exchange time and sequence order.
CREATE VIEW IF NOT EXISTS top_of_book AS
SELECT symbol, ts, seq, venue,
       anyLast(bid) OVER w AS bid, anyLast(bid_size) OVER w AS bid_size,
       anyLast(ask) OVER w AS ask, anyLast(ask_size) OVER w AS ask_size
FROM quotes
WINDOW w AS (PARTITION BY symbol, toDate(ts) ORDER BY ts, seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);
