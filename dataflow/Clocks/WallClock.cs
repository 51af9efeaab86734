using System.Diagnostics;

namespace CroweLogic.Flow.Dataflow.Clocks;

/// <summary>
/// Real time for paper and live sessions: the system UTC time read once, advanced by the monotonic high-resolution
/// timer, so a wall-clock step (NTP adjustment) can never make the lane's time go backwards.
/// </summary>
public sealed class WallClock : IClock
{
    private readonly long _anchorNanos;
    private readonly long _anchorTicks;

    /// <summary>Anchors to <paramref name="time"/> (the system clock by default).</summary>
    public WallClock(TimeProvider? time = null)
    {
        var provider = time ?? TimeProvider.System;
        _anchorTicks = provider.GetTimestamp();
        _anchorNanos = (provider.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        Frequency = provider.TimestampFrequency;
        Provider = provider;
    }

    private long Frequency { get; }

    private TimeProvider Provider { get; }

    /// <inheritdoc />
    public long NowNanos
    {
        get
        {
            var elapsed = Provider.GetTimestamp() - _anchorTicks;
            return _anchorNanos + (long)(elapsed * (1_000_000_000.0 / Frequency));
        }
    }
}
