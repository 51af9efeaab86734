using CroweLogic.Flow.Gateways.Execution;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>The routing model, by CP-SAT and by subset enumeration, against exhaustive enumeration of every allocation on small instances.</summary>
public class SmartOrderRouterTests
{
    [Theory]
    [InlineData(RoutingMethod.CpSat)]
    [InlineData(RoutingMethod.Subsets)]
    public void The_router_finds_the_enumerated_optimum(RoutingMethod method) =>
        Prop.ForAll(Arb.From(Gen.Choose(1, 1_000_000)), seed =>
        {
            var rnd = new Random(seed);
            var venues = RandomVenues(rnd, rnd.Next(2, 5), 8);
            var settings = new RouterSettings(LotSize: 100, MinLots: rnd.Next(1, 3), MaxVenues: rnd.Next(1, 3), MissCostBps: 2 + rnd.NextDouble() * 10);
            var quantity = rnd.Next(1, 12) * 100L;
            var plan = SmartOrderRouter.Route(quantity, venues, settings, method: method);
            var best = Enumerate(venues, quantity / 100, settings).Min();
            var chosen = SmartOrderRouter.Cost(venues, plan.Allocations.Select(a => (venues.FindIndex(v => v.Venue == a.Venue), a.Quantity / 100)), quantity / 100, settings);
            // CP-SAT works on costs rounded to 0.001 bps-lots: allow that rounding per lot and venue.
            return (plan.Optimal && Math.Abs(chosen - best) <= 0.001 * (quantity / 100 + venues.Count) && plan.Allocations.Sum(a => a.Quantity) + plan.Unrouted == quantity)
                .Label($"router {chosen} vs enumerated {best}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    [Fact]
    public void Subset_enumeration_and_CP_SAT_agree_on_more_venues_than_enumerating_allocations_can_check() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, 1_000_000)), seed =>
        {
            var rnd = new Random(seed);
            var venues = RandomVenues(rnd, rnd.Next(5, 10), 30);
            var settings = new RouterSettings(LotSize: 100, MinLots: rnd.Next(1, 5), MaxVenues: rnd.Next(1, 6), MissCostBps: 2 + rnd.NextDouble() * 10);
            var quantity = rnd.Next(1, 80) * 100L;
            var exact = SmartOrderRouter.Route(quantity, venues, settings, method: RoutingMethod.Subsets);
            var cpSat = SmartOrderRouter.Route(quantity, venues, settings, method: RoutingMethod.CpSat);
            // CP-SAT works on costs rounded to 0.001 bps-lots.
            return (cpSat.Optimal && Math.Abs(exact.ExpectedCostBps - cpSat.ExpectedCostBps) <= 0.001 * (quantity / 100 + venues.Count)
                    && exact.Allocations.Count <= settings.MaxVenues && exact.Allocations.All(a => a.Quantity >= settings.MinLots * 100))
                .Label($"subsets {exact.ExpectedCostBps} vs CP-SAT {cpSat.ExpectedCostBps}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    [Fact]
    public void Minimum_children_and_the_venue_limit_beat_greedy_ranking()
    {
        // Cheapest per lot (A) shows only 1 lot but the minimum child is 2 lots: greedy by cost would pick A first.
        var venues = new List<VenueScorecard>
        {
            new("A", 100, -2, 1.0, 100, 0),
            new("B", 500, 1, 1.0, 100, 0),
            new("C", 500, 1.5, 1.0, 100, 0),
        };
        foreach (var method in new[] { RoutingMethod.CpSat, RoutingMethod.Subsets })
        {
            var plan = SmartOrderRouter.Route(500, venues, new RouterSettings(LotSize: 100, MinLots: 2, MaxVenues: 1, MissCostBps: 10), method: method);
            Assert.Equal([("B", 500L)], plan.Allocations);
            Assert.Equal(500, plan.ExpectedFilled, 9);
        }
    }

    [Fact]
    public void Scorecards_learn_fill_rates_and_bad_input_is_refused()
    {
        var cards = new VenueScorecards(halfLife: 5);
        for (var i = 0; i < 40; i++) cards.Record("X", 100, 20, 500, 1.5);
        var card = cards.Scorecard("X", 300, 0.3);
        Assert.Equal(0.2, card.FillProbability, 2);
        Assert.Equal((500.0, 40), (card.LatencyMicros, cards.Observations("X")));
        Assert.Equal(1.5 * (1 - Math.Pow(0.5, 40 / 5.0)), card.MarkoutBps, 12); // EWMA from a zero prior
        Assert.Equal(0.5, cards.Scorecard("new", 100, 0).FillProbability);
        Assert.Throws<ArgumentException>(() => cards.Record("X", 100, 200, 1, 1));
        Assert.Contains("fill probability", Assert.Throws<ArgumentException>(() => SmartOrderRouter.Route(100, [new VenueScorecard("Z", 100, 0, 1.5, 1, 0)], new RouterSettings())).Message);
    }

    // Venues showing 0 to maxLots - 1 lots, fees -2..4 bps, any fill probability, 50 µs-3 ms, markouts 0-4 bps.
    private static List<VenueScorecard> RandomVenues(Random rnd, int count, int maxLots) =>
        Enumerable.Range(0, count).Select(i => new VenueScorecard($"V{i}", rnd.Next(0, maxLots) * 100, rnd.NextDouble() * 6 - 2,
            rnd.NextDouble(), rnd.Next(50, 3_000), rnd.NextDouble() * 4)).ToList();

    private static IEnumerable<double> Enumerate(List<VenueScorecard> venues, long totalLots, RouterSettings s)
    {
        var caps = venues.Select(v => Math.Min(totalLots, (long)Math.Floor(v.Displayed * s.DisplayedMultiple / s.LotSize))).ToArray();
        var current = new long[venues.Count];
        IEnumerable<double> Walk(int v, long left)
        {
            if (v == venues.Count)
            {
                if (current.Count(n => n > 0) <= s.MaxVenues && current.All(n => n == 0 || n >= s.MinLots))
                    yield return SmartOrderRouter.Cost(venues, current.Select((n, i) => (i, n)), totalLots, s);
                yield break;
            }
            for (var n = 0L; n <= Math.Min(caps[v], left); n++)
            {
                current[v] = n;
                foreach (var c in Walk(v + 1, left - n)) yield return c;
            }
            current[v] = 0;
        }
        return Walk(0, totalLots).ToList();
    }
}
