using System.Collections.Concurrent;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Activities;

/// <summary>
/// The lanes a worker process is running, by deployment: how incident response reaches a running lane's kill switch
/// and stand-down. Stand-downs are also kept per deployment after its lane ends, so a stage that starts later sees them.
/// </summary>
public sealed class LiveLanes
{
    private readonly ConcurrentDictionary<string, LaneControl> _running = new(StringComparer.Ordinal);

    /// <summary>Registers a running lane; dispose the result when it ends.</summary>
    public IDisposable Track(string deployment, LaneControl control)
    {
        if (!_running.TryAdd(deployment, control)) throw new InvalidOperationException($"deployment {deployment} already has a running lane");
        return new Registration(() => _running.TryRemove(new KeyValuePair<string, LaneControl>(deployment, control)));
    }

    /// <summary>The running lane's control, or null when the deployment runs no lane here.</summary>
    public LaneControl? Find(string deployment) => _running.TryGetValue(deployment, out var control) ? control : null;

    private sealed class Registration(Action release) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) release();
        }
    }
}
