using System.Globalization;
using System.Text;
using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.MarketData;

/// <summary>
/// An L2 order book rebuilt from a feed: total size per price level and side, set from a snapshot and changed by
/// deltas (a size of zero removes the level). Prices and sizes are kept as the venue's decimals, so two books built
/// from the same messages are equal exactly. The one book builder of every feed (FIX market data, Binance depth,
/// recorded files).
/// </summary>
public sealed class L2Book
{
    private readonly SortedDictionary<decimal, decimal> _bids = new(Comparer<decimal>.Create((a, b) => b.CompareTo(a)));
    private readonly SortedDictionary<decimal, decimal> _asks = new();

    /// <summary>An empty book for <paramref name="symbol"/>.</summary>
    public L2Book(string symbol) => Symbol = symbol;

    /// <summary>The instrument.</summary>
    public string Symbol { get; }

    /// <summary>The venue's id of the last update applied (Binance's update id; FIX feeds leave it 0).</summary>
    public long LastUpdateId { get; set; }

    /// <summary>Levels on both sides.</summary>
    public int Count => _bids.Count + _asks.Count;

    /// <summary>Levels on one side, best first.</summary>
    public IEnumerable<KeyValuePair<decimal, decimal>> Levels(BookSide side) => side == BookSide.Bid ? _bids : _asks;

    /// <summary>Empties the book (before a snapshot).</summary>
    public void Clear()
    {
        _bids.Clear();
        _asks.Clear();
        LastUpdateId = 0;
    }

    /// <summary>Sets a level's total size (zero removes it).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative size or a non-positive price: the message was malformed.</exception>
    public void Set(BookSide side, decimal price, decimal size)
    {
        if (price <= 0) throw new ArgumentOutOfRangeException(nameof(price), price, $"{Symbol}: a book level needs a positive price");
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(size), size, $"{Symbol}: a book level's size cannot be negative");
        var levels = side == BookSide.Bid ? _bids : _asks;
        if (size == 0) levels.Remove(price);
        else levels[price] = size;
    }

    /// <summary>Removes a level.</summary>
    public void Remove(BookSide side, decimal price) => (side == BookSide.Bid ? _bids : _asks).Remove(price);

    /// <summary>The best level of a side, or null when the side is empty.</summary>
    public (decimal Price, decimal Size)? Best(BookSide side)
    {
        foreach (var level in side == BookSide.Bid ? _bids : _asks) return (level.Key, level.Value);
        return null;
    }

    /// <summary>Whether the best bid is at or above the best ask (a book that cannot be right).</summary>
    public bool IsCrossed => Best(BookSide.Bid) is { } bid && Best(BookSide.Ask) is { } ask && bid.Price >= ask.Price;

    /// <summary>Whether <paramref name="other"/> holds the same levels with the same sizes.</summary>
    public bool SameLevels(L2Book other) => Same(_bids, other._bids) && Same(_asks, other._asks);

    /// <summary>The first difference from <paramref name="other"/>, or null when the books are equal (for test and audit messages).</summary>
    public string? Difference(L2Book other)
    {
        foreach (var side in new[] { BookSide.Bid, BookSide.Ask })
        {
            var mine = side == BookSide.Bid ? _bids : _asks;
            var theirs = side == BookSide.Bid ? other._bids : other._asks;
            foreach (var (price, size) in mine)
                if (!theirs.TryGetValue(price, out var s) || s != size) return string.Create(CultureInfo.InvariantCulture, $"{side} {price}: {size} here, {(theirs.ContainsKey(price) ? s.ToString(CultureInfo.InvariantCulture) : "absent")} there");
            foreach (var price in theirs.Keys)
                if (!mine.ContainsKey(price)) return string.Create(CultureInfo.InvariantCulture, $"{side} {price}: absent here, {theirs[price]} there");
        }
        return null;
    }

    /// <summary>The top three levels of each side, one line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Symbol);
        text.Append(CultureInfo.InvariantCulture, $" #{LastUpdateId} bids");
        foreach (var (p, s) in _bids.Take(3)) text.Append(CultureInfo.InvariantCulture, $" {s}@{p}");
        text.Append(" asks");
        foreach (var (p, s) in _asks.Take(3)) text.Append(CultureInfo.InvariantCulture, $" {s}@{p}");
        return text.ToString();
    }

    private static bool Same(SortedDictionary<decimal, decimal> a, SortedDictionary<decimal, decimal> b) =>
        a.Count == b.Count && a.All(level => b.TryGetValue(level.Key, out var size) && size == level.Value);
}
