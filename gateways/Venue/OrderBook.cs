using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// A price-time priority limit order book for one instrument: limit, market, IOC, FOK and post-only orders, in-place
/// size reduction (priority kept) and cancel/replace (priority lost on a price change or size increase), partial
/// fills, self-trade prevention, limit-up/limit-down bands and halts. Integer ticks and units make matching exact;
/// events go synchronously to an <see cref="IMatchingListener"/>, and steady-state matching allocates nothing.
/// </summary>
public sealed class OrderBook
{
    private readonly IMatchingListener _listener;
    private readonly BookSide _bids = new(Side.Buy);
    private readonly BookSide _asks = new(Side.Sell);
    private readonly Dictionary<long, RestingOrder> _live = [];
    private readonly Stack<RestingOrder> _pool = new();

    /// <summary>A book reporting to a listener.</summary>
    public OrderBook(IMatchingListener listener, SelfTradePrevention selfTradePrevention = SelfTradePrevention.CancelResting)
    {
        _listener = listener;
        SelfTradePrevention = selfTradePrevention;
    }

    /// <summary>Self-trade prevention mode.</summary>
    public SelfTradePrevention SelfTradePrevention { get; }

    /// <summary>Trading phase.</summary>
    public TradingState State { get; private set; } = TradingState.Open;

    /// <summary>Limit-down band in ticks (no trade below), or null.</summary>
    public long? LowerBand { get; private set; }

    /// <summary>Limit-up band in ticks (no trade above), or null.</summary>
    public long? UpperBand { get; private set; }

    /// <summary>Highest bid in ticks.</summary>
    public long? BestBid => _bids.Best?.PriceTicks;

    /// <summary>Lowest ask in ticks.</summary>
    public long? BestAsk => _asks.Best?.PriceTicks;

    /// <summary>Number of resting orders.</summary>
    public int OrderCount => _live.Count;

    /// <summary>Whether an order is resting.</summary>
    public bool IsLive(long orderId) => _live.ContainsKey(orderId);

    /// <summary>Sets the limit-up/limit-down band (inclusive).</summary>
    public void SetPriceBand(long lowerTicks, long upperTicks)
    {
        if (lowerTicks > upperTicks) throw new ArgumentException($"the lower band {lowerTicks} is above the upper band {upperTicks}");
        (LowerBand, UpperBand) = (lowerTicks, upperTicks);
    }

    /// <summary>Removes the band.</summary>
    public void ClearPriceBand() => (LowerBand, UpperBand) = (null, null);

    /// <summary>Halts: new orders are refused and nothing matches; cancels still work.</summary>
    public void Halt() => State = TradingState.Halted;

    /// <summary>Resumes continuous trading.</summary>
    public void Resume() => State = TradingState.Open;

    /// <summary>Ends the session: day and post-only orders expire; GTC orders stay.</summary>
    public void Close()
    {
        State = TradingState.Closed;
        foreach (var order in _live.Values.Where(o => o.TimeInForce != TimeInForce.Gtc).ToArray()) Remove(order, CancelReason.SessionEnd);
    }

    /// <summary>Opens a new session.</summary>
    public void Open() => State = TradingState.Open;

    /// <summary>Submits an order: it trades against the opposite side as far as its limit (and the band) allow, then rests or is cancelled.</summary>
    public void Submit(in OrderRequest order)
    {
        if (Refusal(order) is { } reason)
        {
            _listener.OnRejected(order.OrderId, reason);
            return;
        }
        _listener.OnAccepted(order);
        var limit = EffectiveLimit(order);
        if (order.TimeInForce == TimeInForce.Fok && Available(order, limit) < order.Quantity)
        {
            _listener.OnCanceled(order.OrderId, order.Quantity, CancelReason.FillOrKill);
            return;
        }
        var (remaining, stoppedBySelfTrade) = Match(order, limit);
        if (remaining == 0 || stoppedBySelfTrade) return;
        if (order.Type == OrderType.Market || order.TimeInForce is TimeInForce.Ioc or TimeInForce.Fok)
        {
            var opposite = order.Side == Side.Buy ? _asks : _bids;
            var bandStopped = opposite.Best is { } best && BookSide.Crosses(order.Side, order.Type == OrderType.Market ? Unbounded(order.Side) : order.PriceTicks, best.PriceTicks);
            _listener.OnCanceled(order.OrderId, remaining, bandStopped ? CancelReason.PriceBand : CancelReason.ImmediateOrCancel);
            return;
        }
        Rest(order, remaining);
    }

    /// <summary>Cancels a resting order.</summary>
    public void Cancel(long orderId)
    {
        if (_live.TryGetValue(orderId, out var order)) Remove(order, CancelReason.Requested);
        else _listener.OnRejected(orderId, RejectReason.UnknownOrder);
    }

    /// <summary>
    /// Changes a resting order's price and/or open quantity: a size reduction at the same price keeps time priority;
    /// anything else re-enters the book at the back of the queue (and may trade).
    /// </summary>
    public void Replace(long orderId, long newPriceTicks, long newQuantity)
    {
        if (!_live.TryGetValue(orderId, out var order))
        {
            _listener.OnRejected(orderId, RejectReason.UnknownOrder);
            return;
        }
        if (newQuantity <= 0)
        {
            _listener.OnRejected(orderId, RejectReason.InvalidQuantity);
            return;
        }
        if (newPriceTicks == order.PriceTicks && newQuantity <= order.Quantity)
        {
            var level = order.Level!;
            level.Quantity -= order.Quantity - newQuantity;
            order.Quantity = newQuantity;
            _listener.OnReduced(orderId, newQuantity);
            _listener.OnLevel(order.Side, level.PriceTicks, level.Quantity, level.Count);
            return;
        }
        var request = new OrderRequest(orderId, order.Owner, order.Side, OrderType.Limit, order.TimeInForce, newPriceTicks, newQuantity);
        if (Refusal(request, replacing: true) is { } reason)
        {
            _listener.OnRejected(orderId, reason);
            return;
        }
        Remove(order, CancelReason.Replaced);
        Submit(request);
    }

    /// <summary>The best <paramref name="levels"/> levels of a side (L2): price, total quantity, order count.</summary>
    public IReadOnlyList<(long PriceTicks, long Quantity, int Orders)> Depth(Side side, int levels)
    {
        var book = side == Side.Buy ? _bids : _asks;
        var result = new List<(long, long, int)>(Math.Min(levels, book.Count));
        for (var i = 0; i < Math.Min(levels, book.Count); i++)
        {
            var level = book.FromBest(i);
            result.Add((level.PriceTicks, level.Quantity, level.Count));
        }
        return result;
    }

    /// <summary>Every resting order of a side in priority order (L3): best price first, then time.</summary>
    public IReadOnlyList<(long OrderId, long Owner, long PriceTicks, long Quantity)> Orders(Side side)
    {
        var book = side == Side.Buy ? _bids : _asks;
        var result = new List<(long, long, long, long)>();
        for (var i = 0; i < book.Count; i++)
            for (var order = book.FromBest(i).Head; order is not null; order = order.Next)
                result.Add((order.OrderId, order.Owner, order.PriceTicks, order.Quantity));
        return result;
    }

    /// <summary>Quantity ahead of an order in its level's queue (what must trade before it fills).</summary>
    public long QuantityAhead(long orderId)
    {
        if (!_live.TryGetValue(orderId, out var order)) return -1;
        long ahead = 0;
        for (var o = order.Level!.Head; o is not null && !ReferenceEquals(o, order); o = o.Next) ahead += o.Quantity;
        return ahead;
    }

    private RejectReason? Refusal(in OrderRequest order, bool replacing = false)
    {
        if (order.Quantity <= 0) return RejectReason.InvalidQuantity;
        if (order.Type is OrderType.Stop or OrderType.StopLimit) return RejectReason.UnsupportedOrderType;
        if (order.Type == OrderType.Limit && order.PriceTicks <= 0) return RejectReason.InvalidPrice;
        if (!replacing && _live.ContainsKey(order.OrderId)) return RejectReason.DuplicateOrderId;
        if (State != TradingState.Open) return RejectReason.NotTrading;
        if (order.Type == OrderType.Limit && ((order.Side == Side.Buy && order.PriceTicks > UpperBand) || (order.Side == Side.Sell && order.PriceTicks < LowerBand)))
            return RejectReason.OutsidePriceBand;
        if (order.TimeInForce == TimeInForce.PostOnly)
        {
            if (order.Type == OrderType.Market) return RejectReason.PostOnlyWouldTake;
            var opposite = order.Side == Side.Buy ? _asks : _bids;
            if (opposite.Best is { } best && BookSide.Crosses(order.Side, order.PriceTicks, best.PriceTicks)) return RejectReason.PostOnlyWouldTake;
        }
        return null;
    }

    private static long Unbounded(Side side) => side == Side.Buy ? long.MaxValue : long.MinValue;

    // The limit clipped to the band: nothing trades outside it.
    private long EffectiveLimit(in OrderRequest order)
    {
        var limit = order.Type == OrderType.Market ? Unbounded(order.Side) : order.PriceTicks;
        if (order.Side == Side.Buy && UpperBand is { } up) limit = Math.Min(limit, up);
        if (order.Side == Side.Sell && LowerBand is { } down) limit = Math.Max(limit, down);
        return limit;
    }

    // Quantity an incoming order could trade right now (FOK pre-check), honouring self-trade prevention.
    private long Available(in OrderRequest order, long limit)
    {
        var opposite = order.Side == Side.Buy ? _asks : _bids;
        long total = 0;
        for (var i = 0; i < opposite.Count && total < order.Quantity; i++)
        {
            var level = opposite.FromBest(i);
            if (!BookSide.Crosses(order.Side, limit, level.PriceTicks)) break;
            for (var o = level.Head; o is not null; o = o.Next)
            {
                if (o.Owner == order.Owner)
                {
                    if (SelfTradePrevention == SelfTradePrevention.CancelResting) continue;
                    return total;
                }
                total += o.Quantity;
                if (total >= order.Quantity) break;
            }
        }
        return total;
    }

    private (long Remaining, bool StoppedBySelfTrade) Match(in OrderRequest order, long limit)
    {
        var opposite = order.Side == Side.Buy ? _asks : _bids;
        var remaining = order.Quantity;
        while (remaining > 0 && opposite.Best is { } level && BookSide.Crosses(order.Side, limit, level.PriceTicks))
        {
            var resting = level.Head;
            while (resting is not null && remaining > 0)
            {
                var next = resting.Next;
                if (resting.Owner == order.Owner)
                {
                    switch (SelfTradePrevention)
                    {
                        case SelfTradePrevention.CancelResting:
                            Remove(resting, CancelReason.SelfTrade, publish: false);
                            break;
                        case SelfTradePrevention.CancelIncoming:
                            _listener.OnCanceled(order.OrderId, remaining, CancelReason.SelfTrade);
                            PublishAndPrune(opposite, level);
                            return (remaining, true);
                        default:
                            Remove(resting, CancelReason.SelfTrade, publish: false);
                            _listener.OnCanceled(order.OrderId, remaining, CancelReason.SelfTrade);
                            PublishAndPrune(opposite, level);
                            return (remaining, true);
                    }
                    resting = next;
                    continue;
                }
                var quantity = Math.Min(remaining, resting.Quantity);
                resting.Quantity -= quantity;
                level.Quantity -= quantity;
                remaining -= quantity;
                _listener.OnFill(new Fill(resting.OrderId, order.OrderId, order.Side, level.PriceTicks, quantity, resting.Quantity, remaining));
                if (resting.Quantity == 0)
                {
                    level.Remove(resting);
                    _live.Remove(resting.OrderId);
                    Release(resting);
                }
                resting = next;
            }
            PublishAndPrune(opposite, level);
        }
        return (remaining, false);
    }

    private void PublishAndPrune(BookSide side, PriceLevel level)
    {
        _listener.OnLevel(side.Side, level.PriceTicks, level.Quantity, level.Count);
        if (level.Count == 0) side.RemoveLevel(level);
    }

    private void Rest(in OrderRequest order, long quantity)
    {
        var side = order.Side == Side.Buy ? _bids : _asks;
        var level = side.GetOrAdd(order.PriceTicks);
        var resting = _pool.Count > 0 ? _pool.Pop() : new RestingOrder();
        resting.OrderId = order.OrderId;
        resting.Owner = order.Owner;
        resting.Side = order.Side;
        resting.TimeInForce = order.TimeInForce;
        resting.PriceTicks = order.PriceTicks;
        resting.Quantity = quantity;
        level.Append(resting);
        _live[order.OrderId] = resting;
        _listener.OnLevel(order.Side, level.PriceTicks, level.Quantity, level.Count);
    }

    private void Remove(RestingOrder order, CancelReason reason, bool publish = true)
    {
        var level = order.Level!;
        var side = order.Side == Side.Buy ? _bids : _asks;
        var quantity = order.Quantity;
        level.Remove(order);
        _live.Remove(order.OrderId);
        _listener.OnCanceled(order.OrderId, quantity, reason);
        if (publish) PublishAndPrune(side, level);
        Release(order);
    }

    private void Release(RestingOrder order)
    {
        order.Previous = order.Next = null;
        order.Level = null;
        _pool.Push(order);
    }
}
