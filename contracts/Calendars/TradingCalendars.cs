using System.Security.Cryptography;
using System.Text;

namespace CroweLogic.Flow.Contracts.Calendars;

/// <summary>The calendars flow ships, by name; an instrument names one of them (or <see cref="Custom"/>).</summary>
public static class TradingCalendars
{
    private static readonly HashSet<DayOfWeek> Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>New York Stock Exchange.</summary>
    public static TradingCalendar Xnys { get; } = new UsEquityCalendar("XNYS", "New York Stock Exchange");

    /// <summary>Nasdaq (the same closures and hours as NYSE).</summary>
    public static TradingCalendar Xnas { get; } = new UsEquityCalendar("XNAS", "Nasdaq");

    /// <summary>Spot FX: Sunday 17:00 to Friday 17:00 New York, each trading date opening at 17:00 the evening before.</summary>
    public static TradingCalendar Fx { get; } = new WeeklyCalendar("FX", "America/New_York",
        "Spot FX: trading date Monday-Friday from 17:00 New York the evening before to 17:00 (Sunday 17:00 to Friday 17:00), no holidays, 1970-2099",
        Weekdays, TimeSpan.FromHours(-7), TimeSpan.FromHours(-7), TimeSpan.FromHours(17), TimeSpan.FromHours(17));

    /// <summary>CME Globex: 17:00 Chicago the evening before to 16:00, Monday to Friday.</summary>
    public static TradingCalendar CmeGlobex { get; } = new WeeklyCalendar("CME_GLOBEX", "America/Chicago",
        "CME Globex: trading date Monday-Friday from 17:00 Chicago the evening before to 16:00 (equity-index regular hours 08:30-15:15), the weekly schedule only (exchange holidays are not modelled), 1970-2099",
        Weekdays, TimeSpan.FromHours(-7), new TimeSpan(8, 30, 0), new TimeSpan(15, 15, 0), TimeSpan.FromHours(16));

    /// <summary>Around the clock, every day (crypto).</summary>
    public static TradingCalendar AroundTheClock { get; } = new WeeklyCalendar("24/7", "UTC",
        "Around the clock, every day of the year (crypto), UTC dates, 1970-2099",
        Enum.GetValues<DayOfWeek>().ToHashSet(), TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromDays(1), TimeSpan.FromDays(1));

    /// <summary>
    /// The calendar name of an instrument validated by its own weekly hours (<c>session_tz</c>, <c>session_start_s</c>,
    /// <c>session_end_s</c>, <c>trades_weekends</c>) instead of a shipped calendar.
    /// </summary>
    public const string Custom = "custom";

    /// <summary>Every shipped calendar.</summary>
    public static IReadOnlyList<TradingCalendar> All { get; } = [Xnys, Xnas, Fx, CmeGlobex, AroundTheClock];

    /// <summary>Looks a calendar up by name.</summary>
    /// <exception cref="ArgumentException">No calendar has that name.</exception>
    public static TradingCalendar Named(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"no trading calendar '{name}'; calendars: {string.Join(", ", All.Select(c => c.Name))} (or '{Custom}' for the instrument's own session hours)");

    /// <summary>True when <paramref name="name"/> is a shipped calendar or <see cref="Custom"/>.</summary>
    public static bool IsKnown(string name) => name == Custom || All.Any(c => c.Name == name);

    /// <summary>Every calendar's rows, in calendar then date order.</summary>
    public static IReadOnlyList<TradingSession> Sessions => _sessions ??= [.. All.SelectMany(c => c.Sessions())];

    /// <summary>A hash of <see cref="Sessions"/>: a store whose calendar table carries another version is rewritten.</summary>
    public static string Version => _version ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", Sessions))))[..16];

    private static IReadOnlyList<TradingSession>? _sessions;
    private static string? _version;
}
