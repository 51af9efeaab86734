using System.Diagnostics;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.MarketData;

namespace CroweLogic.Flow.Gateways.MarketData;

/// <summary>
/// Gathers what a feed's network threads receive into tick-shape Arrow batches: rows are appended as messages are
/// parsed and handed on as one <see cref="FeedBatch"/> every <see cref="Window"/> (1 ms by default) — at 100 000
/// events a second a batch per message would cost the lane more in per-message overhead than the events themselves.
/// Each batch carries the wall and Stopwatch times its first row was received. Rows get consecutive sequence numbers
/// per instrument. Thread-safe.
/// </summary>
public sealed class FeedBatcher : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly IMarketDataEvents _events;
    private readonly Func<long> _wallNanos;
    private readonly Dictionary<string, long> _sequence = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flusher;
    private TickBatchBuilder _builder = new(256);
    private long _receivedNanos;
    private long _receivedTimestamp;
    private long _rows;

    /// <summary>Batches for <paramref name="events"/>; <paramref name="wallNanos"/> is the wall clock (ns since the epoch).</summary>
    public FeedBatcher(IMarketDataEvents events, Func<long> wallNanos, TimeSpan? window = null)
    {
        (_events, _wallNanos) = (events, wallNanos);
        Window = window ?? TimeSpan.FromMilliseconds(1);
        _flusher = Task.Run(FlushLoop);
    }

    /// <summary>How long rows wait to be batched.</summary>
    public TimeSpan Window { get; }

    /// <summary>Rows handed on so far.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Wall time now (the feed's clock), ns since the epoch.</summary>
    public long Now => _wallNanos();

    /// <summary>Appends a trade received now.</summary>
    public void Trade(string symbol, long ts, double price, double size)
    {
        lock (_gate)
        {
            Received();
            _builder.Trade(symbol, ts, Next(symbol), price, size);
        }
    }

    /// <summary>Appends a top-of-book quote received now (NaN for an empty side).</summary>
    public void Quote(string symbol, long ts, double bid, double bidSize, double ask, double askSize)
    {
        lock (_gate)
        {
            Received();
            _builder.Quote(symbol, ts, Next(symbol), bid, bidSize, ask, askSize);
        }
    }

    /// <summary>Hands on what is gathered now (a feed about to report a gap flushes first, so the gap follows its data).</summary>
    public void Flush()
    {
        FeedBatch? batch;
        lock (_gate)
        {
            if (_builder.Rows == 0) return;
            var rows = _builder.Rows;
            batch = new FeedBatch(_builder.Build(), _receivedNanos, _receivedTimestamp);
            _receivedTimestamp = 0;
            Interlocked.Add(ref _rows, rows);
            // Delivered under the lock, so batches reach the lane in the order their rows arrived.
            _events.OnBatch(batch);
        }
    }

    /// <summary>Stops the flusher after a last flush.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _flusher.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        Flush();
        _stop.Dispose();
    }

    private void Received()
    {
        if (_receivedTimestamp != 0) return;
        _receivedTimestamp = Stopwatch.GetTimestamp();
        _receivedNanos = _wallNanos();
    }

    private long Next(string symbol)
    {
        var seq = _sequence.GetValueOrDefault(symbol) + 1;
        _sequence[symbol] = seq;
        return seq;
    }

    private async Task FlushLoop()
    {
        using var timer = new PeriodicTimer(Window);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) Flush();
    }
}
