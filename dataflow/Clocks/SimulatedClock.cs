namespace CroweLogic.Flow.Dataflow.Clocks;

/// <summary>
/// Replay time: set by the events themselves as they are read from history, so every time-dependent decision
/// (staleness, throttles, latency models) is deterministic and identical across runs.
/// </summary>
public sealed class SimulatedClock(long startNanos = 0) : IClock
{
    private long _now = startNanos;

    /// <inheritdoc />
    public long NowNanos => Volatile.Read(ref _now);

    /// <summary>Moves time forward to <paramref name="nanos"/>; an earlier time leaves it unchanged (events may arrive late).</summary>
    /// <returns>The clock's time after the call.</returns>
    public long AdvanceTo(long nanos)
    {
        while (true)
        {
            var current = Volatile.Read(ref _now);
            if (nanos <= current) return current;
            if (Interlocked.CompareExchange(ref _now, nanos, current) == current) return nanos;
        }
    }
}
