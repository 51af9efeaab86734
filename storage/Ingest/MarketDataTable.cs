using Apache.Arrow;
using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Storage.Ingest;

/// <summary>How event times are checked against an instrument's session.</summary>
public enum SessionRule
{
    /// <summary>Local time of day inside [start, end) on a trading weekday.</summary>
    Intraday,

    /// <summary>A trading weekday (daily bars carry 00:00 UTC of the date).</summary>
    Daily,

    /// <summary>A bar of <c>period_s</c> seconds from its time overlaps a session (an FX daily bar dated Sunday holds Sunday evening's trading).</summary>
    Span,
}

/// <summary>A validated market-data table: contract schema, de-duplication key and the checks its rows must pass.</summary>
/// <param name="Name">Table name.</param>
/// <param name="Schema">The contract schema rows arrive in.</param>
/// <param name="Key">De-duplication key (the table's ORDER BY).</param>
/// <param name="Checks">Ordered (condition over alias s, reason) pairs; the first true condition names the reject reason.</param>
/// <param name="Session">Session rule for event times.</param>
public sealed record MarketDataTable(string Name, Schema Schema, IReadOnlyList<string> Key, IReadOnlyList<(string Condition, string Reason)> Checks, SessionRule Session)
{
    /// <summary>Trades: finite positive price and size.</summary>
    public static MarketDataTable Trades { get; } = new("trades", Trade.Arrow.Schema, ["symbol", "ts", "seq"],
    [
        ("NOT isFinite(s.price) OR NOT isFinite(s.size)", RejectReasons.NonFinite),
        ("s.price <= 0", RejectReasons.NonPositivePrice),
        ("s.size <= 0", RejectReasons.NonPositiveSize),
    ], SessionRule.Intraday);

    /// <summary>Quotes: at least one side with a price (its size may be unknown), positive prices and sizes, not crossed (locked is allowed).</summary>
    public static MarketDataTable Quotes { get; } = new("quotes", Quote.Arrow.Schema, ["symbol", "ts", "seq"],
    [
        ("s.bid IS NULL AND s.ask IS NULL", RejectReasons.EmptyQuote),
        // A price without a size is a quote (FX and indicative feeds publish none); a size without a price is not.
        ("(s.bid IS NULL AND s.bid_size IS NOT NULL) OR (s.ask IS NULL AND s.ask_size IS NOT NULL)", RejectReasons.IncompleteSide),
        ("NOT isFinite(ifNull(s.bid, 1)) OR NOT isFinite(ifNull(s.ask, 1)) OR NOT isFinite(ifNull(s.bid_size, 1)) OR NOT isFinite(ifNull(s.ask_size, 1))", RejectReasons.NonFinite),
        ("ifNull(s.bid, 1) <= 0 OR ifNull(s.ask, 1) <= 0", RejectReasons.NonPositivePrice),
        ("ifNull(s.bid_size, 1) <= 0 OR ifNull(s.ask_size, 1) <= 0", RejectReasons.NonPositiveSize),
        ("s.bid IS NOT NULL AND s.ask IS NOT NULL AND s.bid > s.ask", RejectReasons.CrossedQuote),
    ], SessionRule.Intraday);

    /// <summary>One-minute bars.</summary>
    public static MarketDataTable Bars1m { get; } = Bars("bars_1m", SessionRule.Intraday);

    /// <summary>Daily bars.</summary>
    public static MarketDataTable Bars1d { get; } = Bars("bars_1d", SessionRule.Daily);

    /// <summary>One-second bars.</summary>
    public static MarketDataTable Bars1s { get; } = Bars("bars_1s", SessionRule.Intraday);

    /// <summary>Quote bars of any period: finite positive prices, each side's OHLC consistent, the close not crossed, sizes (when known) not negative.</summary>
    public static MarketDataTable QuoteBars { get; } = new("quote_bars", QuoteBar.Arrow.Schema, ["symbol", "period_s", "ts"],
    [
        ("NOT isFinite(s.bid_open + s.bid_high + s.bid_low + s.bid_close + s.ask_open + s.ask_high + s.ask_low + s.ask_close) OR NOT isFinite(ifNull(s.bid_size, 0) + ifNull(s.ask_size, 0))", RejectReasons.NonFinite),
        ("least(s.bid_open, s.bid_high, s.bid_low, s.bid_close, s.ask_open, s.ask_high, s.ask_low, s.ask_close) <= 0", RejectReasons.NonPositivePrice),
        ("ifNull(s.bid_size, 0) < 0 OR ifNull(s.ask_size, 0) < 0", RejectReasons.NonPositiveSize),
        ("s.period_s <= 0", RejectReasons.InvalidPeriod),
        ("s.bid_high < greatest(s.bid_open, s.bid_close, s.bid_low) OR s.bid_low > least(s.bid_open, s.bid_close) OR " +
         "s.ask_high < greatest(s.ask_open, s.ask_close, s.ask_low) OR s.ask_low > least(s.ask_open, s.ask_close)", RejectReasons.InconsistentOhlc),
        ("s.bid_close > s.ask_close", RejectReasons.CrossedQuote),
    ], SessionRule.Span);

    /// <summary>L2 book deltas.</summary>
    public static MarketDataTable BookDeltas { get; } = new("book_deltas", BookDelta.Arrow.Schema, ["symbol", "ts", "seq", "side", "price"],
    [
        ("NOT isFinite(s.price) OR NOT isFinite(s.size)", RejectReasons.NonFinite),
        ("s.action != 'clear' AND s.price <= 0", RejectReasons.NonPositivePrice),
        ("s.size < 0 OR (s.size = 0 AND s.action IN ('snapshot', 'upsert'))", RejectReasons.NonPositiveSize),
        ("s.side NOT IN ('bid', 'ask') OR s.action NOT IN ('snapshot', 'upsert', 'delete', 'clear')", RejectReasons.InvalidEnum),
    ], SessionRule.Intraday);

    /// <summary>Every validated table.</summary>
    public static IReadOnlyList<MarketDataTable> All { get; } = [Trades, Quotes, Bars1s, Bars1m, Bars1d, QuoteBars, BookDeltas];

    /// <summary>Looks a table up by name.</summary>
    public static MarketDataTable Named(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"'{name}' is not a market-data table; expected one of: {string.Join(", ", All.Select(t => t.Name))}");

    private static MarketDataTable Bars(string name, SessionRule rule) => new(name, Bar.Arrow.Schema, ["symbol", "ts"],
    [
        ("NOT isFinite(s.open) OR NOT isFinite(s.high) OR NOT isFinite(s.low) OR NOT isFinite(s.close) OR NOT isFinite(s.volume) OR NOT isFinite(ifNull(s.vwap, 1)) OR NOT isFinite(ifNull(s.adj_close, 1))", RejectReasons.NonFinite),
        ("s.open <= 0 OR s.high <= 0 OR s.low <= 0 OR s.close <= 0 OR ifNull(s.adj_close, 1) <= 0", RejectReasons.NonPositivePrice),
        ("s.volume < 0", RejectReasons.NegativeVolume),
        ("s.high < greatest(s.open, s.close, s.low) OR s.low > least(s.open, s.close)", RejectReasons.InconsistentOhlc),
    ], rule);
}
