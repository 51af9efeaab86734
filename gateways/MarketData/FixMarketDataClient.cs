using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.MarketData;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.MarketData;

/// <summary>
/// FIX 4.4 market data behind the market-data port: each subscribed instrument gets a MarketDataRequest (snapshot plus
/// updates, full book, bids, offers and trades); MarketDataSnapshotFullRefresh rebuilds its <see cref="L2Book"/>,
/// MarketDataIncrementalRefresh entries change it (new, change, delete; trades), and every change of the touch becomes
/// a quote row, every trade entry a trade row, stamped with the message's SendingTime as exchange time. The session
/// resets its sequence numbers at each logon: market data is not resent, so after a reconnect every instrument is
/// reported as a gap and rebuilt from a fresh snapshot. A MarketDataRequestReject is a fatal gap (the lane cannot
/// trade what it cannot see); a malformed entry is a gap and the instrument is re-requested.
/// </summary>
public sealed class FixMarketDataClient : IMarketDataClient, IFixApplication
{
    private readonly FixFeedOptions _options;
    private readonly FixInitiator _initiator;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Subscription> _bySymbol = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Subscription> _byRequest = new(StringComparer.Ordinal);
    private readonly Func<long> _wallNanos;
    private IMarketDataEvents? _events;
    private FeedBatcher? _batcher;
    private Task? _reconnect;
    private volatile bool _closing;
    private volatile bool _started;
    private long _requests;
    private int _disposed;
    private long _messages;

    /// <summary>A client for the venue at <paramref name="options"/>; <paramref name="wallNanos"/> is the wall clock (ns since the epoch).</summary>
    public FixMarketDataClient(FixFeedOptions options, Func<long> wallNanos, IFixLog? log = null)
    {
        (_options, _wallNanos) = (options, wallNanos);
        var settings = new FixSessionSettings(options.SenderCompId, options.TargetCompId)
        {
            HeartBtIntSeconds = options.HeartBtIntSeconds,
            ResetOnLogon = true,
            PersistMessages = false,
            TimestampPrecision = options.TimestampPrecision,
        };
        _initiator = new FixInitiator(settings, new MemoryFixMessageStore(), this, log);
    }

    /// <inheritdoc />
    public string Source => _options.Source;

    /// <summary>The FIX session.</summary>
    public FixSession Session => _initiator.Session;

    /// <summary>Market-data messages received.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>The book of <paramref name="symbol"/> as rebuilt so far (read it only while no data flows: tests).</summary>
    public L2Book? Book(string symbol)
    {
        lock (_gate) return _bySymbol.TryGetValue(symbol, out var s) ? s.Book : null;
    }

    /// <inheritdoc />
    public void Start(IMarketDataEvents events)
    {
        _events = events;
        _batcher = new FeedBatcher(events, _wallNanos);
        try
        {
            FixConnector.Connect(_initiator, _options.Host, _options.Port, _options.ConnectTimeout, _options.ReconnectDelay);
        }
        catch (FixSessionException e)
        {
            throw new MarketDataException($"FIX market data {_options.Host}:{_options.Port} ({Session.Id}): {e.Message}", e);
        }
        _started = true;
    }

    /// <inheritdoc />
    public void Subscribe(IReadOnlyList<string> symbols)
    {
        // The session's state is read before our lock: its callbacks hold the session's lock and take ours.
        var loggedOn = Session.State == FixSessionState.LoggedOn;
        lock (_gate)
        {
            foreach (var symbol in symbols)
            {
                if (_bySymbol.ContainsKey(symbol)) continue;
                _bySymbol[symbol] = new Subscription(symbol);
                // Not logged on yet: the logon requests every subscription.
                if (loggedOn) Request(_bySymbol[symbol]);
            }
        }
        // A logon between the read above and our lock requested only what was there before.
        if (loggedOn || Session.State != FixSessionState.LoggedOn) return;
        lock (_gate)
        {
            foreach (var symbol in symbols)
                if (_bySymbol.TryGetValue(symbol, out var subscription) && subscription.RequestId is null) Request(subscription);
        }
    }

    /// <inheritdoc />
    public void Unsubscribe(IReadOnlyList<string> symbols)
    {
        var loggedOn = Session.State == FixSessionState.LoggedOn;
        lock (_gate)
        {
            foreach (var symbol in symbols)
            {
                if (!_bySymbol.Remove(symbol, out var subscription) || subscription.RequestId is not { } id) continue;
                _byRequest.Remove(id);
                if (loggedOn) TrySend(MarketDataRequest(id, symbol, '2'));
            }
        }
    }

    /// <summary>Logs out and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _closing = true;
        await _initiator.DisposeAsync().ConfigureAwait(false);
        if (_reconnect is { } reconnect) await reconnect.ConfigureAwait(false);
        if (_batcher is { } batcher) await batcher.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Drops the connection without Logout (tests: a network loss).</summary>
    public void Abort(string reason) => _initiator.Abort(reason);

    void IFixApplication.OnLogon(FixSession session)
    {
        Events.OnStatus(new FeedStatus(Source, FeedState.Connected, "", Now, $"FIX session {session.Id} logged on to {_options.Host}:{_options.Port}"));
        lock (_gate)
        {
            foreach (var subscription in _bySymbol.Values) Request(subscription);
        }
    }

    void IFixApplication.OnLogout(FixSession session, string reason)
    {
        if (_closing || !_started) return;
        Batcher.Flush();
        var now = Now;
        Events.OnStatus(new FeedStatus(Source, FeedState.Disconnected, "", now, $"FIX session {session.Id} to {_options.Host}:{_options.Port} dropped: {reason}; reconnecting every {_options.ReconnectDelay.TotalSeconds:0.##} s"));
        lock (_gate)
        {
            foreach (var subscription in _bySymbol.Values)
            {
                if (subscription.RequestId is { } id) _byRequest.Remove(id);
                (subscription.RequestId, subscription.Synchronised) = (null, false);
                Events.OnGap(new FeedGap(Source, subscription.Symbol, now, $"the FIX market-data session dropped ({reason}): updates until the next snapshot are lost"));
            }
            if (_reconnect is { IsCompleted: false }) return;
            _reconnect = Task.Run(() => FixConnector.ReconnectAsync(_initiator, _options.Host, _options.Port, _options.ReconnectDelay, () => _closing,
                e => Events.OnStatus(new FeedStatus(Source, FeedState.Disconnected, "", Now, $"reconnect to {_options.Host}:{_options.Port} failed: {e}"))));
        }
    }

    void IFixApplication.FromApp(FixMessage message, FixSession session)
    {
        Interlocked.Increment(ref _messages);
        var ts = message.TryGetTimestamp(FixTag.SendingTime, out var sent) ? sent : Now;
        lock (_gate)
        {
            switch (message.MsgTypeString)
            {
                case FixMsgType.MarketDataSnapshotFullRefresh:
                    Snapshot(message, ts);
                    break;
                case FixMsgType.MarketDataIncrementalRefresh:
                    Incremental(message, ts);
                    break;
                case FixMsgType.MarketDataRequestReject:
                    Rejected(message);
                    break;
            }
        }
    }

    private void Snapshot(FixMessage message, long ts)
    {
        if (!Current(message, out var subscription)) return;
        var book = subscription.Book;
        book.Clear();
        var entries = Entries(message, snapshot: true);
        if (entries.Error is { } error)
        {
            Resynchronise(subscription, $"malformed MarketDataSnapshotFullRefresh for {subscription.Symbol}: {error}");
            return;
        }
        foreach (var entry in entries.List)
        {
            if (entry.Type == '2') continue; // the last trade is history, not an event
            book.Set(entry.Type == '0' ? BookSide.Bid : BookSide.Ask, entry.Price, entry.Size);
        }
        subscription.Synchronised = true;
        Events.OnStatus(new FeedStatus(Source, FeedState.Synchronised, subscription.Symbol, Now, $"{subscription.Symbol} rebuilt from a snapshot of {book.Count} levels"));
        Touch(subscription, ts, force: true);
    }

    // Entries are routed by their Symbol: a venue may bundle several requests' changes into one message (without
    // MDReqID). A message naming a request we no longer hold answers an old subscription and is dropped; entries of an
    // instrument waiting for its snapshot are dropped too (the snapshot will hold them).
    private void Incremental(FixMessage message, long ts)
    {
        Subscription? first = null;
        if (message.Has(FixTag.MdReqId) && !Current(message, out first)) return;
        var entries = Entries(message, snapshot: false);
        if (entries.Error is { } error)
        {
            var affected = first is not null ? [first] : entries.List.Select(e => e.Symbol).Distinct().Select(symbol => symbol is null ? null : _bySymbol.GetValueOrDefault(symbol)).OfType<Subscription>().Where(s => s.Synchronised).ToList();
            foreach (var subscription in affected) Resynchronise(subscription, $"malformed MarketDataIncrementalRefresh for {subscription.Symbol}: {error}");
            return;
        }
        var touched = new HashSet<Subscription>();
        foreach (var entry in entries.List)
        {
            var subscription = entry.Symbol is { } symbol ? _bySymbol.GetValueOrDefault(symbol) : first;
            if (subscription is null || !subscription.Synchronised) continue;
            if (entry.Type == '2')
            {
                Batcher.Trade(subscription.Symbol, ts, (double)entry.Price, (double)entry.Size);
                continue;
            }
            var side = entry.Type == '0' ? BookSide.Bid : BookSide.Ask;
            if (entry.Action == '2') subscription.Book.Remove(side, entry.Price);
            else subscription.Book.Set(side, entry.Price, entry.Size);
            touched.Add(subscription);
        }
        foreach (var subscription in touched) Touch(subscription, ts, force: false);
    }

    private void Rejected(FixMessage message)
    {
        var id = message.GetString(FixTag.MdReqId) ?? "";
        if (!_byRequest.Remove(id, out var subscription)) return;
        subscription.RequestId = null;
        subscription.Synchronised = false;
        Batcher.Flush();
        Events.OnGap(new FeedGap(Source, subscription.Symbol, Now,
            $"the venue refused market data for {subscription.Symbol} (MDReqRejReason {message.GetString(FixTag.MdReqRejReason) ?? "none"}): {message.GetString(FixTag.Text) ?? "no text"}", Fatal: true));
    }

    private bool Current(FixMessage message, out Subscription subscription)
    {
        subscription = null!;
        return message.GetString(FixTag.MdReqId) is { } id && _byRequest.TryGetValue(id, out subscription!);
    }

    // A quote row whenever the touch moved (or was rebuilt), so the lane's top of book is the feed's.
    private void Touch(Subscription subscription, long ts, bool force)
    {
        var bid = subscription.Book.Best(BookSide.Bid);
        var ask = subscription.Book.Best(BookSide.Ask);
        if (!force && bid == subscription.LastBid && ask == subscription.LastAsk) return;
        (subscription.LastBid, subscription.LastAsk) = (bid, ask);
        if (bid is null && ask is null) return;
        Batcher.Quote(subscription.Symbol, ts, bid is { } b ? (double)b.Price : double.NaN, bid is { } bs ? (double)bs.Size : double.NaN,
            ask is { } a ? (double)a.Price : double.NaN, ask is { } az ? (double)az.Size : double.NaN);
    }

    private void Resynchronise(Subscription subscription, string reason)
    {
        Batcher.Flush();
        subscription.Synchronised = false;
        Events.OnGap(new FeedGap(Source, subscription.Symbol, Now, reason + "; the book is void until a new snapshot"));
        if (subscription.RequestId is { } old)
        {
            _byRequest.Remove(old);
            TrySend(MarketDataRequest(old, subscription.Symbol, '2'));
        }
        Request(subscription);
    }

    private void Request(Subscription subscription)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{subscription.Symbol}-{Interlocked.Increment(ref _requests)}");
        if (subscription.RequestId is { } old) _byRequest.Remove(old);
        (subscription.RequestId, subscription.Synchronised) = (id, false);
        _byRequest[id] = subscription;
        TrySend(MarketDataRequest(id, subscription.Symbol, '1'));
    }

    private static FixOutbound MarketDataRequest(string id, string symbol, char type)
    {
        var request = new FixOutbound(FixMsgType.MarketDataRequest);
        request.Body.Add(FixTag.MdReqId, id).Add(FixTag.SubscriptionRequestType, type).Add(FixTag.MarketDepth, 0L).Add(FixTag.MdUpdateType, 1L)
            .Add(FixTag.NoMdEntryTypes, 3L).Add(FixTag.MdEntryType, '0').Add(FixTag.MdEntryType, '1').Add(FixTag.MdEntryType, '2')
            .Add(FixTag.NoRelatedSym, 1L).Add(FixTag.Symbol, symbol);
        return request;
    }

    private void TrySend(FixOutbound message)
    {
        // Sent from a task: the session's callbacks hold its lock, and this may run inside one.
        _ = Task.Run(() =>
        {
            try
            {
                Session.Send(message);
            }
            catch (FixSessionException)
            {
                // Not logged on: the next logon requests every subscription again.
            }
        });
    }

    // The entries of a snapshot (269 starts each) or an incremental (279 starts each), with the first problem found.
    private static (List<Entry> List, string? Error) Entries(FixMessage message, bool snapshot)
    {
        var list = new List<Entry>();
        Entry? current = null;
        var starter = snapshot ? FixTag.MdEntryType : FixTag.MdUpdateAction;
        for (var i = 0; i < message.FieldCount; i++)
        {
            var field = message.Field(i);
            var value = message.ValueOf(field);
            if (field.Tag == starter)
            {
                if (current is { } done) list.Add(done);
                current = new Entry();
            }
            if (current is not { } entry) continue;
            switch (field.Tag)
            {
                case FixTag.MdUpdateAction: entry.Action = value.Length == 1 ? (char)value[0] : '?'; break;
                case FixTag.MdEntryType: entry.Type = value.Length == 1 ? (char)value[0] : '?'; break;
                case FixTag.Symbol: entry.Symbol = System.Text.Encoding.Latin1.GetString(value); break;
                case FixTag.MdEntryPx: entry.HasPrice = FixValues.TryParseDecimal(value, out var p); entry.Price = p; break;
                case FixTag.MdEntrySize: entry.HasSize = FixValues.TryParseDecimal(value, out var s); entry.Size = s; break;
            }
        }
        if (current is { } last) list.Add(last);
        for (var n = 0; n < list.Count; n++)
        {
            var e = list[n];
            if (e.Type is not ('0' or '1' or '2')) return (list, $"entry {n + 1} has MDEntryType '{e.Type}' (0 bid, 1 offer, 2 trade expected)");
            if (!snapshot && e.Action is not ('0' or '1' or '2')) return (list, $"entry {n + 1} has MDUpdateAction '{e.Action}' (0 new, 1 change, 2 delete expected)");
            var deleting = !snapshot && e.Action == '2';
            if (!deleting && (!e.HasPrice || e.Price <= 0)) return (list, $"entry {n + 1} has no positive MDEntryPx (270)");
            if (!deleting && (!e.HasSize || e.Size < 0 || (e.Type == '2' && e.Size == 0))) return (list, $"entry {n + 1} has no valid MDEntrySize (271)");
        }
        return (list, null);
    }

    private long Now => _wallNanos();

    private IMarketDataEvents Events => _events ?? throw new InvalidOperationException("the FIX market-data client was not started");

    private FeedBatcher Batcher => _batcher ?? throw new InvalidOperationException("the FIX market-data client was not started");

    private sealed class Entry
    {
        public char Action { get; set; } = '0';
        public char Type { get; set; }
        public string? Symbol { get; set; }
        public decimal Price { get; set; }
        public bool HasPrice { get; set; }
        public decimal Size { get; set; }
        public bool HasSize { get; set; }
    }

    private sealed class Subscription(string symbol)
    {
        public string Symbol { get; } = symbol;
        public L2Book Book { get; } = new(symbol);
        public string? RequestId { get; set; }
        public bool Synchronised { get; set; }
        public (decimal Price, decimal Size)? LastBid { get; set; }
        public (decimal Price, decimal Size)? LastAsk { get; set; }
    }
}
