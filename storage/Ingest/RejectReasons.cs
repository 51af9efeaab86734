namespace CroweLogic.Flow.Storage.Ingest;

/// <summary>The reasons a row can be quarantined for, as they appear in <c>rejects.reason</c>.</summary>
public static class RejectReasons
{
    /// <summary>A field the source could not parse (e.g. text in a price column).</summary>
    public const string Unparseable = "unparseable_value";

    /// <summary>NaN or infinity in a numeric field.</summary>
    public const string NonFinite = "non_finite_value";

    /// <summary>A price at or below zero.</summary>
    public const string NonPositivePrice = "non_positive_price";

    /// <summary>A size at or below zero.</summary>
    public const string NonPositiveSize = "non_positive_size";

    /// <summary>Negative bar volume.</summary>
    public const string NegativeVolume = "negative_volume";

    /// <summary>Bid above ask.</summary>
    public const string CrossedQuote = "crossed_quote";

    /// <summary>A quote with neither side.</summary>
    public const string EmptyQuote = "empty_quote";

    /// <summary>A quote side with a size but no price.</summary>
    public const string IncompleteSide = "incomplete_side";

    /// <summary>High below open/close/low or low above open/close.</summary>
    public const string InconsistentOhlc = "inconsistent_ohlc";

    /// <summary>A bar period at or below zero.</summary>
    public const string InvalidPeriod = "invalid_period";

    /// <summary>An enum column with a value outside its vocabulary.</summary>
    public const string InvalidEnum = "invalid_enum";

    /// <summary>A symbol with no row in <c>instruments</c>.</summary>
    public const string UnknownInstrument = "unknown_instrument";

    /// <summary>An event time outside the instrument's trading session (before the open, after the close or early close) or on a weekend.</summary>
    public const string OutsideSession = "outside_session";

    /// <summary>An event time on a weekday the instrument's calendar is closed (an exchange holiday or one-off closure).</summary>
    public const string MarketHoliday = "market_holiday";

    /// <summary>An event time outside the years the instrument's calendar defines, or a calendar flow does not ship.</summary>
    public const string OutsideCalendar = "outside_calendar";

    /// <summary>An instrument registered with an empty calendar.</summary>
    public const string NoCalendar = "no_calendar";

    /// <summary>An event time before 1970-01-02 or more than a day in the future.</summary>
    public const string TimestampOutOfRange = "timestamp_out_of_range";

    /// <summary>
    /// The reasons that depend on reference data rather than on the row: a batch refused for them is checked again once
    /// the instruments or calendars have changed.
    /// </summary>
    public static IReadOnlySet<string> DependOnReferenceData { get; } = new HashSet<string>(StringComparer.Ordinal)
        { UnknownInstrument, OutsideSession, MarketHoliday, OutsideCalendar, NoCalendar };

    /// <summary>The source itself flagged the row (e.g. LEAN's suspicious flag).</summary>
    public const string FlaggedBySource = "flagged_by_source";
}
