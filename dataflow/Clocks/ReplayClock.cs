using System.Diagnostics;

namespace CroweLogic.Flow.Dataflow.Clocks;

/// <summary>
/// The clock of paper trading on a replayed feed: wall time mapped onto the feed's event time, started at the first
/// event and running <see cref="Speed"/> times faster than the wall (1: real time). Staleness and pacing are judged
/// against it, so a lane that falls behind a replay sees its data age exactly as it would live.
/// </summary>
/// <param name="speed">Event time per unit of wall time.</param>
public sealed class ReplayClock(double speed) : IClock
{
    private long _origin = long.MinValue;
    private long _startTicks;

    /// <summary>Event time per unit of wall time.</summary>
    public double Speed { get; } = speed > 0 && double.IsFinite(speed) ? speed : throw new ArgumentOutOfRangeException(nameof(speed), speed, "the replay speed must be a positive number");

    /// <summary>Whether the replay has started.</summary>
    public bool Started => Volatile.Read(ref _origin) != long.MinValue;

    /// <inheritdoc />
    public long NowNanos => Started ? _origin + (long)(Stopwatch.GetElapsedTime(_startTicks).Ticks * 100.0 * Speed) : long.MinValue;

    /// <summary>Starts the clock at event time <paramref name="eventNanos"/> (once; later calls do nothing).</summary>
    public void Start(long eventNanos)
    {
        if (Started) return;
        _startTicks = Stopwatch.GetTimestamp();
        Volatile.Write(ref _origin, eventNanos);
    }

    /// <summary>Waits until the clock reaches <paramref name="eventNanos"/>.</summary>
    public async Task WaitUntilAsync(long eventNanos, CancellationToken cancellationToken)
    {
        while (NowNanos < eventNanos)
        {
            var wall = TimeSpan.FromTicks(Math.Max(1, (long)((eventNanos - NowNanos) / Speed / 100)));
            await Task.Delay(wall, cancellationToken).ConfigureAwait(false);
        }
    }
}
