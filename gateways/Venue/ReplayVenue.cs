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
    private readonly Dictionary<string, Book> _books = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Passive> _open = new(StringComparer.Ordinal);
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
    public double? QueueAhead(string orderId) => _open.TryGetValue(orderId, out var passive) ? passive.Ahead : null;

    /// <summary>A recorded quote: the new top of book; resting orders it crosses fill (the other side reached them).</summary>
    public void OnQuote(Quote quote) => OnQuote(quote.Symbol, quote.Ts, quote.Bid ?? double.NaN, quote.BidSize ?? double.NaN, quote.Ask ?? double.NaN, quote.AskSize ?? double.NaN);

    /// <summary>A recorded quote, without a record (NaN: the side is absent).</summary>
    public void OnQuote(string symbol, long ts, double bid, double bidSize, double ask, double askSize)
    {
        if (!_books.TryGetValue(symbol, out var book)) _books[symbol] = book = new Book();
        (book.HasQuote, book.Bid, book.BidSize, book.Ask, book.AskSize) = (true, bid, bidSize, ask, askSize);
        var orders = book.Resting;
        // A fill's report can reach code that sends or cancels orders here: a new order joins the end of the list and a
        // cancelled one is only marked, so walking the list by index up to its length now stays valid.
        var count = orders.Count;
        var filled = false;
        for (var i = 0; i < count; i++)
        {
            var passive = orders[i];
            if (passive.Remaining <= 0) continue;
            var buy = passive.Order.Side == Side.Buy;
            var limit = passive.Order.LimitPrice!.Value;
            var (far, farSize) = buy ? (ask, askSize) : (bid, bidSize);
            if (!double.IsNaN(far) && (buy ? far <= limit : far >= limit))
            {
                filled = true;
                Fill(passive, Math.Min(passive.Remaining, double.IsNaN(farSize) ? passive.Remaining : farSize), limit, maker: true, ts);
                continue;
            }
            var near = buy ? bid : ask;
            // Once the touch reaches our price, the displayed size there is what is ahead of us.
            if (double.IsPositiveInfinity(passive.Ahead) && near == limit) passive.Ahead = buy ? Size(bidSize) : Size(askSize);
        }
        if (filled || book.Cancelled) Sweep(book);
    }

    /// <summary>A recorded trade: drains the queue at its price, and fills orders it traded through.</summary>
    public void OnTrade(Trade trade) => OnTrade(trade.Symbol, trade.Ts, trade.Price, trade.Size);

    /// <summary>A recorded trade, without a record.</summary>
    public void OnTrade(string symbol, long ts, double price, double size)
    {
        if (!_books.TryGetValue(symbol, out var book)) return;
        var orders = book.Resting;
        var volume = size;
        var count = orders.Count;
        var filled = false;
        for (var i = 0; i < count; i++)
        {
            if (volume <= 0) break;
            var passive = orders[i];
            if (passive.Remaining <= 0) continue;
            var buy = passive.Order.Side == Side.Buy;
            var limit = passive.Order.LimitPrice!.Value;
            if (buy ? price < limit : price > limit)
            {
                filled = true;
                var quantity = Math.Min(passive.Remaining, volume);
                Fill(passive, quantity, limit, maker: true, ts);
                volume -= quantity;
            }
            else if (price == limit && !double.IsPositiveInfinity(passive.Ahead))
            {
                var drained = Math.Min(passive.Ahead, volume);
                passive.Ahead -= drained;
                volume -= drained;
                if (passive.Ahead > 0 || volume <= 0) continue;
                filled = true;
                var quantity = Math.Min(passive.Remaining, volume);
                Fill(passive, quantity, limit, maker: true, ts);
                volume -= quantity;
            }
        }
        if (filled || book.Cancelled) Sweep(book);
    }

    /// <summary>Whether any of our orders rests on <paramref name="symbol"/>.</summary>
    public bool HasResting(string symbol) => _books.TryGetValue(symbol, out var book) && book.Open > 0;

    /// <summary>Submits an order at <paramref name="ts"/> against the current recorded quote.</summary>
    public void Submit(Order order, long ts)
    {
        if (!(order.Quantity > 0) || order.Type is OrderType.Stop or OrderType.StopLimit || (order.Type == OrderType.Limit && !(order.LimitPrice > 0)))
        {
            Report(order, ts, ExecType.Rejected, OrderStatus.Rejected, 0, 0, 0, 0, 0, "", "the replay venue takes market and limit orders with a positive quantity and price");
            return;
        }
        if (!_books.TryGetValue(order.Instrument, out var book) || !book.HasQuote)
        {
            Report(order, ts, ExecType.Rejected, OrderStatus.Rejected, 0, 0, 0, 0, 0, "", $"no recorded quote for {order.Instrument} yet");
            return;
        }
        var passive = new Passive(order, book);
        Report(order, ts, ExecType.New, OrderStatus.New, 0, 0, 0, order.Quantity, 0, "", "");
        var buy = order.Side == Side.Buy;
        var (far, farSize) = buy ? (book.Ask, book.AskSize) : (book.Bid, book.BidSize);
        var marketable = !double.IsNaN(far) && (order.Type == OrderType.Market || (buy ? far <= order.LimitPrice : far >= order.LimitPrice));
        if (marketable && order.TimeInForce == TimeInForce.PostOnly)
        {
            Report(order, ts, ExecType.Canceled, OrderStatus.Canceled, 0, 0, 0, 0, 0, "", "post-only order would take liquidity");
            return;
        }
        if (marketable)
        {
            var available = Size(farSize);
            if (order.TimeInForce == TimeInForce.Fok && available < order.Quantity)
            {
                Report(order, ts, ExecType.Canceled, OrderStatus.Canceled, 0, 0, 0, 0, 0, "", "fill-or-kill could not fill completely");
                return;
            }
            if (available > 0) Fill(passive, Math.Min(order.Quantity, available), far, maker: false, ts);
        }
        if (passive.Remaining <= 0) return;
        if (order.Type == OrderType.Market || order.TimeInForce is TimeInForce.Ioc or TimeInForce.Fok)
        {
            Report(order, ts, ExecType.Canceled, OrderStatus.Canceled, 0, 0, passive.Filled, 0, passive.Average, "", "unfilled remainder of an immediate-or-cancel order");
            return;
        }
        var near = buy ? book.Bid : book.Ask;
        var nearSize = Size(buy ? book.BidSize : book.AskSize);
        var limit = order.LimitPrice!.Value;
        passive.Ahead = double.IsNaN(near) ? 0
            : limit == near ? nearSize
            : (buy ? limit > near : limit < near) ? 0
            : double.PositiveInfinity;
        book.Resting.Add(passive);
        book.Open++;
        _open[order.OrderId] = passive;
    }

    /// <summary>Cancels a resting order.</summary>
    public void Cancel(string orderId, long ts)
    {
        if (!_open.Remove(orderId, out var passive))
        {
            _subscriber.OnCancelReject(new OrderCancelRejected(orderId, orderId, "", OrderStatus.Rejected, 1, 1, $"order {orderId} is not open"));
            return;
        }
        // Marked, not removed: a walk over the book may be under way (the symbol's next quote or trade removes it).
        passive.Closed = true;
        passive.Book.Open--;
        passive.Book.Cancelled = true;
        Report(passive.Order, ts, ExecType.Canceled, OrderStatus.Canceled, 0, 0, passive.Filled, 0, passive.Average, "", "");
    }

    private static double Size(double size) => double.IsNaN(size) ? 0 : size;

    private static void Sweep(Book book)
    {
        book.Resting.RemoveAll(p => p.Remaining <= 0);
        book.Cancelled = false;
    }

    private void Fill(Passive passive, double quantity, double price, bool maker, long ts)
    {
        if (quantity <= 0) return;
        passive.Filled += quantity;
        passive.Notional += quantity * price;
        var done = passive.Remaining <= 1e-12;
        if (done && _open.Remove(passive.Order.OrderId)) passive.Book.Open--;
        Report(passive.Order, ts, ExecType.Trade, done ? OrderStatus.Filled : OrderStatus.PartiallyFilled, quantity, price, passive.Filled, passive.Remaining, passive.Average,
            maker ? "maker" : "taker", "", quantity * price * (maker ? MakerFeeBps : TakerFeeBps) / 1e4);
    }

    private void Report(Order order, long ts, ExecType type, OrderStatus status, double lastQty, double lastPrice, double cum, double leaves, double average, string liquidity, string text, double fee = 0) =>
        _subscriber.OnExecutionReport(new ExecutionReport($"{Venue}-{++_execId}", order.OrderId, order.Instrument, ts, type, status, order.Side, lastQty, lastPrice, cum, leaves, average, fee, Venue, liquidity, text));

    // One instrument: its last recorded quote (NaN for an absent side) and our orders resting on it, in time priority.
    private sealed class Book
    {
        public bool HasQuote { get; set; }
        public double Bid { get; set; } = double.NaN;
        public double BidSize { get; set; } = double.NaN;
        public double Ask { get; set; } = double.NaN;
        public double AskSize { get; set; } = double.NaN;
        public List<Passive> Resting { get; } = [];
        public int Open { get; set; }
        public bool Cancelled { get; set; }
    }

    private sealed class Passive(Order order, Book book)
    {
        public Order Order { get; } = order;
        public Book Book { get; } = book;
        public double Filled { get; set; }
        public double Notional { get; set; }
        public double Ahead { get; set; }
        public bool Closed { get; set; }
        // A cancelled order has nothing left, though it stays in its book's list until the next sweep.
        public double Remaining => Closed ? 0 : Order.Quantity - Filled;
        public double Average => Filled > 0 ? Notional / Filled : 0;
    }
}
