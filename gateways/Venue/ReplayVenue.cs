using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// A venue that fills our orders against recorded market data (historical trades and quotes) for backtests:
/// marketable orders take the prevailing quote up to its displayed size; passive orders join a queue whose position is
/// estimated from the displayed depth ahead of them when they arrive (or when the touch reaches their price), drained
/// by recorded trades at their price; trades through their price fill them outright. Our orders never move the
/// recorded market (no impact), which is the usual, stated limitation of replay fills.
/// </summary>
public sealed class ReplayVenue
{
    private readonly IVenueSubscriber _subscriber;
    private readonly Dictionary<string, Quote> _quotes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Passive>> _resting = new(StringComparer.Ordinal);
    private int _execId;

    /// <summary>A replay venue with maker/taker fees in bps of notional.</summary>
    public ReplayVenue(IVenueSubscriber subscriber, string venue = "REPLAY", double makerFeeBps = -0.2, double takerFeeBps = 0.3)
    {
        _subscriber = subscriber;
        (Venue, MakerFeeBps, TakerFeeBps) = (venue, makerFeeBps, takerFeeBps);
    }

    /// <summary>Venue name on reports.</summary>
    public string Venue { get; }

    /// <summary>Passive fee, bps.</summary>
    public double MakerFeeBps { get; }

    /// <summary>Aggressive fee, bps.</summary>
    public double TakerFeeBps { get; }

    /// <summary>Estimated quantity ahead of a resting order (∞ while its price is behind the touch), or null if not resting.</summary>
    public double? QueueAhead(string orderId) =>
        _resting.Values.SelectMany(l => l).FirstOrDefault(p => p.Order.OrderId == orderId)?.Ahead;

    /// <summary>A recorded quote: the new top of book; resting orders it crosses fill (the other side reached them).</summary>
    public void OnQuote(Quote quote)
    {
        _quotes[quote.Symbol] = quote;
        if (!_resting.TryGetValue(quote.Symbol, out var orders)) return;
        // A fill's report can reach code that sends or cancels orders here, so the list is copied before the first fill
        // (most quotes fill nothing, and copying the book on every quote would cost more than the matching).
        var count = orders.Count;
        Passive[]? snapshot = null;
        for (var i = 0; i < count; i++)
        {
            var passive = snapshot is null ? orders[i] : snapshot[i];
            if (passive.Remaining <= 0) continue;
            var buy = passive.Order.Side == Side.Buy;
            var limit = passive.Order.LimitPrice!.Value;
            var (far, farSize) = buy ? (quote.Ask, quote.AskSize) : (quote.Bid, quote.BidSize);
            if (far is { } opposite && (buy ? opposite <= limit : opposite >= limit))
            {
                snapshot ??= [.. orders];
                Fill(passive, Math.Min(passive.Remaining, farSize ?? passive.Remaining), limit, maker: true, quote.Ts);
                continue;
            }
            var near = buy ? quote.Bid : quote.Ask;
            // Once the touch reaches our price, the displayed size there is what is ahead of us.
            if (double.IsPositiveInfinity(passive.Ahead) && near == limit) passive.Ahead = (buy ? quote.BidSize : quote.AskSize) ?? 0;
        }
        if (snapshot is not null) orders.RemoveAll(p => p.Remaining <= 0);
    }

    /// <summary>A recorded trade: drains the queue at its price, and fills orders it traded through.</summary>
    public void OnTrade(Trade trade)
    {
        if (!_resting.TryGetValue(trade.Symbol, out var orders)) return;
        var volume = trade.Size;
        var count = orders.Count;
        Passive[]? snapshot = null;
        for (var i = 0; i < count; i++)
        {
            if (volume <= 0) break;
            var passive = snapshot is null ? orders[i] : snapshot[i];
            if (passive.Remaining <= 0) continue;
            var buy = passive.Order.Side == Side.Buy;
            var limit = passive.Order.LimitPrice!.Value;
            if (buy ? trade.Price < limit : trade.Price > limit)
            {
                snapshot ??= [.. orders];
                var quantity = Math.Min(passive.Remaining, volume);
                Fill(passive, quantity, limit, maker: true, trade.Ts);
                volume -= quantity;
            }
            else if (trade.Price == limit && !double.IsPositiveInfinity(passive.Ahead))
            {
                var drained = Math.Min(passive.Ahead, volume);
                passive.Ahead -= drained;
                volume -= drained;
                if (passive.Ahead > 0 || volume <= 0) continue;
                snapshot ??= [.. orders];
                var quantity = Math.Min(passive.Remaining, volume);
                Fill(passive, quantity, limit, maker: true, trade.Ts);
                volume -= quantity;
            }
        }
        if (snapshot is not null) orders.RemoveAll(p => p.Remaining <= 0);
    }

    /// <summary>Submits an order at <paramref name="ts"/> against the current recorded quote.</summary>
    public void Submit(Order order, long ts)
    {
        if (!(order.Quantity > 0) || order.Type is OrderType.Stop or OrderType.StopLimit || (order.Type == OrderType.Limit && !(order.LimitPrice > 0)))
        {
            Report(order, ts, ExecType.Rejected, OrderStatus.Rejected, 0, 0, 0, 0, 0, "", "the replay venue takes market and limit orders with a positive quantity and price");
            return;
        }
        if (!_quotes.TryGetValue(order.Instrument, out var quote))
        {
            Report(order, ts, ExecType.Rejected, OrderStatus.Rejected, 0, 0, 0, 0, 0, "", $"no recorded quote for {order.Instrument} yet");
            return;
        }
        var passive = new Passive(order);
        Report(order, ts, ExecType.New, OrderStatus.New, 0, 0, 0, order.Quantity, 0, "", "");
        var buy = order.Side == Side.Buy;
        var (far, farSize) = buy ? (quote.Ask, quote.AskSize) : (quote.Bid, quote.BidSize);
        var marketable = far is { } price && (order.Type == OrderType.Market || (buy ? price <= order.LimitPrice : price >= order.LimitPrice));
        if (marketable && order.TimeInForce == TimeInForce.PostOnly)
        {
            Report(order, ts, ExecType.Canceled, OrderStatus.Canceled, 0, 0, 0, 0, 0, "", "post-only order would take liquidity");
            return;
        }
        if (marketable)
        {
            var available = farSize ?? 0;
            if (order.TimeInForce == TimeInForce.Fok && available < order.Quantity)
            {
                Report(order, ts, ExecType.Canceled, OrderStatus.Canceled, 0, 0, 0, 0, 0, "", "fill-or-kill could not fill completely");
                return;
            }
            if (available > 0) Fill(passive, Math.Min(order.Quantity, available), far!.Value, maker: false, ts);
        }
        if (passive.Remaining <= 0) return;
        if (order.Type == OrderType.Market || order.TimeInForce is TimeInForce.Ioc or TimeInForce.Fok)
        {
            Report(order, ts, ExecType.Canceled, OrderStatus.Canceled, 0, 0, passive.Filled, 0, passive.Average, "", "unfilled remainder of an immediate-or-cancel order");
            return;
        }
        var near = buy ? quote.Bid : quote.Ask;
        var nearSize = (buy ? quote.BidSize : quote.AskSize) ?? 0;
        var limit = order.LimitPrice!.Value;
        passive.Ahead = near is not { } touch ? 0
            : limit == touch ? nearSize
            : (buy ? limit > touch : limit < touch) ? 0
            : double.PositiveInfinity;
        if (!_resting.TryGetValue(order.Instrument, out var list)) _resting[order.Instrument] = list = [];
        list.Add(passive);
    }

    /// <summary>Cancels a resting order.</summary>
    public void Cancel(string orderId, long ts)
    {
        foreach (var list in _resting.Values)
        {
            var passive = list.FirstOrDefault(p => p.Order.OrderId == orderId);
            if (passive is null) continue;
            list.Remove(passive);
            passive.Closed = true;
            Report(passive.Order, ts, ExecType.Canceled, OrderStatus.Canceled, 0, 0, passive.Filled, 0, passive.Average, "", "");
            return;
        }
        _subscriber.OnCancelReject(new OrderCancelRejected(orderId, orderId, "", OrderStatus.Rejected, 1, 1, $"order {orderId} is not open"));
    }

    private void Fill(Passive passive, double quantity, double price, bool maker, long ts)
    {
        if (quantity <= 0) return;
        passive.Filled += quantity;
        passive.Notional += quantity * price;
        var done = passive.Remaining <= 1e-12;
        Report(passive.Order, ts, ExecType.Trade, done ? OrderStatus.Filled : OrderStatus.PartiallyFilled, quantity, price, passive.Filled, passive.Remaining, passive.Average,
            maker ? "maker" : "taker", "", quantity * price * (maker ? MakerFeeBps : TakerFeeBps) / 1e4);
    }

    private void Report(Order order, long ts, ExecType type, OrderStatus status, double lastQty, double lastPrice, double cum, double leaves, double average, string liquidity, string text, double fee = 0) =>
        _subscriber.OnExecutionReport(new ExecutionReport($"{Venue}-{++_execId}", order.OrderId, order.Instrument, ts, type, status, order.Side, lastQty, lastPrice, cum, leaves, average, fee, Venue, liquidity, text));

    private sealed class Passive(Order order)
    {
        public Order Order { get; } = order;
        public double Filled { get; set; }
        public double Notional { get; set; }
        public double Ahead { get; set; }
        public bool Closed { get; set; }
        // A cancelled order has nothing left, even in a copy of the book taken before it was cancelled.
        public double Remaining => Closed ? 0 : Order.Quantity - Filled;
        public double Average => Filled > 0 ? Notional / Filled : 0;
    }
}
