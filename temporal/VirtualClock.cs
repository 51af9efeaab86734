namespace CroweLogic.Flow.Temporal;

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

    /// <summary>With time skipping on, moves the clock forward to at least <paramref name="instant"/> (a restart resumes where the skipped clock was).</summary>
    public void AdvanceTo(DateTime instant)
    {
        if (Idle is null) return;
        lock (_gate)
        {
            var now = DateTime.UtcNow + _skipped;
            if (instant > now) _skipped += instant - now;
        }
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
            DateTime? nextDue = null;
            lock (_gate)
            {
                if (_timers.TryPeek(out _, out var key))
                {
                    if (key.Due <= DateTime.UtcNow + _skipped) due = _timers.Dequeue();
                    else nextDue = key.Due;
                }
            }
            if (due is not null)
            {
                due();
                continue;
            }
            // The idle check takes the engine's lock: never call it while holding the clock's (the engine calls At under its own).
            if (nextDue is { } target && Idle is { } idle && idle())
            {
                lock (_gate)
                {
                    var now = DateTime.UtcNow + _skipped;
                    if (_timers.TryPeek(out _, out var key) && key.Due == target && target > now) _skipped += target - now;
                }
                continue;
            }
            var wait = nextDue is { } d ? d - (DateTime.UtcNow + Skipped) : TimeSpan.FromMilliseconds(200);
            wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : wait;
            await _wake.WaitAsync(wait, _stop.Token).ConfigureAwait(false);
        }
    }
}
