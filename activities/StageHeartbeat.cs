using Temporalio.Activities;

namespace CroweLogic.Flow.Activities;

/// <summary>
/// Heartbeats a long activity from a timer while its work runs: the service learns the worker is alive (a dead one's
/// attempt fails over within the heartbeat timeout), and a cancel or abort comes back on the next heartbeat as the
/// activity's cancellation.
/// </summary>
public sealed class StageHeartbeat : IDisposable
{
    private readonly Timer? _timer;

    private StageHeartbeat(ActivityExecutionContext? context, TimeSpan every)
    {
        if (context is null) return;
        _timer = new Timer(_ => context.Heartbeat(), null, TimeSpan.Zero, every);
    }

    /// <summary>Starts heartbeating the current activity (nothing outside an activity).</summary>
    public static StageHeartbeat Start(TimeSpan? every = null) =>
        new(ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current : null, every ?? TimeSpan.FromSeconds(10));

    /// <inheritdoc />
    public void Dispose() => _timer?.Dispose();
}
