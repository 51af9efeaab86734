namespace CroweLogic.Flow.Contracts.MarketData;

/// <summary>
/// The market-data port: the one interface every feed stands behind — a FIX venue's market data, a crypto venue's
/// WebSocket streams, the simulated exchange — beside the execution port. The lane subscribes per instrument and gets
/// Arrow batches in the tick shape back through the <see cref="IMarketDataEvents"/> given to <see cref="Start"/>, each
/// stamped with exchange time per row and the time it was received; a hole in a feed's sequence is reported as a
/// <see cref="FeedGap"/> and the feed resynchronises its books from a snapshot before it sends quotes again.
/// </summary>
public interface IMarketDataClient : IAsyncDisposable
{
    /// <summary>Feed name on gaps, statuses and metrics.</summary>
    string Source { get; }

    /// <summary>Connects and starts delivering events (from the feed's own threads).</summary>
    /// <exception cref="MarketDataException">The feed cannot be reached within its connect timeout; the message says why.</exception>
    void Start(IMarketDataEvents events);

    /// <summary>Subscribes to <paramref name="symbols"/>: each gets a snapshot (its book from scratch) and then every change.</summary>
    void Subscribe(IReadOnlyList<string> symbols);

    /// <summary>Stops the data of <paramref name="symbols"/>.</summary>
    void Unsubscribe(IReadOnlyList<string> symbols);
}

/// <summary>Where a feed delivers (the lane's live feed).</summary>
public interface IMarketDataEvents
{
    /// <summary>Trades and top-of-book quotes, in arrival order per instrument.</summary>
    void OnBatch(FeedBatch batch);

    /// <summary>Data was lost or refused: the instrument's book is stale until the feed resynchronises it.</summary>
    void OnGap(FeedGap gap);

    /// <summary>The feed's connection came up or went down, or an instrument was resynchronised.</summary>
    void OnStatus(FeedStatus status);
}
