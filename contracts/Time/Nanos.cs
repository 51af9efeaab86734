namespace CroweLogic.Flow.Contracts.Time;

/// <summary>
/// The platform time base: int64 nanoseconds since the Unix epoch, UTC, exchange time.
/// Helpers convert at the edges only; events carry the raw int64.
/// </summary>
public static class Nanos
{
    /// <summary>Nanoseconds in one second.</summary>
    public const long PerSecond = 1_000_000_000L;

    /// <summary>Nanoseconds in one millisecond.</summary>
    public const long PerMillisecond = 1_000_000L;

    /// <summary>Nanoseconds in one minute.</summary>
    public const long PerMinute = 60 * PerSecond;

    /// <summary>Nanoseconds in one day.</summary>
    public const long PerDay = 86_400 * PerSecond;

    // DateTime ticks are 100 ns; the epoch offset is fixed.
    private const long UnixEpochTicks = 621_355_968_000_000_000L;

    /// <summary>Converts a UTC (or offset-aware) instant to nanoseconds since the epoch.</summary>
    public static long FromDateTimeOffset(DateTimeOffset value) => (value.UtcTicks - UnixEpochTicks) * 100L;

    /// <summary>Converts a <see cref="DateTime"/>; an unspecified kind is taken as UTC, never as local time.</summary>
    public static long FromDateTime(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return (utc.Ticks - UnixEpochTicks) * 100L;
    }

    /// <summary>Converts nanoseconds since the epoch to a UTC <see cref="DateTimeOffset"/> (100 ns resolution).</summary>
    public static DateTimeOffset ToDateTimeOffset(long nanos) => new(UnixEpochTicks + FloorDiv(nanos, 100L), TimeSpan.Zero);

    /// <summary>Nanoseconds at 00:00 UTC of a calendar date.</summary>
    public static long FromDate(DateOnly date) => FromDateTime(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));

    /// <summary>Formats as ISO-8601 UTC with nanosecond digits, e.g. 2013-10-07T13:30:00.123456789Z.</summary>
    public static string ToIso(long nanos)
    {
        var seconds = FloorDiv(nanos, PerSecond);
        var frac = nanos - seconds * PerSecond;
        var dt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return $"{dt:yyyy-MM-ddTHH:mm:ss}.{frac:D9}Z";
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
