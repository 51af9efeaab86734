namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>Limits of the clean-align agent.</summary>
/// <param name="MaxStalenessNanos">An event older than the clock by more than this is stale (live data that arrived too late to act on).</param>
/// <param name="MaxFutureNanos">An event newer than the clock by more than this has a broken timestamp.</param>
public sealed record CleanAlignSettings(long MaxStalenessNanos, long MaxFutureNanos)
{
    /// <summary>2 s staleness, 1 s clock skew.</summary>
    public static CleanAlignSettings Default { get; } = new(2_000_000_000, 1_000_000_000);

    /// <summary>For replays of history: no event is late or early against the replay's own clock; order and values are still checked.</summary>
    public static CleanAlignSettings Replay { get; } = new(long.MaxValue, long.MaxValue);

    /// <summary>The limits in event time of a replay running <paramref name="speed"/> times faster than the wall (paper trading).</summary>
    public CleanAlignSettings ScaledBy(double speed) => new(Scale(MaxStalenessNanos, speed), Scale(MaxFutureNanos, speed));

    private static long Scale(long nanos, double speed) => nanos * speed >= long.MaxValue ? long.MaxValue : (long)(nanos * speed);
}
