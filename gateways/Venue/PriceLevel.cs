using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>A resting order: a node of its price level's FIFO queue (intrusive links make cancels O(1)).</summary>
internal sealed class RestingOrder
{
    public long OrderId;
    public long Owner;
    public Side Side;
    public TimeInForce TimeInForce;
    public long PriceTicks;
    public long Quantity;
    public RestingOrder? Previous;
    public RestingOrder? Next;
    public PriceLevel? Level;
}

/// <summary>All resting orders at one price on one side, in time priority.</summary>
internal sealed class PriceLevel(long priceTicks)
{
    public long PriceTicks { get; } = priceTicks;
    public RestingOrder? Head { get; private set; }
    public RestingOrder? Tail { get; private set; }
    public long Quantity { get; set; }
    public int Count { get; private set; }

    public void Append(RestingOrder order)
    {
        order.Level = this;
        order.Previous = Tail;
        order.Next = null;
        if (Tail is null) Head = order;
        else Tail.Next = order;
        Tail = order;
        Quantity += order.Quantity;
        Count++;
    }

    public void Remove(RestingOrder order)
    {
        if (order.Previous is null) Head = order.Next;
        else order.Previous.Next = order.Next;
        if (order.Next is null) Tail = order.Previous;
        else order.Next.Previous = order.Previous;
        Quantity -= order.Quantity;
        Count--;
        order.Previous = order.Next = null;
        order.Level = null;
    }
}

/// <summary>
/// One side's price levels, sorted so that the best is last (removing the best level is O(1); new levels are few and
/// inserted by binary search), plus a price → level map for O(1) lookup.
/// </summary>
internal sealed class BookSide(Side side)
{
    private PriceLevel[] _levels = new PriceLevel[64];
    private readonly Dictionary<long, PriceLevel> _byPrice = [];

    public Side Side { get; } = side;

    public int Count { get; private set; }

    public PriceLevel? Best => Count == 0 ? null : _levels[Count - 1];

    /// <summary>Level i counted from the best (0 = best).</summary>
    public PriceLevel FromBest(int i) => _levels[Count - 1 - i];

    public PriceLevel? Find(long price) => _byPrice.GetValueOrDefault(price);

    public PriceLevel GetOrAdd(long price)
    {
        if (_byPrice.TryGetValue(price, out var existing)) return existing;
        var level = new PriceLevel(price);
        // Bids ascend (best = highest, last); asks descend (best = lowest, last).
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var before = Side == Side.Buy ? _levels[mid].PriceTicks < price : _levels[mid].PriceTicks > price;
            if (before) lo = mid + 1; else hi = mid;
        }
        if (Count == _levels.Length) Array.Resize(ref _levels, _levels.Length * 2);
        Array.Copy(_levels, lo, _levels, lo + 1, Count - lo);
        _levels[lo] = level;
        Count++;
        _byPrice[price] = level;
        return level;
    }

    public void RemoveLevel(PriceLevel level)
    {
        _byPrice.Remove(level.PriceTicks);
        if (Count > 0 && ReferenceEquals(_levels[Count - 1], level))
        {
            _levels[--Count] = null!;
            return;
        }
        var index = Array.IndexOf(_levels, level, 0, Count);
        Array.Copy(_levels, index + 1, _levels, index, Count - index - 1);
        _levels[--Count] = null!;
    }

    /// <summary>Whether an incoming order at this limit crosses a resting price on this side.</summary>
    public static bool Crosses(Side incoming, long limit, long restingPrice) => incoming == Side.Buy ? limit >= restingPrice : limit <= restingPrice;
}
