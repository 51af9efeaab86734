using CroweLogic.Flow.Contracts.Execution;
using System.Threading.Channels;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Fix.Session;
using ContractBookSide = CroweLogic.Flow.Contracts.Events.BookSide;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// Puts a <see cref="SimulatedExchange"/> behind FIX acceptor sessions: NewOrderSingle, OrderCancelRequest and
/// OrderCancelReplaceRequest go to the exchange in real time; execution reports and cancel rejects go back to the
/// session that owns the order (queued while it is disconnected and sent at its next logon, so no acknowledged order
/// is lost). Everything outbound goes through one ordered outbox drained by one task, so a session's callback never
/// takes another session's lock (two sessions trading with each other cannot deadlock) and each session sees its
/// messages in event order. MarketDataRequest gets a full-refresh snapshot and, when subscribed, incremental refreshes of every L2
/// change. Each session is its own account for self-trade prevention unless the order names an Account.
/// </summary>
public sealed class SimulatedExchangeFixApplication : IFixApplication, IVenueSubscriber, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, (FixSession Session, Order Order)> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<FixSession, Queue<FixOutbound>> _undelivered = [];
    private readonly Channel<(FixSession Session, FixOutbound? Message)> _outbox = Channel.CreateUnbounded<(FixSession, FixOutbound?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _sender;
    private readonly List<(FixSession Session, string RequestId, string Symbol)> _subscriptions = [];
    private readonly IVenueSubscriber? _tap;
    private readonly Dictionary<FixSession, PendingRefresh> _pending = [];
    private bool _anyPending;

    // Entries in one MarketDataIncrementalRefresh at most: ~60 bytes each keeps a message well inside a session's 64 KB frame limit.
    private const int MaxEntriesPerMessage = 500;
    private FixSession? _current;
    private bool _running;
    private long _published;
    private long _processed;

    /// <summary>An exchange listing <paramref name="instruments"/>, served over FIX.</summary>
    /// <param name="instruments">What is listed at the start.</param>
    /// <param name="venue">Venue name on reports.</param>
    /// <param name="clock">The exchange's time (requests take effect at its now).</param>
    /// <param name="tap">Sees every report the exchange publishes before the sessions do (a recorded-market feeder follows its orders with it).</param>
    public SimulatedExchangeFixApplication(IEnumerable<VenueInstrument> instruments, string venue = "SIM", TimeProvider? clock = null, IVenueSubscriber? tap = null)
    {
        _clock = clock ?? TimeProvider.System;
        _tap = tap;
        Exchange = new SimulatedExchange(instruments, this, venue);
        _sender = Task.Run(SendLoop);
    }

    /// <summary>The exchange (for reference prices, halts and inspection; change it only through <see cref="Run"/>).</summary>
    public SimulatedExchange Exchange { get; }

    /// <summary>Application messages handed to sessions so far (each is delivered, or waits for its session's next logon).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Application messages taken from sessions so far (counted once everything they caused was published).</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>
    /// The recorded market the exchange is fed (a standalone venue): each client order is shown to it before it reaches
    /// the book, so recorded prints trade against it; null when the caller prepares orders itself.
    /// </summary>
    public SimulatedMarket? Market { get; set; }

    // The market follows client orders under the ClOrdID they were entered with, whatever id a cancel or replace reports under.
    private readonly OrderAliases _marketAliases = new();
    // Each client order's latest report, under every ClOrdID it went by: what an OrderStatusRequest is answered with.
    private readonly Dictionary<string, ExecutionReport> _latest = new(StringComparer.Ordinal);
    private long _statusReports;

    /// <summary>
    /// Publishes a trade to the instrument's market-data subscribers (a recorded print the venue replays). Inside
    /// <see cref="Run"/> it joins that step's incremental refresh; outside it goes out at once.
    /// </summary>
    public void PublishTrade(string symbol, double price, double size)
    {
        lock (_gate)
        {
            Pending(symbol, new MarketDataEntry('0', '2', symbol, price, size));
            if (!_running) FlushMarketData();
        }
    }

    /// <summary>Runs <paramref name="action"/> on the exchange under the lock its FIX sessions take.</summary>
    public void Run(Action<SimulatedExchange> action)
    {
        lock (_gate)
        {
            _running = true;
            try
            {
                action(Exchange);
            }
            finally
            {
                _running = false;
                FlushMarketData();
            }
        }
    }

    private long Now => Nanos.FromDateTimeOffset(_clock.GetUtcNow());

    /// <inheritdoc />
    public void OnLogon(FixSession session) => _outbox.Writer.TryWrite((session, null)); // flush marker: the sender delivers what waited

    /// <summary>Stops the outbox after it has drained.</summary>
    public async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        await _sender.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void OnLogout(FixSession session, string reason)
    {
        lock (_gate) _subscriptions.RemoveAll(s => s.Session == session);
    }

    /// <inheritdoc />
    public void FromApp(FixMessage message, FixSession session)
    {
        lock (_gate)
        {
            _current = session;
            try
            {
                var now = Now;
                switch (message.MsgTypeString)
                {
                    case FixMsgType.NewOrderSingle:
                        var order = FixOrderMessages.ToOrder(message, Exchange.Venue);
                        if (order.Portfolio.Length == 0) order = order with { Portfolio = session.Id };
                        if (_orders.ContainsKey(order.OrderId)) throw new FixBusinessRejectException(0, $"duplicate ClOrdID {order.OrderId}", FixTag.ClOrdId);
                        _orders[order.OrderId] = (session, order);
                        Market?.Prepare(order, now);
                        Exchange.Submit(order, now);
                        break;
                    case FixMsgType.OrderCancelRequest:
                        Follow(message);
                        Exchange.Cancel(Symbol(message), message.GetString(FixTag.ClOrdId)!, message.GetString(FixTag.OrigClOrdId)!, now);
                        break;
                    case FixMsgType.OrderCancelReplaceRequest:
                        if (!message.TryGetDecimal(FixTag.OrderQty, out var quantity)) throw new FixBusinessRejectException(5, "a replace needs OrderQty (38)", FixTag.OrderQty);
                        double? price = message.TryGetDecimal(FixTag.Price, out var p) ? (double)p : null;
                        Follow(message);
                        Market?.Replacing(_marketAliases.Original(message.GetString(FixTag.OrigClOrdId)!), price);
                        Exchange.Replace(Symbol(message), message.GetString(FixTag.ClOrdId)!, message.GetString(FixTag.OrigClOrdId)!, (double)quantity, price, now);
                        break;
                    case FixMsgType.MarketDataRequest:
                        MarketData(message, session);
                        break;
                    case FixMsgType.OrderStatusRequest:
                        OrderStatus(message, session, now);
                        break;
                    default:
                        throw new FixBusinessRejectException(3, $"MsgType {message.MsgTypeString} is not supported by the simulated exchange");
                }
                Exchange.AdvanceTo(now);
            }
            finally
            {
                FlushMarketData();
                _current = null;
                Interlocked.Increment(ref _processed);
            }
        }
    }

    /// <inheritdoc />
    public void OnExecutionReport(ExecutionReport report)
    {
        _tap?.OnExecutionReport(report);
        Market?.Observe(SimulatedMarket.IsBackground(report.OrderId) ? report : _marketAliases.Resolve(report));
        if (!_orders.TryGetValue(report.OrderId, out var owner)) return; // every ClOrdID the exchange reports under was registered on entry
        _latest[report.OrderId] = report;
        _latest[_marketAliases.Original(report.OrderId)] = report;
        Deliver(owner.Session, FixOrderMessages.ExecutionReport(report, report.OrderId, owner.Order with { Quantity = report.CumQty + report.LeavesQty },
            precision: owner.Session.Settings.TimestampPrecision));
    }

    /// <inheritdoc />
    public void OnCancelReject(OrderCancelRejected reject)
    {
        _tap?.OnCancelReject(reject);
        var session = _current ?? (_orders.TryGetValue(reject.OrigClOrdId, out var owner) ? owner.Session : null);
        if (session is not null) Deliver(session, FixOrderMessages.CancelReject(reject, Now, precision: session.Settings.TimestampPrecision));
    }

    /// <inheritdoc />
    public void OnBookDelta(BookDelta delta) =>
        Pending(delta.Symbol, new MarketDataEntry(delta.Action == BookAction.Delete ? '2' : '1', delta.Side == ContractBookSide.Bid ? '0' : '1', delta.Symbol, delta.Price, delta.Size));

    private void Pending(string symbol, MarketDataEntry entry)
    {
        foreach (var (session, requestId, subscribed) in _subscriptions)
        {
            // No session state read here: it takes the session's lock, and a session calling OnLogout holds it while it
            // waits for ours. A subscription ends with its session's logout; what was pending then waits in the outbox.
            if (subscribed != symbol) continue;
            if (!_pending.TryGetValue(session, out var pending)) _pending[session] = pending = new PendingRefresh();
            if (pending.Entries.Count == 0) pending.Start(requestId);
            _anyPending = true;
            pending.Add(requestId, entry);
        }
    }

    // Every change one step made goes out as one MarketDataIncrementalRefresh per session (a quote that moves the touch
    // is a withdraw and a place; a replayed millisecond of the market is hundreds of changes over many instruments): one
    // message, not one per change. Each entry names its instrument; MDReqID (optional in 35=X) is set when the message
    // answers one request. Under the exchange's lock, so messages keep event order.
    private void FlushMarketData()
    {
        if (!_anyPending) return;
        _anyPending = false;
        // Each session's pending refresh is kept and reused step after step: at 100k events/s, new ones per step were a
        // tenth of the venue's allocations.
        foreach (var (session, pending) in _pending)
        {
            var entries = pending.Entries;
            for (var start = 0; start < entries.Count; start += MaxEntriesPerMessage)
            {
                var count = Math.Min(MaxEntriesPerMessage, entries.Count - start);
                var message = new FixOutbound(FixMsgType.MarketDataIncrementalRefresh);
                if (pending.RequestId is { } requestId) message.Body.Add(FixTag.MdReqId, requestId);
                message.Body.Add(FixTag.NoMdEntries, count);
                for (var i = start; i < start + count; i++)
                {
                    var entry = entries[i];
                    message.Body.Add(FixTag.MdUpdateAction, entry.Action).Add(FixTag.MdEntryType, entry.Type).Add(FixTag.Symbol, entry.Symbol).Add(FixTag.MdEntryPx, entry.Price).Add(FixTag.MdEntrySize, entry.Size);
                }
                Deliver(session, message);
            }
            entries.Clear();
        }
    }

    private readonly record struct MarketDataEntry(char Action, char Type, string Symbol, double Price, double Size);

    private sealed class PendingRefresh
    {
        public List<MarketDataEntry> Entries { get; } = [];

        // The one request every entry answers, or null once they answer several.
        public string? RequestId { get; private set; }

        public void Start(string requestId) => RequestId = requestId;

        public void Add(string requestId, MarketDataEntry entry)
        {
            if (RequestId is { } one && one != requestId) RequestId = null;
            Entries.Add(entry);
        }
    }

    // FIX 4.4's answer to an OrderStatusRequest: an ExecutionReport with ExecType I restating the order, or OrdStatus
    // Rejected when the venue never had it. OrdStatusReqID (790) is echoed.
    private void OrderStatus(FixMessage message, FixSession session, long now)
    {
        var clOrdId = message.GetString(FixTag.ClOrdId) ?? throw new FixBusinessRejectException(5, "an OrderStatusRequest needs ClOrdID (11)", FixTag.ClOrdId);
        var side = FixOrderCodes.ParseSide(message.GetString(FixTag.Side) is [var c] ? c : '?') ?? throw new FixBusinessRejectException(5, "an OrderStatusRequest needs Side (54)", FixTag.Side);
        var symbol = Symbol(message);
        var id = $"status-{Interlocked.Increment(ref _statusReports)}";
        ExecutionReport answer;
        Order order;
        if (_latest.TryGetValue(clOrdId, out var latest) && _orders.TryGetValue(latest.OrderId, out var owner))
        {
            answer = latest with { ExecId = id, ExecType = ExecType.OrderStatus, LastQty = 0, LastPrice = 0, Fee = 0, Liquidity = "", Ts = now, Text = "" };
            order = owner.Order with { Quantity = latest.CumQty + latest.LeavesQty };
        }
        else
        {
            answer = new ExecutionReport(id, clOrdId, symbol, now, ExecType.OrderStatus, Contracts.Events.OrderStatus.Rejected, side, 0, 0, 0, 0, 0, 0, Exchange.Venue, "", $"unknown order {clOrdId}");
            order = new Order(clOrdId, "", symbol, now, side, OrderType.Market, TimeInForce.Day, 0, null, null, "", Exchange.Venue, "", []);
        }
        var report = FixOrderMessages.ExecutionReport(answer, answer.OrderId, order, precision: session.Settings.TimestampPrecision);
        if (message.GetString(790) is { } requestId) report.Body.Add(790, requestId);
        Deliver(session, report);
    }

    // A cancel or replace reports under its own ClOrdID: register it to the original order's owner.
    private void Follow(FixMessage message)
    {
        if (message.GetString(FixTag.OrigClOrdId) is { } orig && message.GetString(FixTag.ClOrdId) is { } request) _marketAliases.Add(request, orig);
        if (message.GetString(FixTag.OrigClOrdId) is { } original && _orders.TryGetValue(original, out var owner) && message.GetString(FixTag.ClOrdId) is { } id)
            _orders.TryAdd(id, owner);
    }

    private void MarketData(FixMessage message, FixSession session)
    {
        var requestId = message.GetString(FixTag.MdReqId)!;
        var subscription = message.GetString(FixTag.SubscriptionRequestType);
        var depth = message.TryGetInt(FixTag.MarketDepth, out var d) && d > 0 ? d : int.MaxValue;
        foreach (var symbol in message.Values(FixTag.Symbol))
        {
            OrderBook book;
            try
            {
                book = Exchange.Book(symbol);
            }
            catch (ArgumentException)
            {
                var reject = new FixOutbound(FixMsgType.MarketDataRequestReject);
                reject.Body.Add(FixTag.MdReqId, requestId).Add(FixTag.MdReqRejReason, '0').Add(FixTag.Text, $"{symbol} is not listed on {Exchange.Venue}");
                Deliver(session, reject);
                continue;
            }
            if (subscription == "2")
            {
                _subscriptions.RemoveAll(s => s.Session == session && s.RequestId == requestId);
                continue;
            }
            var bids = book.Depth(Side.Buy, depth);
            var asks = book.Depth(Side.Sell, depth);
            var snapshot = new FixOutbound(FixMsgType.MarketDataSnapshotFullRefresh);
            snapshot.Body.Add(FixTag.MdReqId, requestId).Add(FixTag.Symbol, symbol).Add(FixTag.NoMdEntries, bids.Count + asks.Count);
            var tick = Exchange.TickSize(symbol);
            var lot = Exchange.LotSize(symbol);
            foreach (var (price, size, _) in bids) snapshot.Body.Add(FixTag.MdEntryType, '0').Add(FixTag.MdEntryPx, Math.Round(price * tick, 10)).Add(FixTag.MdEntrySize, size * lot);
            foreach (var (price, size, _) in asks) snapshot.Body.Add(FixTag.MdEntryType, '1').Add(FixTag.MdEntryPx, Math.Round(price * tick, 10)).Add(FixTag.MdEntrySize, size * lot);
            Deliver(session, snapshot);
            if (subscription == "1") _subscriptions.Add((session, requestId, symbol));
        }
    }

    private void Deliver(FixSession session, FixOutbound message)
    {
        Interlocked.Increment(ref _published);
        _outbox.Writer.TryWrite((session, message));
    }

    // The only place that sends. Only this task touches _undelivered, and it holds no lock while sending.
    private async Task SendLoop()
    {
        await foreach (var (session, message) in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (message is null)
            {
                if (_undelivered.TryGetValue(session, out var waiting))
                {
                    while (waiting.TryPeek(out var next) && TrySend(session, next)) waiting.Dequeue();
                    if (waiting.Count == 0) _undelivered.Remove(session);
                }
                continue;
            }
            // Behind earlier undelivered messages, or not logged on: keep the order and deliver at the next logon.
            if (!_undelivered.ContainsKey(session) && TrySend(session, message)) continue;
            if (!_undelivered.TryGetValue(session, out var queue)) _undelivered[session] = queue = new Queue<FixOutbound>();
            queue.Enqueue(message);
        }
    }

    private static bool TrySend(FixSession session, FixOutbound message)
    {
        if (session.State != FixSessionState.LoggedOn) return false;
        try
        {
            session.Send(message);
            return true;
        }
        catch (FixSessionException)
        {
            return false;
        }
    }

    private static string Symbol(FixMessage message) => message.GetString(FixTag.Symbol) ?? throw new FixBusinessRejectException(5, "Symbol (55) is required", FixTag.Symbol);
}
