using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CroweLogic.Flow.Contracts.MarketData;
using CroweLogic.Flow.Dataflow.Clocks;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// A live feed as the lane's input: what the market-data port delivers (<see cref="IMarketDataEvents"/>) becomes, in
/// arrival order, the lane's market messages (each stamped with the time its first row came off the wire, where
/// tick-to-order starts) and its feed commands: a gap → <see cref="LaneCommandKind.FeedGap"/>, every instrument rebuilt
/// again → <see cref="LaneCommandKind.FeedSynchronised"/>, a refused subscription → <see cref="LaneCommandKind.FeedLost"/>.
/// A feed silent for longer than <see cref="StaleAfter"/> is a gap too. The queue is bounded: when the lane falls
/// behind, the feed's network thread waits (TCP pushes back on the venue) rather than anything being dropped.
/// Data freshness — wall time at the hand-over to the lane minus each row's exchange time — is sampled per row.
/// </summary>
public sealed class LiveFeed : IMarketDataEvents, IAsyncDisposable
{
    private readonly IClock _clock;
    private readonly Channel<LaneMessage> _queue;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _unsynchronised = new(StringComparer.Ordinal);
    private readonly LatencySamples _freshness = new(1 << 16);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watchdog;
    private long _sequence;
    private long _lastData;
    private bool _silent;
    private long _events;
    private long _gaps;
    private long _waits;
    private long _afterClose;
    private bool _closed;
    private string _state = "connecting";

    /// <summary>A feed on <paramref name="clock"/> (the lane's wall clock).</summary>
    /// <param name="clock">Wall time.</param>
    /// <param name="staleAfter">How long the feed may be silent before that is a gap (null: 5 s).</param>
    /// <param name="capacity">Messages that may wait for the lane.</param>
    public LiveFeed(IClock clock, TimeSpan? staleAfter = null, int capacity = 1024)
    {
        _clock = clock;
        StaleAfter = staleAfter ?? TimeSpan.FromSeconds(5);
        _queue = Channel.CreateBounded<LaneMessage>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _lastData = clock.NowNanos;
        _watchdog = Task.Run(WatchAsync);
    }

    /// <summary>How long the feed may be silent.</summary>
    public TimeSpan StaleAfter { get; }

    /// <summary>Rows delivered to the lane.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Gaps reported (the feed's and silences).</summary>
    public long Gaps => Interlocked.Read(ref _gaps);

    /// <summary>Times the feed had to wait for the lane (the queue was full).</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>The feed's connection as last reported.</summary>
    public string State => Volatile.Read(ref _state);

    /// <summary>Every gap and status, in order (for the session's log and tests).</summary>
    public List<string> Log { get; } = [];

    /// <summary>Freshness percentile over the recent rows, ns (NaN before any).</summary>
    public double FreshnessNanos(double quantile) => _freshness.Quantile(quantile);

    /// <inheritdoc />
    public void OnBatch(FeedBatch batch)
    {
        Volatile.Write(ref _lastData, _clock.NowNanos);
        if (Volatile.Read(ref _silent))
        {
            lock (_gate)
            {
                if (_silent)
                {
                    _silent = false;
                    _unsynchronised.Remove("");
                    Note($"feed data again after a silence");
                    if (_unsynchronised.Count == 0) Write(new LaneMessage(new LaneCommand(LaneCommandKind.FeedSynchronised, _clock.NowNanos, "data flows again after a silence")));
                }
            }
        }
        var message = new LaneMessage(new MarketBatch(MarketShape.Ticks, batch.Ticks, Interlocked.Increment(ref _sequence) - 1)) { Arrival = batch.ReceivedTimestamp };
        Write(message);
    }

    /// <inheritdoc />
    public void OnGap(FeedGap gap)
    {
        Interlocked.Increment(ref _gaps);
        lock (_gate)
        {
            _unsynchronised.Add(gap.Symbol);
            var where = gap.Symbol.Length == 0 ? gap.Source : $"{gap.Source} {gap.Symbol}";
            Note($"gap: {where}: {gap.Reason}");
            Write(new LaneMessage(new LaneCommand(gap.Fatal ? LaneCommandKind.FeedLost : LaneCommandKind.FeedGap, gap.Ts, $"{where}: {gap.Reason}")));
        }
    }

    /// <inheritdoc />
    public void OnStatus(FeedStatus status)
    {
        lock (_gate)
        {
            Note($"{status.State.ToString().ToLowerInvariant()}: {status.Reason}");
            switch (status.State)
            {
                case FeedState.Connected:
                    Volatile.Write(ref _state, "connected");
                    break;
                case FeedState.Disconnected:
                    Volatile.Write(ref _state, "disconnected");
                    break;
                case FeedState.Synchronised:
                    if (_unsynchronised.Remove(status.Symbol) && _unsynchronised.Count == 0)
                        Write(new LaneMessage(new LaneCommand(LaneCommandKind.FeedSynchronised, status.Ts, $"{status.Source}: {status.Reason}")));
                    break;
            }
        }
    }

    /// <summary>The lane's input until <paramref name="cancellationToken"/> ends the session.</summary>
    public async IAsyncEnumerable<LaneMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_queue.Reader.TryRead(out var message))
            {
                if (message.Market is { } market) Handed(market);
                yield return message;
            }
        }
    }

    /// <summary>
    /// Ends the lane's input: the session is over. A feed thread waiting for room is released, and what arrives from
    /// now on is counted in <see cref="AfterClose"/>, not queued (call it before stopping the feed, whose threads may be waiting).
    /// </summary>
    public void Close()
    {
        Volatile.Write(ref _closed, true);
        _queue.Writer.TryComplete();
    }

    /// <summary>Messages that arrived after <see cref="Close"/>.</summary>
    public long AfterClose => Interlocked.Read(ref _afterClose);

    /// <summary>Stops the silence watchdog and ends the lane's input.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _watchdog.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private void Handed(MarketBatch market)
    {
        var ts = LaneColumns.Int64s(market.Batch, "ts", "the live feed");
        var now = _clock.NowNanos;
        foreach (var t in ts) _freshness.Add(now - t);
        Interlocked.Add(ref _events, ts.Length);
    }

    private void Write(LaneMessage message)
    {
        if (_queue.Writer.TryWrite(message)) return;
        if (Volatile.Read(ref _closed))
        {
            Interlocked.Increment(ref _afterClose);
            return;
        }
        Interlocked.Increment(ref _waits);
        // The lane is behind: hold the feed's thread (and through TCP, the venue) instead of queueing without bound.
        try
        {
            _queue.Writer.WriteAsync(message).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            // The session is over; what arrives after its end is not the lane's.
            Interlocked.Increment(ref _afterClose);
        }
    }

    private void Note(string line)
    {
        if (Log.Count < 10_000) Log.Add(line);
    }

    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            var quiet = _clock.NowNanos - Volatile.Read(ref _lastData);
            if (quiet <= StaleAfter.Ticks * 100 || Volatile.Read(ref _silent)) continue;
            lock (_gate) _silent = true;
            OnGap(new FeedGap("feed", "", _clock.NowNanos, $"no market data for {quiet / 1e9:0.#} s (stale after {StaleAfter.TotalSeconds:0.#} s)"));
        }
    }
}
