namespace CroweLogic.Flow.Contracts.Calendars;

/// <summary>
/// NYSE and Nasdaq (they close on the same days): 04:00–20:00 New York with the regular session 09:30–16:00, closed
/// on the exchange holidays (observed Saturday→Friday and Sunday→Monday, but New Year's Day on a Saturday is not
/// moved), and closing at 13:00 (extended hours 17:00) on the eve of Independence Day, the day after Thanksgiving and
/// Christmas Eve. The one-off closures and early closes of 1998–2025 are listed by date.
/// </summary>
/// <param name="name">XNYS or XNAS.</param>
/// <param name="venue">The exchange named in the description.</param>
public sealed class UsEquityCalendar(string name, string venue) : TradingCalendar
{
    private static readonly TimeSpan ExtendedOpen = TimeSpan.FromHours(4), MarketOpenTime = new(9, 30, 0), MarketCloseTime = TimeSpan.FromHours(16),
        ExtendedClose = TimeSpan.FromHours(20), EarlyMarketClose = TimeSpan.FromHours(13), EarlyExtendedClose = TimeSpan.FromHours(17);

    // Closures no rule predicts.
    private static readonly Dictionary<DateOnly, string> SpecialClosures = new()
    {
        [new(2001, 9, 11)] = "September 11 attacks", [new(2001, 9, 12)] = "September 11 attacks",
        [new(2001, 9, 13)] = "September 11 attacks", [new(2001, 9, 14)] = "September 11 attacks",
        [new(2004, 6, 11)] = "Day of mourning for Ronald Reagan",
        [new(2007, 1, 2)] = "Day of mourning for Gerald Ford",
        [new(2012, 10, 29)] = "Hurricane Sandy", [new(2012, 10, 30)] = "Hurricane Sandy",
        [new(2018, 12, 5)] = "Day of mourning for George H. W. Bush",
        [new(2025, 1, 9)] = "Day of mourning for Jimmy Carter",
    };

    // Early closes no rule predicts: in 2002 the exchange closed early on 5 July instead of the 3rd, and in 2003 also on 26 December.
    private static readonly Dictionary<DateOnly, string> SpecialEarlyCloses = new()
    {
        [new(2002, 7, 5)] = "Day after Independence Day",
        [new(2003, 12, 26)] = "Day after Christmas",
    };

    private static readonly HashSet<DateOnly> SkippedEarlyCloses = [new(2002, 7, 3)];

    /// <inheritdoc />
    public override string Name => name;

    /// <inheritdoc />
    public override string TimeZoneId => "America/New_York";

    /// <inheritdoc />
    public override string Description => $"{venue}: 04:00-20:00 New York (regular 09:30-16:00), exchange holidays and 13:00 early closes, 1998-2030";

    /// <inheritdoc />
    public override DateOnly First { get; } = new(1998, 1, 1);

    /// <inheritdoc />
    public override DateOnly Last { get; } = new(2030, 12, 31);

    /// <inheritdoc />
    public override TradingSession? On(DateOnly date)
    {
        if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return null;
        if ((SpecialClosures.GetValueOrDefault(date) ?? HolidayName(date)) is { } closure) return Holiday(date, closure);
        var early = EarlyCloseName(date);
        return new TradingSession(Name, date, SessionKind.Session, Local(date, ExtendedOpen), Local(date, MarketOpenTime),
            Local(date, early is null ? MarketCloseTime : EarlyMarketClose), Local(date, early is null ? ExtendedClose : EarlyExtendedClose), early is not null, early ?? "");
    }

    /// <summary>The exchange holiday observed on a weekday, or null.</summary>
    public static string? HolidayName(DateOnly date)
    {
        var y = date.Year;
        // New Year's Day on a Saturday is not observed on the Friday before (the year-end close must trade).
        if (date == new DateOnly(y, 1, 1) && date.DayOfWeek != DayOfWeek.Sunday || date == new DateOnly(y, 1, 2) && date.DayOfWeek == DayOfWeek.Monday)
            return "New Year's Day";
        if (date == NthWeekday(y, 1, DayOfWeek.Monday, 3)) return "Martin Luther King Jr. Day";
        if (date == NthWeekday(y, 2, DayOfWeek.Monday, 3)) return "Washington's Birthday";
        if (date == Easter(y).AddDays(-2)) return "Good Friday";
        if (date == LastWeekday(y, 5, DayOfWeek.Monday)) return "Memorial Day";
        if (y >= 2022 && date == Observed(new DateOnly(y, 6, 19))) return "Juneteenth";
        if (date == Observed(new DateOnly(y, 7, 4))) return "Independence Day";
        if (date == NthWeekday(y, 9, DayOfWeek.Monday, 1)) return "Labor Day";
        if (date == NthWeekday(y, 11, DayOfWeek.Thursday, 4)) return "Thanksgiving Day";
        if (date == Observed(new DateOnly(y, 12, 25))) return "Christmas Day";
        return null;
    }

    private static string? EarlyCloseName(DateOnly date)
    {
        if (SpecialEarlyCloses.TryGetValue(date, out var special)) return special;
        if (SkippedEarlyCloses.Contains(date)) return null;
        var y = date.Year;
        // The eves fall on Monday-Thursday; on a Friday they are the observed holiday itself.
        var weekday = date.DayOfWeek is >= DayOfWeek.Monday and <= DayOfWeek.Thursday;
        if (weekday && date == new DateOnly(y, 7, 3)) return "Independence Day eve";
        if (date == NthWeekday(y, 11, DayOfWeek.Thursday, 4).AddDays(1)) return "Day after Thanksgiving";
        if (weekday && date == new DateOnly(y, 12, 24)) return "Christmas Eve";
        return null;
    }

    private static DateOnly Observed(DateOnly holiday) => holiday.DayOfWeek switch
    {
        DayOfWeek.Saturday => holiday.AddDays(-1),
        DayOfWeek.Sunday => holiday.AddDays(1),
        _ => holiday,
    };

    private static DateOnly NthWeekday(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays(((int)day - (int)first.DayOfWeek + 7) % 7 + 7 * (n - 1));
    }

    private static DateOnly LastWeekday(int year, int month, DayOfWeek day)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)day + 7) % 7));
    }

    /// <summary>Easter Sunday of the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" algorithm).</summary>
    public static DateOnly Easter(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
        var month = (h + l - 7 * m + 114) / 31;
        var day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }
}
