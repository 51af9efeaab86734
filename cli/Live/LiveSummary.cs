using System.Globalization;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Host.Live;

namespace CroweLogic.Flow.Cli.Live;

/// <summary>What a live session prints when it stops (flow live, and a live lane inside flow up).</summary>
internal static class LiveSummary
{
    /// <summary>Prints <see cref="Lines"/>; the exit code is a failure when orders are still working at the venue (named on stderr, after <paramref name="lane"/>).</summary>
    public static int Print(LiveSessionResult result, string lane)
    {
        foreach (var line in Lines(result)) Console.WriteLine(line);
        if (result.WorkingAtVenue is not > 0) return 0;
        Console.Error.WriteLine($"flow: error: {lane}{result.WorkingAtVenue} orders are still working at the venue after the stop: cancel them there");
        return CliErrors.Failure;
    }

    /// <summary>The feed's log, the stopped line (counts, latencies, PnL, gaps, orders left working) and any quarantine counts.</summary>
    public static IEnumerable<string> Lines(LiveSessionResult result)
    {
        foreach (var line in result.FeedLog) yield return $"feed: {line}";
        var p50 = LatencySamples.Nearest(result.TickToOrderNanos, 0.5) / 1e6;
        var p99 = LatencySamples.Nearest(result.TickToOrderNanos, 0.99) / 1e6;
        yield return string.Create(CultureInfo.InvariantCulture,
            $"stopped: {result.Lane.Events:N0} events, {result.Final.Orders:N0} orders, {result.Final.Fills:N0} fills, tick-to-order p50 {p50:0.###} ms p99 {p99:0.###} ms, freshness p50 {result.Final.FreshnessP50Ms:0.###} ms p99 {result.Final.FreshnessP99Ms:0.###} ms, pnl {result.Final.Pnl:+0.00;-0.00;0.00}, feed gaps {result.Final.Gaps}, working orders left at the venue: {(result.WorkingAtVenue is { } w ? w.ToString(CultureInfo.InvariantCulture) : "unknown")}");
        if (result.Lane.Quarantined.Count > 0) yield return $"quarantined: {string.Join(", ", result.Lane.Quarantined.Select(q => $"{q.Key} {q.Value:N0}"))}";
    }
}
