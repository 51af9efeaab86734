using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.MarketData.Binance;

/// <summary>A diff-depth event (<c>&lt;symbol&gt;@depth</c>): levels changed between update ids <paramref name="FirstUpdateId"/> (U) and <paramref name="FinalUpdateId"/> (u).</summary>
/// <param name="Symbol">Instrument (upper case, as the venue names it).</param>
/// <param name="EventTime">Event time (E), ns since the epoch.</param>
/// <param name="FirstUpdateId">U.</param>
/// <param name="FinalUpdateId">u.</param>
/// <param name="Bids">Bid levels: price and absolute quantity (0 removes).</param>
/// <param name="Asks">Ask levels.</param>
public sealed record BinanceDepthUpdate(string Symbol, long EventTime, long FirstUpdateId, long FinalUpdateId, IReadOnlyList<(decimal Price, decimal Quantity)> Bids, IReadOnlyList<(decimal Price, decimal Quantity)> Asks);

/// <summary>A REST depth snapshot (<c>GET /api/v3/depth</c>).</summary>
/// <param name="LastUpdateId">lastUpdateId.</param>
/// <param name="Bids">Bid levels.</param>
/// <param name="Asks">Ask levels.</param>
public sealed record BinanceDepthSnapshot(long LastUpdateId, IReadOnlyList<(decimal Price, decimal Quantity)> Bids, IReadOnlyList<(decimal Price, decimal Quantity)> Asks);

/// <summary>What the synchroniser did with an event or a snapshot.</summary>
public enum DepthStep
{
    /// <summary>Held until a snapshot arrives.</summary>
    Buffered,

    /// <summary>Applied to the book.</summary>
    Applied,

    /// <summary>Older than the book (u ≤ its update id): dropped, as the venue documents.</summary>
    Ignored,

    /// <summary>The book is synchronised from the snapshot and the buffered events after it.</summary>
    Synchronised,

    /// <summary>The snapshot is older than the first buffered event: fetch another.</summary>
    SnapshotTooOld,

    /// <summary>An event does not follow the book (U &gt; update id + 1): the book is void; buffer and fetch a snapshot.</summary>
    Gap,
}

/// <summary>
/// Binance's documented way to keep a local order book from the diff-depth stream and REST snapshots: buffer the
/// stream's events; fetch a snapshot; if lastUpdateId + 1 is below the first buffered U fetch again; drop buffered
/// events with u ≤ lastUpdateId; the first one left must straddle lastUpdateId + 1 (U ≤ lastUpdateId + 1 ≤ u); from
/// then on every event must start at the book's update id + 1, else the book is void and the process starts over.
/// Quantities are absolute; 0 removes the level. One instance per instrument; not thread-safe.
/// </summary>
public sealed class BinanceDepthSync(string symbol, int maxBuffered = 100_000)
{
    private readonly List<BinanceDepthUpdate> _buffer = [];

    /// <summary>The book.</summary>
    public L2Book Book { get; } = new(symbol);

    /// <summary>Whether the book follows the stream.</summary>
    public bool Synchronised { get; private set; }

    /// <summary>The update id the next event must start at, or −1 before a snapshot.</summary>
    public long Expected => Synchronised ? Book.LastUpdateId + 1 : -1;

    /// <summary>Why the last <see cref="DepthStep.Gap"/> or <see cref="DepthStep.SnapshotTooOld"/> happened.</summary>
    public string LastProblem { get; private set; } = "";

    /// <summary>Events waiting for a snapshot.</summary>
    public int Buffered => _buffer.Count;

    /// <summary>An event from the stream.</summary>
    public DepthStep OnEvent(BinanceDepthUpdate update)
    {
        if (!Synchronised)
        {
            // A snapshot that never comes must not hold the stream without bound: keep the newest events.
            if (_buffer.Count >= maxBuffered) _buffer.RemoveAt(0);
            _buffer.Add(update);
            return DepthStep.Buffered;
        }
        if (update.FinalUpdateId <= Book.LastUpdateId) return DepthStep.Ignored;
        if (update.FirstUpdateId > Book.LastUpdateId + 1)
        {
            LastProblem = $"diff depth U={update.FirstUpdateId} does not follow the book's update id {Book.LastUpdateId} (expected U ≤ {Book.LastUpdateId + 1}): {update.FirstUpdateId - Book.LastUpdateId - 1} updates lost";
            Void();
            _buffer.Add(update);
            return DepthStep.Gap;
        }
        Apply(update);
        return DepthStep.Applied;
    }

    /// <summary>A snapshot fetched after the stream was opened.</summary>
    public DepthStep OnSnapshot(BinanceDepthSnapshot snapshot)
    {
        // The first event after the snapshot must start at lastUpdateId + 1 or before.
        if (_buffer.Count > 0 && snapshot.LastUpdateId + 1 < _buffer[0].FirstUpdateId)
        {
            LastProblem = $"snapshot lastUpdateId {snapshot.LastUpdateId} is older than the first buffered event (U={_buffer[0].FirstUpdateId})";
            return DepthStep.SnapshotTooOld;
        }
        _buffer.RemoveAll(e => e.FinalUpdateId <= snapshot.LastUpdateId);
        if (_buffer.Count > 0 && _buffer[0].FirstUpdateId > snapshot.LastUpdateId + 1)
        {
            LastProblem = $"the first buffered event after snapshot {snapshot.LastUpdateId} starts at U={_buffer[0].FirstUpdateId}: updates in between are missing";
            return DepthStep.SnapshotTooOld;
        }
        Book.Clear();
        foreach (var (price, quantity) in snapshot.Bids) Book.Set(BookSide.Bid, price, quantity);
        foreach (var (price, quantity) in snapshot.Asks) Book.Set(BookSide.Ask, price, quantity);
        Book.LastUpdateId = snapshot.LastUpdateId;
        Synchronised = true;
        var buffered = _buffer.ToList();
        _buffer.Clear();
        foreach (var update in buffered)
        {
            if (OnEvent(update) == DepthStep.Gap) return DepthStep.Gap;
        }
        return DepthStep.Synchronised;
    }

    /// <summary>Voids the book (a dropped stream or a malformed message): events are buffered until the next snapshot.</summary>
    public void Void()
    {
        Synchronised = false;
        _buffer.Clear();
    }

    private void Apply(BinanceDepthUpdate update)
    {
        foreach (var (price, quantity) in update.Bids) Book.Set(BookSide.Bid, price, quantity);
        foreach (var (price, quantity) in update.Asks) Book.Set(BookSide.Ask, price, quantity);
        Book.LastUpdateId = update.FinalUpdateId;
    }
}
