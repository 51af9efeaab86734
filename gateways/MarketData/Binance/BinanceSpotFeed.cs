using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.MarketData;

namespace CroweLogic.Flow.Gateways.MarketData.Binance;

/// <summary>
/// Binance spot market data behind the market-data port, to the venue's documented wire protocol: one combined-stream
/// WebSocket (<c>/stream</c>) with <c>SUBSCRIBE</c> requests for each instrument's <c>@trade</c> and <c>@depth@100ms</c>
/// streams, books kept by <see cref="BinanceDepthSync"/> from REST snapshots (<c>GET /api/v3/depth</c>) and the diff
/// stream, a quote row whenever a book's touch moves and a trade row per trade, exchange time from the events' E and T.
/// A sequence hole, a malformed message or a dropped socket voids the affected books (a gap each) until a new snapshot
/// rebuilds them; a dropped socket is reconnected and resubscribed. REST answers 429 and 418 are waited out for their
/// Retry-After, 5xx backed off, and the used weight (X-MBX-USED-WEIGHT-1M) kept below 90 % of the minute's limit.
/// </summary>
public sealed class BinanceSpotFeed : IMarketDataClient
{
    private readonly BinanceOptions _options;
    private readonly Func<long> _wallNanos;
    private readonly HttpClient _http;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Book> _books = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private IMarketDataEvents? _events;
    private FeedBatcher? _batcher;
    private ClientWebSocket? _socket;
    private Task? _loop;
    private int _requestId;
    private long _usedWeight;
    private long _messages;
    private int _disposed;

    /// <summary>A feed from <paramref name="options"/>; <paramref name="wallNanos"/> is the wall clock (ns since the epoch).</summary>
    public BinanceSpotFeed(BinanceOptions options, Func<long> wallNanos, HttpMessageHandler? handler = null)
    {
        (_options, _wallNanos) = (options, wallNanos);
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = options.RestBase;
        _http.Timeout = TimeSpan.FromSeconds(10);
    }

    /// <inheritdoc />
    public string Source => _options.Source;

    /// <summary>Stream messages received.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>The last X-MBX-USED-WEIGHT-1M the REST API reported.</summary>
    public long UsedWeight => Interlocked.Read(ref _usedWeight);

    /// <summary>The book of <paramref name="symbol"/> (read it only while no data flows: tests).</summary>
    public L2Book? BookOf(string symbol)
    {
        lock (_gate) return _books.TryGetValue(symbol, out var b) ? b.Sync.Book : null;
    }

    /// <inheritdoc />
    public void Start(IMarketDataEvents events)
    {
        _events = events;
        _batcher = new FeedBatcher(events, _wallNanos);
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout);
        try
        {
            ConnectAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            throw new MarketDataException($"Binance stream {_options.StreamBase}: cannot connect within {_options.ConnectTimeout.TotalSeconds:0.#} s: {e.Message}", e);
        }
        _loop = Task.Run(ReceiveLoopAsync);
    }

    /// <inheritdoc />
    public void Subscribe(IReadOnlyList<string> symbols)
    {
        var added = new List<string>();
        lock (_gate)
        {
            foreach (var symbol in symbols.Select(s => s.ToUpperInvariant()))
            {
                if (_books.ContainsKey(symbol)) continue;
                _books[symbol] = new Book(new BinanceDepthSync(symbol));
                added.Add(symbol);
            }
        }
        if (added.Count > 0) Send("SUBSCRIBE", added);
    }

    /// <inheritdoc />
    public void Unsubscribe(IReadOnlyList<string> symbols)
    {
        var removed = new List<string>();
        lock (_gate)
        {
            foreach (var symbol in symbols.Select(s => s.ToUpperInvariant()))
                if (_books.Remove(symbol)) removed.Add(symbol);
        }
        if (removed.Count > 0) Send("UNSUBSCRIBE", removed);
    }

    /// <summary>Drops the socket without a close handshake (tests: a network loss).</summary>
    public void Abort() => _socket?.Abort();

    /// <summary>Closes the stream and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket?.Abort();
        if (_loop is { } loop) await loop.ConfigureAwait(false);
        if (_batcher is { } batcher) await batcher.DisposeAsync().ConfigureAwait(false);
        _socket?.Dispose();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        await socket.ConnectAsync(new Uri(_options.StreamBase, "/stream"), cancellationToken).ConfigureAwait(false);
        _socket = socket;
        Events.OnStatus(new FeedStatus(Source, FeedState.Connected, "", Now, $"Binance stream {_options.StreamBase} connected"));
        List<string> symbols;
        lock (_gate) symbols = [.. _books.Keys];
        if (symbols.Count > 0) Send("SUBSCRIBE", symbols);
    }

    private void Send(string method, IReadOnlyList<string> symbols)
    {
        if (_socket is not { State: WebSocketState.Open } socket) return;
        var streams = symbols.SelectMany(s => new[] { $"\"{s.ToLowerInvariant()}@trade\"", $"\"{s.ToLowerInvariant()}@depth@100ms\"" });
        var request = Encoding.UTF8.GetBytes($"{{\"method\":\"{method}\",\"params\":[{string.Join(',', streams)}],\"id\":{Interlocked.Increment(ref _requestId)}}}");
        lock (socket)
        {
            // One send at a time on a WebSocket; subscriptions are rare, so waiting here is fine.
            socket.SendAsync(request, WebSocketMessageType.Text, true, _stop.Token).GetAwaiter().GetResult();
        }
    }

    private Task ReceiveLoopAsync() => BinanceSocket.ReceiveAsync(() => _socket!, json =>
    {
        Interlocked.Increment(ref _messages);
        Handle(json.Span);
    }, e => DroppedAsync(e.Message), _stop.Token);

    private async Task DroppedAsync(string reason)
    {
        Batcher.Flush();
        var now = Now;
        Events.OnStatus(new FeedStatus(Source, FeedState.Disconnected, "", now, $"Binance stream dropped: {reason}; reconnecting every {_options.ReconnectDelay.TotalSeconds:0.##} s"));
        lock (_gate)
        {
            foreach (var (symbol, book) in _books)
            {
                book.Sync.Void();
                Events.OnGap(new FeedGap(Source, symbol, now, $"the Binance stream dropped ({reason}): updates until the next snapshot are lost"));
            }
        }
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ReconnectDelay, _stop.Token).ConfigureAwait(false);
                _socket?.Dispose();
                await ConnectAsync(_stop.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (WebSocketException e)
            {
                Events.OnStatus(new FeedStatus(Source, FeedState.Disconnected, "", Now, $"reconnect to {_options.StreamBase} failed: {e.Message}"));
            }
        }
    }

    private void Handle(ReadOnlySpan<byte> json)
    {
        object? parsed;
        try
        {
            parsed = BinanceMessages.Parse(json);
        }
        catch (FormatException e)
        {
            // Whose data the message carried is unknown: every book is void until its next snapshot.
            Batcher.Flush();
            lock (_gate)
            {
                foreach (var (symbol, book) in _books)
                {
                    if (!book.Sync.Synchronised) continue;
                    book.Sync.Void();
                    Events.OnGap(new FeedGap(Source, symbol, Now, $"{e.Message}; the book is void until a new snapshot"));
                }
            }
            return;
        }
        switch (parsed)
        {
            case BinanceTrade trade:
                lock (_gate)
                {
                    if (_books.ContainsKey(trade.Symbol)) Batcher.Trade(trade.Symbol, trade.TradeTime, (double)trade.Price, (double)trade.Quantity);
                }
                break;
            case BinanceDepthUpdate update:
                lock (_gate)
                {
                    if (!_books.TryGetValue(update.Symbol, out var book)) return;
                    book.LastEventTime = Math.Max(book.LastEventTime, update.EventTime);
                    var expected = book.Sync.Expected;
                    switch (book.Sync.OnEvent(update))
                    {
                        case DepthStep.Applied:
                            Touch(book, update.EventTime, force: false);
                            break;
                        case DepthStep.Buffered:
                            Fetch(update.Symbol, book);
                            break;
                        case DepthStep.Gap:
                            Batcher.Flush();
                            Events.OnGap(new FeedGap(Source, update.Symbol, Now, book.Sync.LastProblem + "; resynchronising from a snapshot", expected, update.FirstUpdateId));
                            Fetch(update.Symbol, book);
                            break;
                    }
                }
                break;
        }
    }

    // Under _gate. One snapshot request in flight per instrument.
    private void Fetch(string symbol, Book book)
    {
        if (book.Fetching) return;
        book.Fetching = true;
        _ = Task.Run(() => SnapshotAsync(symbol, book));
    }

    private async Task SnapshotAsync(string symbol, Book book)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await WithinWeightAsync().ConfigureAwait(false);
                using var response = await _http.GetAsync($"/api/v3/depth?symbol={symbol}&limit={_options.DepthLimit.ToString(CultureInfo.InvariantCulture)}", _stop.Token).ConfigureAwait(false);
                if (response.Headers.TryGetValues("X-MBX-USED-WEIGHT-1M", out var used) && long.TryParse(used.FirstOrDefault(), CultureInfo.InvariantCulture, out var weight))
                    Interlocked.Exchange(ref _usedWeight, weight);
                if (response.StatusCode is HttpStatusCode.TooManyRequests or (HttpStatusCode)418)
                {
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    Events.OnStatus(new FeedStatus(Source, FeedState.Disconnected, symbol, Now, $"depth snapshot of {symbol}: HTTP {(int)response.StatusCode} (rate limit): waiting {wait.TotalSeconds:0.#} s as Retry-After says"));
                    await Task.Delay(wait, _stop.Token).ConfigureAwait(false);
                    continue;
                }
                if ((int)response.StatusCode >= 500)
                {
                    Events.OnStatus(new FeedStatus(Source, FeedState.Disconnected, symbol, Now, $"depth snapshot of {symbol}: HTTP {(int)response.StatusCode}: retrying in {backoff.TotalSeconds:0.#} s"));
                    await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                    continue;
                }
                var body = await response.Content.ReadAsByteArrayAsync(_stop.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    lock (_gate)
                        Events.OnGap(new FeedGap(Source, symbol, Now, $"depth snapshot of {symbol} refused: HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}", Fatal: true));
                    return;
                }
                BinanceDepthSnapshot snapshot;
                try
                {
                    snapshot = BinanceMessages.ParseSnapshot(body);
                }
                catch (FormatException e)
                {
                    Events.OnStatus(new FeedStatus(Source, FeedState.Disconnected, symbol, Now, $"depth snapshot of {symbol}: {e.Message}; fetching another"));
                    await Task.Delay(_options.SnapshotRetryDelay, _stop.Token).ConfigureAwait(false);
                    continue;
                }
                lock (_gate)
                {
                    if (!_books.ContainsKey(symbol)) return;
                    switch (book.Sync.OnSnapshot(snapshot))
                    {
                        case DepthStep.Synchronised:
                            Events.OnStatus(new FeedStatus(Source, FeedState.Synchronised, symbol, Now, $"{symbol} rebuilt from snapshot {snapshot.LastUpdateId} and the buffered stream (update id {book.Sync.Book.LastUpdateId})"));
                            // Stamped with the stream's time, not ours: the rows that follow carry the venue's event times.
                            Touch(book, book.LastEventTime > 0 ? book.LastEventTime : Now, force: true);
                            return;
                        case DepthStep.Gap:
                            Batcher.Flush();
                            Events.OnGap(new FeedGap(Source, symbol, Now, book.Sync.LastProblem + "; resynchronising from a snapshot"));
                            break;
                    }
                }
                // Too old (or a hole right after it): the documented answer is another snapshot.
                await Task.Delay(_options.SnapshotRetryDelay, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or ObjectDisposedException)
        {
            if (e is HttpRequestException && !_stop.IsCancellationRequested)
                Events.OnGap(new FeedGap(Source, symbol, Now, $"depth snapshot of {symbol} failed: {e.Message}", Fatal: true));
        }
        finally
        {
            lock (_gate) book.Fetching = false;
        }
    }

    // Keeps the used weight below 90 % of the minute's limit: wait for the next minute when it is reached.
    private async Task WithinWeightAsync()
    {
        if (UsedWeight < _options.WeightPerMinute * 0.9) return;
        var now = DateTimeOffset.UtcNow;
        var wait = TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond);
        Events.OnStatus(new FeedStatus(Source, FeedState.Disconnected, "", Now, $"REST weight {UsedWeight} of {_options.WeightPerMinute} a minute used: waiting {wait.TotalSeconds:0.#} s"));
        await Task.Delay(wait, _stop.Token).ConfigureAwait(false);
        Interlocked.Exchange(ref _usedWeight, 0);
    }

    // Under _gate: a quote row when the touch moved (or the book was rebuilt).
    private void Touch(Book book, long ts, bool force)
    {
        var bid = book.Sync.Book.Best(BookSide.Bid);
        var ask = book.Sync.Book.Best(BookSide.Ask);
        if (!force && bid == book.LastBid && ask == book.LastAsk) return;
        (book.LastBid, book.LastAsk) = (bid, ask);
        if (bid is null && ask is null) return;
        Batcher.Quote(book.Sync.Book.Symbol, ts, bid is { } b ? (double)b.Price : double.NaN, bid is { } bs ? (double)bs.Size : double.NaN,
            ask is { } a ? (double)a.Price : double.NaN, ask is { } az ? (double)az.Size : double.NaN);
    }

    private long Now => _wallNanos();

    private IMarketDataEvents Events => _events ?? throw new InvalidOperationException("the Binance feed was not started");

    private FeedBatcher Batcher => _batcher ?? throw new InvalidOperationException("the Binance feed was not started");

    private sealed class Book(BinanceDepthSync sync)
    {
        public BinanceDepthSync Sync { get; } = sync;
        public bool Fetching { get; set; }
        public long LastEventTime { get; set; }
        public (decimal Price, decimal Size)? LastBid { get; set; }
        public (decimal Price, decimal Size)? LastAsk { get; set; }
    }
}
