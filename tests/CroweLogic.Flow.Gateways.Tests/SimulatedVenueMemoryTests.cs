using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>A standing simulated venue's memory is bounded by what rests, not by how much market it has been fed.</summary>
public sealed class SimulatedVenueMemoryTests
{
    [Fact]
    public async Task The_market_s_own_orders_are_forgotten_once_they_end()
    {
        await using var venue = new SimulatedFixVenue(new SimulatedVenueOptions(0));
        venue.List(["ACME", "BETA"]);
        var random = new Random(3);
        var mid = 100.0;
        (int Orders, int Background) after1k = default;
        for (var i = 0; i < 20_000; i++)
        {
            // The touch moves a tick about every third quote and its sizes change every quote: each quote replaces,
            // withdraws or places the market's orders, and some of them trade.
            mid += random.Next(3) switch { 0 => -0.01, 1 => 0.01, _ => 0 };
            venue.Quote(i % 2 == 0 ? "ACME" : "BETA", Math.Round(mid - 0.01, 2), random.Next(1, 50) * 100, Math.Round(mid + 0.01, 2), random.Next(1, 50) * 100);
            if (i % 7 == 0) venue.Trade(i % 2 == 0 ? "ACME" : "BETA", Math.Round(mid + 0.01, 2), 100);
            if (i == 1_000) after1k = venue.Held;
        }
        var held = venue.Held;
        // Two instruments, one order per side each, plus what a print or a withdrawal has in flight.
        Assert.True(held.Orders <= 8, $"the exchange holds {held.Orders} order states after 20 000 quotes ({after1k.Orders} after 1 000)");
        Assert.True(held.Background <= 16, $"the market tracks {held.Background} ids after 20 000 quotes ({after1k.Background} after 1 000)");
        Assert.True(venue.Quotes == 20_000);
    }
}
