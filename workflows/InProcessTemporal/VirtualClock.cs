namespace CroweLogic.Flow.Workflows.InProcessTemporal;

/// <summary>
/// The service's clock and timer wheel: wall-clock time plus a skipped offset. With time skipping on, when nothing is
/// runnable (no queued or in-flight task) the clock jumps to the next due timer, so week-long workflow timers finish
/// in milliseconds in tests.
/// </summary>
internal sealed class VirtualClock : IAsyncDisposable
{
    private readonly PriorityQueue<Action, (DateTime Due, long Sequence)> _timers = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Task _loop;
    private long _sequence;
    private TimeSpan _skipped;

    public VirtualClock(Func<bool>? idle)
    {
        Idle = idle;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>When set, returns whether the service is idle (time may jump); null disables time skipping.</summary>
    public Func<bool>? Idle { get; set; }

    public DateTime UtcNow
    {
        get { lock (_gate) return DateTime.UtcNow + _skipped; }
    }

    public TimeSpan Skipped
    {
        get { lock (_gate) return _skipped; }
    }

    /// <summary>Runs <paramref name="action"/> at <paramref name="due"/> (virtual time) on the timer thread.</summary>
    public void At(DateTime due, Action action)
    {
        lock (_gate) _timers.Enqueue(action, (due, _sequence++));
        _wake.Release();
    }

    /// <summary>Wakes the timer loop (e.g. after the service became idle).</summary>
    public void Nudge() => _wake.Release();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Action? due = null;
            TimeSpan wait;
            lock (_gate)
            {
                var now = DateTime.UtcNow + _skipped;
                if (_timers.TryPeek(out var next, out var key))
                {
                    if (key.Due <= now)
                    {
                        due = _timers.Dequeue();
                        wait = TimeSpan.Zero;
                    }
                    else if (Idle is { } idle && idle())
                    {
                        _skipped += key.Due - now;
                        due = _timers.Dequeue();
                        wait = TimeSpan.Zero;
                    }
                    else wait = key.Due - now < TimeSpan.FromMilliseconds(50) ? key.Due - now : TimeSpan.FromMilliseconds(50);
                }
                else wait = TimeSpan.FromMilliseconds(200);
            }
            if (due is not null)
            {
                due();
                continue;
            }
            await _wake.WaitAsync(wait, _stop.Token).ConfigureAwait(false);
        }
    }
}
