namespace CroweLogic.Flow.Contracts.MarketData;

/// <summary>What a <see cref="FeedStatus"/> says.</summary>
public enum FeedState
{
    /// <summary>Connected (logged on, stream open).</summary>
    Connected,

    /// <summary>The connection dropped; the feed is reconnecting.</summary>
    Disconnected,

    /// <summary>An instrument's book was rebuilt from a snapshot and its data flows again.</summary>
    Synchronised,
}

/// <summary>A feed's connection or an instrument's synchronisation changed.</summary>
/// <param name="Source">The feed.</param>
/// <param name="State">What happened.</param>
/// <param name="Symbol">The instrument (for <see cref="FeedState.Synchronised"/>), else "".</param>
/// <param name="Ts">Wall time, ns since the epoch.</param>
/// <param name="Reason">Detail for the operator.</param>
public sealed record FeedStatus(string Source, FeedState State, string Symbol, long Ts, string Reason);
