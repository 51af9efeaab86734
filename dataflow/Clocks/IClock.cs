namespace CroweLogic.Flow.Dataflow.Clocks;

/// <summary>
/// The lane's notion of now, in int64 nanoseconds since the Unix epoch (UTC), the contracts' time base. Agents read time
/// only through this, so a replay over history and a live session run the same code (NautilusTrader's model).
/// </summary>
public interface IClock
{
    /// <summary>The current time, never decreasing.</summary>
    long NowNanos { get; }
}
