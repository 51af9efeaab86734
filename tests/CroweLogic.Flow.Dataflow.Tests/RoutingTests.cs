using System.Globalization;
using Apache.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Gateways.Execution;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>The lane trading through the smart order router across several simulated exchanges (<c>--venue a,b</c>).</summary>
public class RoutingTests
{
    private static async Task<(LaneGraph Lane, LaneRecorder Sink)> Run(RecordBatch ticks, string venue)
    {
        var (lane, sink, _) = await VenueTests.Run(ticks, VenueSpec.Parse(venue), 4096);
        return (lane, sink);
    }

    private static SmartOrderRoutingClient Router(LaneGraph lane) => (SmartOrderRoutingClient)((AlgorithmicExecutionClient)lane.Venue.Client).Inner;

    private static Dictionary<string, double> Signed(IEnumerable<ExecutionReport> fills) =>
        fills.GroupBy(f => f.Instrument).ToDictionary(g => g.Key, g => g.Sum(f => f.SignedLastQty));

    [Fact]
    public async Task The_router_splits_orders_by_scorecards_and_every_slice_adds_up_to_its_order_and_position()
    {
        var ticks = LanePropertyTests.Ticks(4000, 11);
        var (lane, sink) = await Run(ticks, "sim?name=FAST,sim?name=SLOW&latency_ms=5&fee_bps=4");
        var router = Router(lane);

        var slices = sink.ChildOrders.Where(c => c.OrderId.Contains('~')).ToList();
        var children = sink.ChildOrders.Where(c => !c.OrderId.Contains('~')).ToDictionary(c => c.OrderId);
        Assert.True(slices.Count > 20, $"the algorithm's children should be routed in slices, got {slices.Count}");
        Assert.All(slices, s => Assert.True(children.ContainsKey(s.ParentOrderId), $"slice {s.OrderId} names {s.ParentOrderId}, which is no child"));
        Assert.All(slices, s => Assert.Equal(s.OrderId, $"{s.ParentOrderId}~{s.Venue}"));
        // Each routed child's fills are exactly its slices' fills, and its slices never exceed it.
        var fills = sink.Reports.Where(r => r.IsFill).ToList();
        foreach (var (id, child) in children)
        {
            var its = slices.Where(s => s.ParentOrderId == id).ToList();
            Assert.Equal(child.Quantity, its.Sum(s => s.Quantity), 9);
            Assert.Equal(fills.Where(f => its.Any(s => s.OrderId == f.OrderId)).Sum(f => f.LastQty), fills.Where(f => f.OrderId == id).Sum(f => f.LastQty), 9);
        }
        // The lane's positions are what the venues filled, counted once.
        var parents = sink.Orders.Select(o => o.OrderId).ToHashSet();
        Assert.Equal(Signed(fills.Where(f => slices.Any(s => s.OrderId == f.OrderId))).OrderBy(kv => kv.Key), Signed(fills.Where(f => parents.Contains(f.OrderId))).OrderBy(kv => kv.Key));
        Assert.Equal(fills.Count, fills.Select(f => f.ExecId).Distinct().Count());
        Assert.DoesNotContain(sink.RiskEvents, r => r.Kind is "unreconciled" or "agent_fault" or "stand_down" or "stale_report" or "duplicate_report");
        Assert.Equal(0, lane.Orders.Working);

        // The slow, dear venue gets less; its scorecard has learned its 5 ms (the simulated exchange acknowledges at send + latency), the fast one's none.
        Assert.True(router.SentByVenue.GetValueOrDefault("FAST") > router.SentByVenue.GetValueOrDefault("SLOW"),
            $"sent FAST {router.SentByVenue.GetValueOrDefault("FAST")}, SLOW {router.SentByVenue.GetValueOrDefault("SLOW")}");
        // Latency runs from the router's clock (the last row or step it saw), which the lane's own order delay can put a little past the order's decision time.
        if (router.Scorecards.Observations("SLOW") > 0) Assert.InRange(router.Scorecards.Scorecard("SLOW", 0, 0).LatencyMicros, 4_900, 5_100);
        Assert.InRange(router.Scorecards.Scorecard("FAST", 0, 0).LatencyMicros, 0, 100);
        Assert.True(router.Scorecards.Observations("FAST") >= slices.Count(s => s.Venue == "FAST"));
        Assert.Contains(sink.Reports, r => r.Text.StartsWith("routed ", StringComparison.Ordinal) && r.Text.Contains("scorecards FAST fill", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_venue_the_router_never_chooses_leaves_the_fills_of_the_other_venue_alone()
    {
        // Whatever the scorecards learn, a 1000 bps fee makes DEAR dearer per lot than CHEAP: everything goes to CHEAP,
        // and the lane's orders fill exactly as they do with CHEAP alone.
        var ticks = LanePropertyTests.Ticks(4000, 11);
        var (_, one) = await Run(ticks, "sim?name=CHEAP");
        var (routedLane, routed) = await Run(ticks, "sim?name=CHEAP,sim?name=DEAR&fee_bps=1000");
        Assert.Equal(0, Router(routedLane).SentByVenue.GetValueOrDefault("DEAR"));
        static string Fills(LaneRecorder sink)
        {
            var parents = sink.Orders.Select(o => o.OrderId).ToHashSet();
            return string.Join("\n", sink.Reports.Where(r => r.IsFill && parents.Contains(r.OrderId)).Select(r =>
                string.Create(CultureInfo.InvariantCulture, $"{r.OrderId} {r.Ts} {r.LastQty:R} {r.LastPrice:R} {r.CumQty:R} {r.Fee:R} {r.Liquidity}")));
        }
        Assert.Contains(one.Reports, r => r.IsFill);
        Assert.Equal(string.Join("\n", one.Orders.Select(o => $"{o.OrderId} {o.Ts} {o.Quantity}")), string.Join("\n", routed.Orders.Select(o => $"{o.OrderId} {o.Ts} {o.Quantity}")));
        Assert.Equal(Fills(one), Fills(routed));
        Assert.Equal(one.Pnl.Select(p => (p.Instrument, p.Realized, p.Fees)), routed.Pnl.Select(p => (p.Instrument, p.Realized, p.Fees)));
    }

    [Theory]
    [InlineData("sim,sim", "two venues are named SIM; give each its own with ?name=")]
    [InlineData("sim,,replay", "an empty venue between commas")]
    [InlineData("replay?latency_ms=3", "latency_ms models the in-process simulated exchange")]
    [InlineData("sim?fee_bps=cheap", "fee_bps must be a number in [-100, 1000], got 'cheap'")]
    [InlineData("sim?sender=X", "unknown option 'sender' (name, fee_bps, latency_ms)")]
    public void A_bad_routed_venue_is_named(string text, string expected) => Assert.Contains(expected, Assert.Throws<FormatException>(() => VenueSpec.Parse(text)).Message);

    [Fact]
    public void Routed_venues_parse_with_their_options()
    {
        var spec = VenueSpec.Parse("sim?name=A&latency_ms=2.5, fix://127.0.0.1:9878?target=QFX&fee_bps=0.3");
        Assert.Equal(VenueKind.Routed, spec.Kind);
        Assert.Equal(["A", "QFX"], spec.Members.Select(m => m.DisplayName));
        Assert.Equal(2.5, spec.Members[0].LatencyMs);
        Assert.Equal(0.3, spec.Members[1].FeeBps);
        Assert.Equal("sim?name=A,fix://127.0.0.1:9878", spec.ToString());
    }
}
