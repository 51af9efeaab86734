using System.Globalization;
using System.Text.RegularExpressions;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>
/// §9.3's uncertainty-aware execution through the whole tick lane: each order's forecast certainty |μ|/σ (on its
/// reasons) puts it on the right side of the policy's thresholds — below <c>passive_below_z</c> a day limit resting at
/// the near touch, at or above <c>aggressive_above_z</c> a marketable IOC even under a TWAP policy, between them as the
/// algorithm decides — and a TWAP parent of an uncertain forecast never crosses to catch up before its window ends,
/// where the same feed under plain TWAP does.
/// </summary>
public partial class UncertaintyAwareExecutionTests
{
    /// <summary>The tick lane's test policy with <paramref name="execution"/> as its execution section.</summary>
    private static TradingPolicy With(string execution)
    {
        var text = LanePropertyTests.PolicyText.Replace("  algo: POV\n  participation_cap: 0.1\n  limit_offset_bps: 3", execution, StringComparison.Ordinal);
        Assert.NotEqual(LanePropertyTests.PolicyText, text);
        return PolicyLoader.Parse(text);
    }

    private static async Task<LaneRecorder> Run(TradingPolicy policy)
    {
        var sink = new LaneRecorder();
        var lane = new LaneGraph(policy, new LaneOptions(MarketShape.Ticks, new SimulatedClock()) { CleanAlign = CleanAlignSettings.Replay, Execution = names => ExecutionVenues.Replay(policy, true, names) }, sink);
        var ticks = LanePropertyTests.Ticks(20_000, 11);
        async IAsyncEnumerable<LaneMessage> Feed()
        {
            for (var start = 0; start < ticks.Length; start += 500)
            {
                yield return new LaneMessage(new MarketBatch(MarketShape.Ticks, ticks.Slice(start, Math.Min(500, ticks.Length - start)), start));
                await Task.Yield();
            }
        }
        await lane.RunAsync(Feed());
        return sink;
    }

    [Fact]
    public async Task Each_order_meets_the_book_as_its_forecasts_certainty_says()
    {
        const double passive = 0.2, aggressive = 0.5;
        var policy = With($"  algo: IMMEDIATE\n  participation_cap: 0.1\n  limit_offset_bps: 3\n  passive_below_z: {passive}\n  aggressive_above_z: {aggressive}");
        var sink = await Run(policy);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var order in sink.Orders)
        {
            var note = order.Reasons.SingleOrDefault(r => r.StartsWith("execution: forecast", StringComparison.Ordinal));
            if (note is null)
            {
                // Only a flatten's closing orders go out without a style.
                Assert.Contains(order.Reasons, r => r.StartsWith("overlay:", StringComparison.Ordinal) && r.Contains("→ 0", StringComparison.Ordinal));
                continue;
            }
            var z = double.Parse(Z().Match(note).Groups[1].Value, CultureInfo.InvariantCulture);
            // The note prints six significant digits: a z that close to a threshold cannot be told apart from it here.
            if (Math.Abs(z - passive) < 1e-5 || Math.Abs(z - aggressive) < 1e-5) continue;
            var kind = z < passive ? "passive" : z >= aggressive ? "aggressive" : "between";
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            Assert.Equal(OrderType.Limit, order.Type);
            Assert.Equal(kind == "passive" ? TimeInForce.Day : TimeInForce.Ioc, order.TimeInForce);
            Assert.Contains(kind switch { "passive" => "passive at the near touch", "aggressive" => "crosses now", _ => "as IMMEDIATE decides" }, note, StringComparison.Ordinal);
        }
        Assert.True(counts.Count == 3, $"orders by style: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}");
    }

    [Fact]
    public async Task An_uncertain_forecasts_parent_never_crosses_before_its_window_ends_and_a_sure_one_is_not_worked()
    {
        const string twap = "  algo: TWAP\n  participation_cap: 0.5\n  limit_offset_bps: 3\n  window_seconds: 30";
        var plain = await Run(With(twap));
        var uncertain = await Run(With(twap + "\n  passive_below_z: 100"));
        var sure = await Run(With(twap + "\n  aggressive_above_z: 0.000001"));

        int EarlyCrossings(LaneRecorder sink)
        {
            var parents = sink.Orders.ToDictionary(o => o.OrderId);
            return sink.ChildOrders.Count(c => c.TimeInForce == TimeInForce.Ioc && parents.TryGetValue(c.ParentOrderId, out var p) && c.Ts < p.Ts + 30_000_000_000L
                && !p.Reasons.Any(r => r.StartsWith("overlay:", StringComparison.Ordinal) && r.Contains("→ 0", StringComparison.Ordinal)));
        }
        Assert.True(plain.ChildOrders.Count > 0 && EarlyCrossings(plain) > 0, $"plain TWAP: {plain.ChildOrders.Count} children, {EarlyCrossings(plain)} early crossings: the feed must make it catch up");
        Assert.True(uncertain.ChildOrders.Count > 0, "no children under the passive policy");
        Assert.Equal(0, EarlyCrossings(uncertain));
        // Every order sure enough crosses as the router built it, with no children; only a forecast without an edge
        // (μ = 0: the gate closed and the book unwinds) is still worked by TWAP.
        var worked = sure.ChildOrders.Select(c => c.ParentOrderId).ToHashSet(StringComparer.Ordinal);
        var crossed = 0;
        foreach (var order in sure.Orders)
        {
            if (order.Reasons.SingleOrDefault(r => r.StartsWith("execution: forecast", StringComparison.Ordinal)) is not { } note) continue;
            var z = double.Parse(Z().Match(note).Groups[1].Value, CultureInfo.InvariantCulture);
            if (z < 0.000001)
            {
                Assert.Equal(0, z);
                continue;
            }
            crossed++;
            Assert.False(worked.Contains(order.OrderId), $"{order.OrderId} (|μ|/σ {z}) was worked by TWAP");
            Assert.Equal(TimeInForce.Ioc, order.TimeInForce);
        }
        Assert.True(crossed > 0, "no order was sure enough to cross");
    }

    [GeneratedRegex(@"\|μ\|/σ ([0-9.E+-]+)")]
    private static partial Regex Z();
}
