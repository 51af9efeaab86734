namespace CroweLogic.Flow.Contracts.MarketData;

/// <summary>
/// Data a feed did not get or could not use: a sequence hole, a message out of order, a malformed message, a refused
/// subscription, a dropped connection. The instrument's book is void from <paramref name="Ts"/> until the feed reports
/// it resynchronised (<see cref="FeedStatus"/>), so no decision is taken on a book with a hole in it.
/// </summary>
/// <param name="Source">The feed.</param>
/// <param name="Symbol">The instrument ("" when the whole feed is affected).</param>
/// <param name="Ts">Wall time the gap was found, ns since the epoch.</param>
/// <param name="Reason">What was lost and why, precise enough to act on.</param>
/// <param name="Expected">The sequence number expected next (−1 when the feed has none).</param>
/// <param name="Received">The sequence number that arrived instead (−1 when none did).</param>
/// <param name="Fatal">The feed cannot resynchronise by itself (a refused subscription): the lane stands down.</param>
public sealed record FeedGap(string Source, string Symbol, long Ts, string Reason, long Expected = -1, long Received = -1, bool Fatal = false);
