using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Reference data for a tradable instrument, including the trading session used to validate event times.</summary>
/// <param name="Symbol">Unique symbol.</param>
/// <param name="AssetClass">Asset class.</param>
/// <param name="Venue">Primary venue.</param>
/// <param name="Currency">Quote currency.</param>
/// <param name="TickSize">Minimum price increment.</param>
/// <param name="LotSize">Round lot.</param>
/// <param name="Multiplier">Contract multiplier (1 for cash instruments).</param>
/// <param name="SessionTimeZone">IANA time zone of the session, e.g. America/New_York.</param>
/// <param name="SessionStartSeconds">Session start, seconds after local midnight (inclusive; negative where the session opens the evening before, as FX does).</param>
/// <param name="SessionEndSeconds">Session end, seconds after local midnight (exclusive).</param>
/// <param name="TradesWeekends">Whether Saturdays and Sundays are trading days.</param>
/// <param name="Name">Display name.</param>
/// <param name="Sector">Sector classification (empty when unknown).</param>
/// <param name="Calendar">
/// The trading calendar event times are validated against (<see cref="Calendars.TradingCalendars"/>: XNYS, XNAS, FX,
/// CME_GLOBEX, 24/7), or <c>custom</c> for the weekly hours given by the session fields above.
/// </param>
public sealed record Instrument(
    string Symbol, AssetClass AssetClass, string Venue, string Currency, double TickSize, double LotSize, double Multiplier,
    string SessionTimeZone, int SessionStartSeconds, int SessionEndSeconds, bool TradesWeekends, string Name, string Sector, string Calendar)
{
    /// <summary>A US equity on the Nasdaq calendar, with the extended session (04:00–20:00 New York) that tick data covers.</summary>
    public static Instrument UsEquity(string symbol, string name = "", string sector = "", AssetClass assetClass = AssetClass.Equity) =>
        new(symbol, assetClass, "XNAS", "USD", 0.01, 100, 1, "America/New_York", 4 * 3600, 20 * 3600, false, name, sector, "XNAS");

    /// <summary>A crypto pair trading around the clock.</summary>
    public static Instrument Crypto(string symbol, string venue, string currency) =>
        new(symbol, AssetClass.Crypto, venue, currency, 0.01, 0.00001, 1, "UTC", 0, 86_400, true, symbol, "", "24/7");

    /// <summary>A spot FX pair (e.g. EURUSD) on the FX calendar: Sunday 17:00 to Friday 17:00 New York.</summary>
    public static Instrument Forex(string symbol, string venue) =>
        new(symbol, AssetClass.Forex, venue, symbol.Length == 6 ? symbol[3..] : "", 0.00001, 1000, 1, "America/New_York", -7 * 3600, 17 * 3600, false, symbol, "", "FX");

    /// <summary>A futures contract on the CME Globex calendar (17:00 Chicago the evening before to 16:00); tick and multiplier are the contract's to set.</summary>
    public static Instrument Future(string symbol, double tickSize = 0.01, double multiplier = 1) =>
        new(symbol, AssetClass.Future, "XCME", "USD", tickSize, 1, multiplier, "America/Chicago", -7 * 3600, 16 * 3600, false, symbol, "", "CME_GLOBEX");

    /// <summary>The defaults of an asset class: equity and ETF on XNAS, crypto around the clock, forex on FX, futures on CME Globex.</summary>
    /// <exception cref="ArgumentException">Options and indices have no defaults (their hours and multipliers vary too much to guess).</exception>
    public static Instrument Defaults(string symbol, AssetClass assetClass) => assetClass switch
    {
        AssetClass.Equity or AssetClass.Etf => UsEquity(symbol, assetClass: assetClass),
        AssetClass.Crypto => Crypto(symbol, "", ""),
        AssetClass.Forex => Forex(symbol, ""),
        AssetClass.Future => Future(symbol),
        _ => throw new ArgumentException($"no instrument defaults for asset class {EnumText<AssetClass>.Name(assetClass)} ({symbol}): give its venue, currency, tick size, multiplier and calendar (equity, etf, crypto, forex and future have defaults)"),
    };

    /// <summary>The instrument schema and its batch conversion.</summary>
    public static ArrowRecordCodec<Instrument> Arrow { get; } = new("instrument",
    [
        Col.Utf8<Instrument>("symbol", r => r.Symbol),
        Col.Enum<Instrument, AssetClass>("asset_class", r => r.AssetClass),
        Col.Utf8<Instrument>("venue", r => r.Venue),
        Col.Utf8<Instrument>("currency", r => r.Currency),
        Col.Float64<Instrument>("tick_size", r => r.TickSize),
        Col.Float64<Instrument>("lot_size", r => r.LotSize),
        Col.Float64<Instrument>("multiplier", r => r.Multiplier),
        Col.Utf8<Instrument>("session_tz", r => r.SessionTimeZone),
        Col.Int32<Instrument>("session_start_s", r => r.SessionStartSeconds),
        Col.Int32<Instrument>("session_end_s", r => r.SessionEndSeconds),
        Col.Bool<Instrument>("trades_weekends", r => r.TradesWeekends),
        Col.Utf8<Instrument>("name", r => r.Name),
        Col.Utf8<Instrument>("sector", r => r.Sector),
        Col.Utf8<Instrument>("calendar", r => r.Calendar),
    ], r => new Instrument(r.Utf8(0), r.Enum<AssetClass>(1), r.Utf8(2), r.Utf8(3), r.Float64(4), r.Float64(5), r.Float64(6),
        r.Utf8(7), r.Int32(8), r.Int32(9), r.Bool(10), r.Utf8(11), r.Utf8(12), r.Utf8(13)));
}
