using System.Globalization;
using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// The recorded market as the other participants of a <see cref="SimulatedExchange"/>: the recorded touch rests in
/// the book as one order per side from the <see cref="BookAccount"/> (moved, resized or withdrawn as each quote
/// changes), and a recorded print that reaches one of our resting orders is sent as an immediate-or-cancel order of
/// the print's size from the <see cref="PrintAccount"/>, so it drains the queue at that price in time priority —
/// the displayed size that was there before us first. The touch is mirrored only while we have an order resting on
/// the instrument and when one of ours arrives; otherwise quotes are only remembered, so the venue's cost follows our
/// orders, not the tape. Every instrument is listed on the cent grid the first time it is seen. Limits of the model:
/// only the top of book is known, so size that appears at a level where we already rest queues behind us, and a
/// sweep by our order takes the touch and nothing deeper.
/// </summary>
public sealed class SimulatedMarket
{
    /// <summary>Account of the recorded touch.</summary>
    public const string BookAccount = "MARKET";

    /// <summary>Account of recorded prints sent at our resting orders.</summary>
    public const string PrintAccount = "MARKET-PRINTS";

    private const string Prefix = "MKT-";
    private const long Day = 86_400_000_000_000L;
    private readonly SimulatedExchange _exchange;
    private readonly double _tick;
    private readonly double _makerFeeBps;
    private readonly double _takerFeeBps;
    private readonly Dictionary<string, Listing> _listings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BackgroundOrder> _background = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Listing Listing, Side Side, double Limit)> _ours = new(StringComparer.Ordinal);
    private long _ids;
    private long _day = long.MinValue;

    /// <summary>Feeds <paramref name="exchange"/> with the recorded market; our orders pay <paramref name="takerFeeBps"/> when they take.</summary>
    public SimulatedMarket(SimulatedExchange exchange, double takerFeeBps, double makerFeeBps = -0.2, double tickSize = 0.01)
    {
        _exchange = exchange;
        // The market's orders are many and end quickly: neither side keeps them once done.
        exchange.EphemeralAccount = BookAccount;
        (_tick, _makerFeeBps, _takerFeeBps) = (tickSize, makerFeeBps, takerFeeBps);
    }

    /// <summary>
    /// Mirror every recorded quote into the book, not only while one of our orders rests: a standalone venue whose
    /// market-data subscribers must see the recorded touch all the time.
    /// </summary>
    public bool MirrorAlways { get; init; }

    /// <summary>Lists <paramref name="symbol"/> before its first quote (so it can be subscribed to).</summary>
    public void List(string symbol, long ts) => Get(symbol, ts);

    /// <summary>Whether a ClOrdID is one of the recorded market's orders (their reports are not ours).</summary>
    public static bool IsBackground(string clOrdId) => clOrdId.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Our orders resting at the venue, by ClOrdID.</summary>
    public IEnumerable<(string ClOrdId, string Symbol, Side Side)> Resting => _ours.Select(o => (o.Key, o.Value.Listing.Symbol, o.Value.Side));

    /// <summary>The last recorded mid of <paramref name="symbol"/> (NaN before a two-sided quote).</summary>
    public double Mid(string symbol) => _listings.TryGetValue(symbol, out var l) && l.Bid > 0 && l.Ask > 0 ? (l.Bid + l.Ask) / 2 : double.NaN;

    /// <summary>A recorded quote (a non-positive side leaves that side as it was).</summary>
    public void Quote(string symbol, long ts, double bid, double bidSize, double ask, double askSize)
    {
        Roll(ts);
        var listing = Get(symbol, ts);
        if (bid > 0) (listing.Bid, listing.BidSize) = (bid, bidSize);
        if (ask > 0) (listing.Ask, listing.AskSize) = (ask, askSize);
        if (listing.Resting > 0 || MirrorAlways) Mirror(listing, ts);
    }

    /// <summary>A recorded print: when it reaches one of our resting orders it trades against the book at its price.</summary>
    public void Trade(string symbol, long ts, double price, double size)
    {
        Roll(ts);
        if (!(price > 0) || !(size > 0) || !_listings.TryGetValue(symbol, out var listing) || listing.Resting == 0) return;
        // A print at or below our bid sold into the bids; at or above our offer it bought from the offers.
        Side? aggressor = null;
        foreach (var (_, mine) in _ours)
        {
            if (mine.Listing != listing) continue;
            if (mine.Side == Side.Buy && mine.Limit >= price) aggressor = Side.Sell;
            else if (mine.Side == Side.Sell && mine.Limit <= price) aggressor = Side.Buy;
            if (aggressor is not null) break;
        }
        if (aggressor is not { } side) return;
        var ticks = side == Side.Sell ? Math.Floor(price / _tick + 1e-9) : Math.Ceiling(price / _tick - 1e-9);
        Submit(listing, ts, side, TimeInForce.Ioc, Math.Round(ticks * _tick, 10), Math.Round(size), PrintAccount, touch: null);
        _exchange.AdvanceTo(ts);
    }

    /// <summary>Before one of our orders reaches the venue: the instrument is listed and the book shows the last recorded touch.</summary>
    public void Prepare(Order order, long ts)
    {
        Roll(ts);
        var listing = Get(order.Instrument, ts);
        if (order.LimitPrice is { } limit) listing.Limits[order.OrderId] = (order.Side, limit);
        Mirror(listing, ts);
    }

    /// <summary>A replace of one of our orders is on its way: it rests at the new price from now on.</summary>
    /// <param name="clOrdId">The order's ClOrdID as we know it (the original; reports are observed under it).</param>
    /// <param name="newLimit">The new limit price (null: unchanged).</param>
    public void Replacing(string clOrdId, double? newLimit)
    {
        if (newLimit is not { } limit) return;
        foreach (var listing in _listings.Values)
        {
            if (!listing.Limits.TryGetValue(clOrdId, out var old)) continue;
            listing.Limits[clOrdId] = (old.Side, limit);
            if (_ours.TryGetValue(clOrdId, out var resting)) _ours[clOrdId] = resting with { Limit = limit };
            return;
        }
    }

    /// <summary>
    /// Every report the exchange publishes: the recorded market's orders are followed, ours tracked while they rest
    /// (ours under the ClOrdID they were submitted with, whatever id a cancel or replace reported them under).
    /// </summary>
    public void Observe(ExecutionReport report)
    {
        if (IsBackground(report.OrderId))
        {
            if (!_background.TryGetValue(report.OrderId, out var owner)) return;
            if (report.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Expired or OrderStatus.Rejected)
                foreach (var key in owner.Keys) _background.Remove(key);
            if (owner.Touch is not { } touch) return;
            if (report.ExecType == ExecType.Replaced) touch.Id = report.OrderId;
            // Reports of a withdrawn order (under its cancel's id) no longer describe the touch.
            if (touch.Id != report.OrderId) return;
            (touch.Open, touch.Filled) = ((long)Math.Round(report.LeavesQty), (long)Math.Round(report.CumQty));
            if (report.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Expired or OrderStatus.Rejected) touch.Id = null;
            return;
        }
        if (!_listings.TryGetValue(report.Instrument, out var listing)) return;
        var open = report.Status is OrderStatus.New or OrderStatus.PartiallyFilled && report.LeavesQty > 0;
        if (open && listing.Limits.TryGetValue(report.OrderId, out var limit))
        {
            if (_ours.TryAdd(report.OrderId, (listing, limit.Side, limit.Limit))) listing.Resting++;
        }
        else if (!open)
        {
            listing.Limits.Remove(report.OrderId);
            if (_ours.Remove(report.OrderId)) listing.Resting--;
        }
    }

    // The book's touch becomes the recorded one: stale levels are withdrawn first so the new touch never trades with them.
    private void Mirror(Listing listing, long ts)
    {
        var bidTicks = listing.Bid > 0 ? (long)Math.Floor(listing.Bid / _tick + 1e-9) : 0;
        var askTicks = listing.Ask > 0 ? (long)Math.Ceiling(listing.Ask / _tick - 1e-9) : 0;
        var bidUnits = bidTicks > 0 && listing.BidSize > 0 ? (long)Math.Round(listing.BidSize) : 0;
        var askUnits = askTicks > 0 && listing.AskSize > 0 ? (long)Math.Round(listing.AskSize) : 0;
        Withdraw(listing, listing.BidTouch, bidTicks, bidUnits, ts);
        Withdraw(listing, listing.AskTouch, askTicks, askUnits, ts);
        Place(listing, listing.BidTouch, Side.Buy, bidTicks, bidUnits, ts);
        Place(listing, listing.AskTouch, Side.Sell, askTicks, askUnits, ts);
        _exchange.AdvanceTo(ts);
    }

    private void Withdraw(Listing listing, Touch touch, long ticks, long units, long ts)
    {
        if (touch.Id is not { } id || (touch.Ticks == ticks && units > 0)) return;
        var cancel = NextId();
        Alias(cancel, id);
        _exchange.Cancel(listing.Symbol, cancel, id, ts);
        touch.Id = null;
    }

    private void Place(Listing listing, Touch touch, Side side, long ticks, long units, long ts)
    {
        if (units <= 0) return;
        if (touch.Id is null)
        {
            touch.Ticks = ticks;
            (touch.Open, touch.Filled) = (units, 0);
            touch.Id = Submit(listing, ts, side, TimeInForce.Day, Math.Round(ticks * _tick, 10), units, BookAccount, touch);
        }
        else if (touch.Open != units)
        {
            // A smaller size keeps its place in the queue; a larger one goes to the back, behind whoever joined since.
            var replace = NextId();
            Alias(replace, touch.Id);
            _exchange.Replace(listing.Symbol, replace, touch.Id, touch.Filled + units, null, ts);
            touch.Open = units;
        }
    }

    private string Submit(Listing listing, long ts, Side side, TimeInForce tif, double price, double quantity, string account, Touch? touch)
    {
        var id = NextId();
        _background[id] = new BackgroundOrder(listing, touch) { Keys = { id } };
        _exchange.Submit(new Order(id, "", listing.Symbol, ts, side, OrderType.Limit, tif, quantity, price, null, account, _exchange.Venue, "", []), ts);
        return id;
    }

    // A cancel or replace of one of the market's orders: its id names the same order.
    private void Alias(string requestId, string orderId)
    {
        var order = _background[orderId];
        order.Keys.Add(requestId);
        _background[requestId] = order;
    }

    /// <summary>Background orders (and the request ids naming them) still tracked.</summary>
    public int BackgroundTracked => _background.Count;

    private string NextId() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{++_ids}");

    private Listing Get(string symbol, long ts)
    {
        if (_listings.TryGetValue(symbol, out var listing)) return listing;
        if (!_exchange.IsListed(symbol)) _exchange.List(new VenueInstrument(symbol, _tick, 1, _makerFeeBps, _takerFeeBps));
        _listings[symbol] = listing = new Listing(symbol);
        return listing;
    }

    // A new UTC day closes the session (day orders expire, the recorded market's with them) and opens the next.
    private void Roll(long ts)
    {
        var day = ts / Day;
        if (day == _day) return;
        if (_day != long.MinValue)
        {
            _exchange.AdvanceTo(ts);
            _exchange.CloseSession();
            _exchange.OpenSession();
            foreach (var listing in _listings.Values) listing.BidTouch.Id = listing.AskTouch.Id = null;
        }
        _day = day;
    }

    private sealed class Listing(string symbol)
    {
        public string Symbol { get; } = symbol;
        public double Bid { get; set; }
        public double BidSize { get; set; }
        public double Ask { get; set; }
        public double AskSize { get; set; }
        public Touch BidTouch { get; } = new();
        public Touch AskTouch { get; } = new();
        public int Resting { get; set; }
        public Dictionary<string, (Side Side, double Limit)> Limits { get; } = new(StringComparer.Ordinal);
    }

    // One of the market's orders and every id it goes by (its own, its replaces', its cancel's).
    private sealed class BackgroundOrder(Listing listing, Touch? touch)
    {
        public Listing Listing { get; } = listing;
        public Touch? Touch { get; } = touch;
        public List<string> Keys { get; } = new(2);
    }

    private sealed class Touch
    {
        public string? Id { get; set; }
        public long Ticks { get; set; }
        public long Open { get; set; }
        public long Filled { get; set; }
    }
}
