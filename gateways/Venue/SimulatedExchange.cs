using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Fix.Messages;
using ContractBookSide = CroweLogic.Flow.Contracts.Events.BookSide;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>An instrument listed on the simulated exchange.</summary>
/// <param name="Symbol">Symbol.</param>
/// <param name="TickSize">Price increment; prices off the grid are rejected.</param>
/// <param name="LotSize">Quantity increment.</param>
/// <param name="MakerFeeBps">Fee on passive fills, bps of notional (negative: rebate).</param>
/// <param name="TakerFeeBps">Fee on aggressive fills, bps of notional.</param>
/// <param name="PriceBand">Limit-up/limit-down band around the reference price, as a fraction (0: none).</param>
/// <param name="HaltSeconds">Length of the trading pause when the band stops a sweep.</param>
public sealed record VenueInstrument(string Symbol, double TickSize, double LotSize = 1, double MakerFeeBps = -0.2, double TakerFeeBps = 0.3, double PriceBand = 0.05, double HaltSeconds = 300);

/// <summary>Receives what the exchange publishes, in event order.</summary>
public interface IVenueSubscriber
{
    /// <summary>An execution report on one of the subscriber's orders (ack, fill, cancel, replace, reject, expiry).</summary>
    void OnExecutionReport(ExecutionReport report);

    /// <summary>A cancel or replace request was refused.</summary>
    void OnCancelReject(OrderCancelRejected reject);

    /// <summary>An L2 change (size 0 with Delete: the level is gone).</summary>
    void OnBookDelta(BookDelta delta)
    {
    }

    /// <summary>A trade print.</summary>
    void OnTrade(Trade trade)
    {
    }
}

/// <summary>
/// A multi-instrument venue for paper trading and backtests on the price-time <see cref="OrderBook"/>: order entry
/// latency (requests take effect at send time + latency, processed in time order as the clock advances), tick and lot
/// grids, maker/taker fees, limit-up/limit-down bands with automatic trading pauses, sessions, and contract-level
/// execution reports, trades and L2 deltas. Deterministic: the same requests and clock give the same events.
/// </summary>
public sealed class SimulatedExchange
{
    private readonly Dictionary<string, Listing> _listings = new(StringComparer.Ordinal);
    // Listings in a timed pause: advancing the clock looks only at these, not at every listing.
    private readonly HashSet<Listing> _paused = [];
    private readonly PriorityQueue<Action, (long Ts, long Seq)> _pending = new();
    private readonly IVenueSubscriber _subscriber;
    private long _sequence;
    private long _nextInternalId;

    /// <summary>An exchange listing the instruments.</summary>
    public SimulatedExchange(IEnumerable<VenueInstrument> instruments, IVenueSubscriber subscriber, string venue = "SIM", long latencyNs = 0, SelfTradePrevention selfTradePrevention = SelfTradePrevention.CancelResting)
    {
        _subscriber = subscriber;
        Venue = venue;
        LatencyNs = latencyNs;
        foreach (var instrument in instruments) List(instrument, selfTradePrevention);
    }

    /// <summary>Venue name on reports.</summary>
    public string Venue { get; }

    /// <summary>
    /// An account whose orders the exchange forgets once they end — the recorded market's own (<see cref="SimulatedMarket"/>),
    /// many per quote and never cancelled or reused once done — so a standing venue's memory does not grow with its flow.
    /// Everyone else's orders are kept for the session (a late cancel is refused as "not open", a reused ClOrdID as a duplicate).
    /// </summary>
    public string? EphemeralAccount { get; set; }

    /// <summary>Order states held, over all listings.</summary>
    public int OrdersHeld => _listings.Values.Sum(l => l.Held);

    /// <summary>Whether <paramref name="symbol"/> is listed.</summary>
    public bool IsListed(string symbol) => _listings.ContainsKey(symbol);

    /// <summary>Lists an instrument (a venue fed by a recorded market lists each symbol as it first trades).</summary>
    /// <exception cref="ArgumentException">The tick or lot size is not positive, or the symbol is already listed.</exception>
    public void List(VenueInstrument instrument, SelfTradePrevention selfTradePrevention = SelfTradePrevention.CancelResting)
    {
        if (!(instrument.TickSize > 0) || !(instrument.LotSize > 0)) throw new ArgumentException($"{instrument.Symbol}: tick and lot sizes must be positive");
        if (!_listings.TryAdd(instrument.Symbol, new Listing(this, instrument, selfTradePrevention))) throw new ArgumentException($"{instrument.Symbol} is already listed on {Venue}");
    }

    /// <summary>Order-entry latency.</summary>
    public long LatencyNs { get; }

    /// <summary>The exchange's clock (the time of the last processed event).</summary>
    public long Now { get; private set; }

    /// <summary>Tick size of a listed instrument.</summary>
    public double TickSize(string symbol) => Get(symbol).Instrument.TickSize;

    /// <summary>Lot size of a listed instrument.</summary>
    public double LotSize(string symbol) => Get(symbol).Instrument.LotSize;

    /// <summary>The order book of an instrument (read access for depth, queue positions and tests).</summary>
    public OrderBook Book(string symbol) => Get(symbol).Book;

    /// <summary>Sends a new order (effective at <paramref name="sentNs"/> + latency).</summary>
    public void Submit(Order order, long sentNs) => Schedule(sentNs, () => Get(order.Instrument, order).Submit(order));

    /// <summary>Sends a cancel request for the order whose current ClOrdID is <paramref name="origClOrdId"/>.</summary>
    public void Cancel(string symbol, string clOrdId, string origClOrdId, long sentNs) => Schedule(sentNs, () => Get(symbol).Cancel(clOrdId, origClOrdId));

    /// <summary>Sends a cancel/replace: new open quantity and/or limit price; the order's ClOrdID becomes <paramref name="clOrdId"/>.</summary>
    public void Replace(string symbol, string clOrdId, string origClOrdId, double newQuantity, double? newLimitPrice, long sentNs) =>
        Schedule(sentNs, () => Get(symbol).Replace(clOrdId, origClOrdId, newQuantity, newLimitPrice));

    /// <summary>Sets the reference price the limit-up/limit-down band is centred on.</summary>
    public void SetReferencePrice(string symbol, double price) => Get(symbol).SetReference(price);

    /// <summary>Halts an instrument until resumed (or for its halt length when <paramref name="timed"/>).</summary>
    public void Halt(string symbol, bool timed = false) => Get(symbol).Halt(timed);

    /// <summary>Resumes trading.</summary>
    public void Resume(string symbol) => Get(symbol).Resume();

    /// <summary>Ends the session for every instrument: day orders expire.</summary>
    public void CloseSession()
    {
        foreach (var listing in _listings.Values) listing.Book.Close();
    }

    /// <summary>Opens a new session.</summary>
    public void OpenSession()
    {
        foreach (var listing in _listings.Values) listing.Book.Open();
    }

    /// <summary>Processes every request that takes effect up to <paramref name="ts"/>, in time order, and ends timed halts.</summary>
    public void AdvanceTo(long ts)
    {
        while (_pending.TryPeek(out _, out var key) && key.Ts <= ts)
        {
            _pending.Dequeue()();
        }
        Now = Math.Max(Now, ts);
        ResumeDue();
    }

    private void Schedule(long sentNs, Action action)
    {
        var at = sentNs + LatencyNs;
        _pending.Enqueue(() =>
        {
            Now = Math.Max(Now, at);
            ResumeDue();
            action();
        }, (at, _sequence++));
    }

    private void ResumeDue()
    {
        if (_paused.Count == 0) return;
        foreach (var listing in _paused.ToList()) listing.ResumeIfDue(Now);
    }

    private Listing Get(string symbol, Order? order = null)
    {
        if (_listings.TryGetValue(symbol, out var listing)) return listing;
        if (order is not null) return new UnknownListing(this, symbol);
        throw new ArgumentException($"{symbol} is not listed on {Venue}");
    }

    private long NextSequence() => ++_sequence;

    /// <summary>One instrument: its book, the orders' state and the translation of book events into reports.</summary>
    private class Listing : IMatchingListener
    {
        private readonly SimulatedExchange _exchange;
        private readonly Dictionary<long, OrderState> _orders = [];
        private readonly Dictionary<string, long> _byClOrdId = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _owners = new(StringComparer.Ordinal);
        private long? _replacing;
        private string? _replaceClOrdId;
        private bool _bandStopped;
        private long? _haltUntil;
        private double _lastTrade;
        private int _execId;

        public Listing(SimulatedExchange exchange, VenueInstrument instrument, SelfTradePrevention stp)
        {
            _exchange = exchange;
            Instrument = instrument;
            Book = new OrderBook(this, stp);
        }

        public VenueInstrument Instrument { get; }

        public OrderBook Book { get; }

        private long Now => _exchange.Now;

        public virtual void Submit(Order order)
        {
            if (_byClOrdId.ContainsKey(order.OrderId))
            {
                Report(order, ExecType.Rejected, OrderStatus.Rejected, 0, 0, 0, 0, 0, "", $"duplicate ClOrdID {order.OrderId}");
                return;
            }
            if (Validate(order) is { } problem)
            {
                Report(order, ExecType.Rejected, OrderStatus.Rejected, 0, 0, 0, 0, 0, "", problem);
                return;
            }
            var id = ++_exchange._nextInternalId;
            var state = new OrderState(order, Units(order.Quantity), Instrument.LotSize);
            _orders[id] = state;
            _byClOrdId[order.OrderId] = id;
            // Only an ephemeral account's orders are forgotten, so only theirs keep the ids to forget.
            if (order.Portfolio == _exchange.EphemeralAccount) state.Ids = [order.OrderId];
            if (!_owners.TryGetValue(order.Portfolio, out var owner)) _owners[order.Portfolio] = owner = _owners.Count + 1;
            _bandStopped = false;
            Book.Submit(new OrderRequest(id, owner, order.Side, order.Type, order.TimeInForce, order.LimitPrice is { } p ? Ticks(p) : 0, state.Quantity));
            if (_bandStopped && Instrument.PriceBand > 0) Halt(timed: true);
        }

        public void Cancel(string clOrdId, string origClOrdId)
        {
            if (!_byClOrdId.TryGetValue(origClOrdId, out var id) || !Book.IsLive(id))
            {
                _exchange._subscriber.OnCancelReject(new OrderCancelRejected(clOrdId, origClOrdId, "", OrderStatus.Rejected, 1, 1, $"order {origClOrdId} is not open"));
                return;
            }
            _orders[id].PendingClOrdId = clOrdId;
            Book.Cancel(id);
        }

        public void Replace(string clOrdId, string origClOrdId, double newQuantity, double? newLimitPrice)
        {
            if (!_byClOrdId.TryGetValue(origClOrdId, out var id) || !Book.IsLive(id))
            {
                _exchange._subscriber.OnCancelReject(new OrderCancelRejected(clOrdId, origClOrdId, "", OrderStatus.Rejected, 2, 1, $"order {origClOrdId} is not open"));
                return;
            }
            var state = _orders[id];
            var price = newLimitPrice ?? state.Order.LimitPrice ?? 0;
            if (OffGrid(newQuantity, Instrument.LotSize) || OffGrid(price, Instrument.TickSize) || !(newQuantity > state.Filled))
            {
                _exchange._subscriber.OnCancelReject(new OrderCancelRejected(clOrdId, origClOrdId, id.ToString(), Status(state), 2, 99,
                    $"replace to quantity {newQuantity} at {price} is off the tick/lot grid or not above the filled {state.Filled}"));
                return;
            }
            (_replacing, _replaceClOrdId) = (id, clOrdId);
            var rejectedBefore = state.ReplaceRejected;
            // FIX quantities are totals; the book works on what is still open.
            Book.Replace(id, Ticks(price), Units(newQuantity) - state.FilledUnits);
            if (state.ReplaceRejected != rejectedBefore)
                _exchange._subscriber.OnCancelReject(new OrderCancelRejected(clOrdId, origClOrdId, id.ToString(), Status(state), 2, 99, state.LastRejectText));
            (_replacing, _replaceClOrdId) = (null, null);
        }

        public void SetReference(double price)
        {
            if (!(price > 0)) throw new ArgumentException($"{Instrument.Symbol}: the reference price must be positive");
            if (Instrument.PriceBand > 0) Book.SetPriceBand(Ticks(price * (1 - Instrument.PriceBand), up: true), Ticks(price * (1 + Instrument.PriceBand), up: false));
        }

        public void Halt(bool timed)
        {
            Book.Halt();
            _haltUntil = timed ? Now + (long)(Instrument.HaltSeconds * 1e9) : null;
            if (timed) _exchange._paused.Add(this);
            else _exchange._paused.Remove(this);
        }

        public void Resume()
        {
            _haltUntil = null;
            _exchange._paused.Remove(this);
            Book.Resume();
        }

        public void ResumeIfDue(long now)
        {
            if (_haltUntil is not { } until || now < until) return;
            Resume();
            if (_lastTrade > 0) SetReference(_lastTrade); // the pause re-centres the band on the last price
        }

        public void OnAccepted(in OrderRequest order)
        {
            var state = _orders[order.OrderId];
            if (_replacing == order.OrderId)
            {
                state.Order = state.Order with { OrderId = _replaceClOrdId!, LimitPrice = Price(order.PriceTicks), Quantity = state.Filled + order.Quantity * Instrument.LotSize };
                state.Quantity = state.FilledUnits + order.Quantity;
                _byClOrdId[_replaceClOrdId!] = order.OrderId;
                state.Ids?.Add(_replaceClOrdId!);
                Report(state, ExecType.Replaced, 0, 0, "");
                return;
            }
            Report(state, ExecType.New, 0, 0, "");
        }

        public void OnRejected(long orderId, RejectReason reason)
        {
            if (!_orders.TryGetValue(orderId, out var state)) return;
            if (_replacing == orderId)
            {
                state.ReplaceRejected++;
                state.LastRejectText = $"replace refused: {Describe(reason)}";
                return;
            }
            Report(state, ExecType.Rejected, 0, 0, Describe(reason));
            Ended(orderId, state);
        }

        public void OnFill(in Fill fill)
        {
            var price = Price(fill.PriceTicks);
            var quantity = fill.Quantity * Instrument.LotSize;
            _lastTrade = price;
            foreach (var (id, maker) in new[] { (fill.MakerOrderId, true), (fill.TakerOrderId, false) })
            {
                var state = _orders[id];
                state.FilledUnits += fill.Quantity;
                state.Notional += price * quantity;
                // Published to 1e-10, as a venue's reports carry decimals: the same number whether read in process or off the wire.
                var fee = Math.Round(price * quantity * (maker ? Instrument.MakerFeeBps : Instrument.TakerFeeBps) / 1e4, 10);
                Report(state, ExecType.Trade, quantity, price, "", fee, maker ? "maker" : "taker");
                if (state.FilledUnits == state.Quantity) Ended(id, state);
            }
            _exchange._subscriber.OnTrade(new Trade(Instrument.Symbol, Now, Now, _exchange.NextSequence(), price, quantity, _exchange.Venue, ""));
        }

        public void OnCanceled(long orderId, long canceledQuantity, CancelReason reason)
        {
            if (reason == CancelReason.Replaced) return; // the Replaced report follows
            if (reason == CancelReason.PriceBand) _bandStopped = true;
            var state = _orders[orderId];
            state.Closed = true;
            if (state.PendingClOrdId is { } cancelId)
            {
                state.Order = state.Order with { OrderId = cancelId };
                _byClOrdId[cancelId] = orderId;
                state.Ids?.Add(cancelId);
            }
            Report(state, reason == CancelReason.SessionEnd ? ExecType.Expired : ExecType.Canceled, 0, 0, Describe(reason));
            Ended(orderId, state);
        }

        public void OnReduced(long orderId, long newQuantity)
        {
            var state = _orders[orderId];
            state.Order = state.Order with { OrderId = _replaceClOrdId!, Quantity = state.Filled + newQuantity * Instrument.LotSize };
            state.Quantity = state.FilledUnits + newQuantity;
            _byClOrdId[_replaceClOrdId!] = orderId;
            state.Ids?.Add(_replaceClOrdId!);
            Report(state, ExecType.Replaced, 0, 0, "");
        }

        /// <summary>Order states held.</summary>
        public int Held => _orders.Count;

        // An ephemeral account's order is forgotten when it ends, with every ClOrdID it went by.
        private void Ended(long id, OrderState state)
        {
            if (state.Ids is null) return;
            _orders.Remove(id);
            foreach (var clOrdId in state.Ids) _byClOrdId.Remove(clOrdId);
        }

        public void OnLevel(Side side, long priceTicks, long quantity, int orders) =>
            _exchange._subscriber.OnBookDelta(new BookDelta(Instrument.Symbol, Now, Now, _exchange.NextSequence(), side == Side.Buy ? ContractBookSide.Bid : ContractBookSide.Ask,
                quantity == 0 ? BookAction.Delete : BookAction.Upsert, Price(priceTicks), quantity * Instrument.LotSize));

        private string? Validate(Order order)
        {
            if (!(order.Quantity > 0) || OffGrid(order.Quantity, Instrument.LotSize)) return $"quantity {order.Quantity} is not a positive multiple of the lot size {Instrument.LotSize}";
            if (order.Type is OrderType.Stop or OrderType.StopLimit) return "stop orders are not supported by this venue";
            if (order.Type == OrderType.Limit && (order.LimitPrice is not { } p || !(p > 0) || OffGrid(p, Instrument.TickSize)))
                return $"limit price {order.LimitPrice} is not a positive multiple of the tick size {Instrument.TickSize}";
            return null;
        }

        private void Report(OrderState state, ExecType type, double lastQty, double lastPrice, string text, double fee = 0, string liquidity = "") =>
            Report(state.Order, type, type == ExecType.Trade && state.FilledUnits == state.Quantity ? OrderStatus.Filled : Status(state, type), lastQty, lastPrice,
                state.Filled, state.Closed || type is ExecType.Rejected ? 0 : (state.Quantity - state.FilledUnits) * Instrument.LotSize,
                state.Filled > 0 ? Math.Round(state.Notional / state.Filled, 10) : 0, liquidity, text, fee);

        private void Report(Order order, ExecType type, OrderStatus status, double lastQty, double lastPrice, double cum, double leaves, double average, string liquidity, string text, double fee = 0) =>
            _exchange._subscriber.OnExecutionReport(new ExecutionReport($"{_exchange.Venue}-{Instrument.Symbol}-{++_execId}", order.OrderId, order.Instrument, Now, type, status, order.Side,
                lastQty, lastPrice, cum, leaves, average, fee, _exchange.Venue, liquidity, text));

        private static OrderStatus Status(OrderState state, ExecType type = ExecType.New) => type switch
        {
            ExecType.Rejected => OrderStatus.Rejected,
            ExecType.Canceled => OrderStatus.Canceled,
            ExecType.Expired => OrderStatus.Expired,
            _ => state.FilledUnits == 0 ? OrderStatus.New : state.FilledUnits >= state.Quantity ? OrderStatus.Filled : OrderStatus.PartiallyFilled,
        };

        private static string Describe(RejectReason reason) => reason switch
        {
            RejectReason.PostOnlyWouldTake => "post-only order would take liquidity",
            RejectReason.OutsidePriceBand => "limit price outside the limit-up/limit-down band",
            RejectReason.NotTrading => "trading is halted or the session is closed",
            RejectReason.DuplicateOrderId => "duplicate order id",
            RejectReason.InvalidPrice => "invalid price",
            RejectReason.InvalidQuantity => "invalid quantity",
            RejectReason.UnsupportedOrderType => "unsupported order type",
            _ => "unknown order",
        };

        private static string Describe(CancelReason reason) => reason switch
        {
            CancelReason.ImmediateOrCancel => "unfilled remainder of an immediate-or-cancel order",
            CancelReason.FillOrKill => "fill-or-kill could not fill completely",
            CancelReason.SelfTrade => "self-trade prevention",
            CancelReason.PriceBand => "limit-up/limit-down band reached: remainder cancelled, trading paused",
            CancelReason.SessionEnd => "day order expired at the close",
            _ => "",
        };

        private long Units(double quantity) => (long)Math.Round(quantity / Instrument.LotSize);

        private long Ticks(double price, bool? up = null) => up switch
        {
            true => (long)Math.Ceiling(price / Instrument.TickSize - 1e-9),
            false => (long)Math.Floor(price / Instrument.TickSize + 1e-9),
            _ => (long)Math.Round(price / Instrument.TickSize),
        };

        private double Price(long ticks) => Math.Round(ticks * Instrument.TickSize, 10);

        private static bool OffGrid(double value, double step) => Math.Abs(value / step - Math.Round(value / step)) > 1e-9;

        private sealed class OrderState(Order order, long quantity, double lot)
        {
            public Order Order { get; set; } = order;
            public long Quantity { get; set; } = quantity;
            public long FilledUnits { get; set; }
            public double Notional { get; set; }
            public bool Closed { get; set; }
            public string? PendingClOrdId { get; set; }
            public int ReplaceRejected { get; set; }
            public string LastRejectText { get; set; } = "";
            public double Filled => FilledUnits * lot;
            public List<string>? Ids { get; set; }
        }
    }

    // Orders for unlisted symbols are rejected with a report rather than an exception.
    private sealed class UnknownListing : Listing
    {
        private readonly SimulatedExchange _owner;
        private readonly string _symbol;

        public UnknownListing(SimulatedExchange exchange, string symbol) : base(exchange, new VenueInstrument(symbol, 1), SelfTradePrevention.CancelResting)
        {
            _owner = exchange;
            _symbol = symbol;
        }

        public override void Submit(Order order) =>
            _owner._subscriber.OnExecutionReport(new ExecutionReport($"{_owner.Venue}-reject-{_owner.NextSequence()}", order.OrderId, _symbol, _owner.Now, ExecType.Rejected,
                OrderStatus.Rejected, order.Side, 0, 0, 0, 0, 0, 0, _owner.Venue, "", $"{_symbol} is not listed on {_owner.Venue}"));
    }
}
