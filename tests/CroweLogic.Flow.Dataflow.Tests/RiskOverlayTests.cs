using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Contracts.Policy;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>Each overlay firing, on the Appendix A limits (gross 1.5, net 0.5, intraday drawdown 2 %).</summary>
public class RiskOverlayTests
{
    private static readonly TradingPolicy Policy = TestPolicies.AppendixA;

    private static readonly Dictionary<string, double> Book = new() { ["A"] = 0.4, ["B"] = -0.3, ["C"] = 0.2 };

    [Fact]
    public void An_intraday_drawdown_breach_flattens_until_the_next_session()
    {
        var overlays = new RiskOverlays(Policy, new SimulatedClock(7));
        Assert.Equal(Book, overlays.Apply(Book, 100, 0.1, 0.1).Weights);
        Assert.Empty(overlays.Apply(Book, 101, 0.1, 0.1).Events); // new peak
        Assert.Equal(Book, overlays.Apply(Book, 99, 0.1, 0.1).Weights); // 1.98 % down: still inside
        var breach = overlays.Apply(Book, 98.9, 0.1, 0.1);
        Assert.All(breach.Weights.Values, w => Assert.Equal(0, w));
        var e = Assert.Single(breach.Events);
        Assert.Equal(("dd_intraday", Contracts.Events.RiskSeverity.Critical, "risk_overlays:dd_intraday:7"), (e.Kind, e.Severity, e.EventId));
        Assert.Equal((101 - 98.9) / 101, e.Value!.Value, 12);
        Assert.Equal(0.02, e.Limit);
        // Recovering equity does not re-open the book, and the breach is not reported twice.
        var later = overlays.Apply(Book, 102, 0.1, 0.1);
        Assert.All(later.Weights.Values, w => Assert.Equal(0, w));
        Assert.Empty(later.Events);
        overlays.StartSession();
        Assert.Equal(Book, overlays.Apply(Book, 102, 0.1, 0.1).Weights);
    }

    [Fact]
    public void Volatility_targeting_scales_by_target_over_forecast_with_a_floor()
    {
        var overlays = new RiskOverlays(Policy, new SimulatedClock(0));
        var halved = overlays.Apply(Book, 100, 0.2, 0.1);
        foreach (var (k, w) in Book) Assert.Equal(w * 0.5, halved.Weights[k], 12);
        Assert.Equal("vol_target", Assert.Single(halved.Events).Kind);
        // A zero forecast hits the floor, then the caps bound the result.
        var capped = overlays.Apply(Book, 100, 0, 0.1);
        Assert.True(capped.Weights.Values.Sum(Math.Abs) <= 1.5 + 1e-12);
        Assert.Contains(capped.Events, x => x.Kind == "gross_limit");
        // The floor is the policy's risk.vol_floor: σ* / max(σ̂, floor), with a book small enough that no cap binds.
        var floored = new RiskOverlays(Policy with { Risk = Policy.Risk with { VolFloor = 0.01 } }, new SimulatedClock(0));
        Assert.Equal(0.005 / 0.01, floored.Factor(0.1, 0.02, 1e-6, 0.005), 1e-15);
        Assert.Equal(0.005 / 1e-4, overlays.Factor(1e-3, 1e-4, 1e-6, 0.005), 1e-9);
    }

    [Fact]
    public void Gross_and_net_caps_scale_the_book_and_keep_its_proportions()
    {
        var overlays = new RiskOverlays(Policy, new SimulatedClock(0));
        var gross = overlays.Apply(new Dictionary<string, double> { ["A"] = 1, ["B"] = -1, ["C"] = 0.5 }, 100, 0.1, 0.1);
        Assert.Equal([0.6, -0.6, 0.3], gross.Weights.Values.Select(w => Math.Round(w, 12)));
        Assert.Equal("gross_limit", Assert.Single(gross.Events).Kind);
        var net = overlays.Apply(new Dictionary<string, double> { ["A"] = 1, ["B"] = 0.2 }, 100, 0.1, 0.1);
        Assert.Equal(0.5, net.Weights.Values.Sum(), 12);
        Assert.Equal(5.0, net.Weights["A"] / net.Weights["B"], 12);
        Assert.Equal("net_limit", Assert.Single(net.Events).Kind);
    }

    [Fact]
    public void Any_book_comes_out_within_both_caps()
    {
        Prop.ForAll(Arb.From(Gen.Choose(-300, 300).Select(x => x / 100.0).ArrayOf().Where(a => a.Length > 0).SelectMany(w => Gen.Choose(1, 100).Select(v => (w, v / 100.0)))), input =>
        {
            var (weights, vol) = input;
            var book = weights.Select((w, i) => (w, i)).ToDictionary(x => $"S{x.i}", x => x.w);
            var result = new RiskOverlays(Policy, new SimulatedClock(0)).Apply(book, 100, vol, 0.1);
            Assert.True(result.Weights.Values.Sum(Math.Abs) <= 1.5 + 1e-9);
            Assert.True(Math.Abs(result.Weights.Values.Sum()) <= 0.5 + 1e-9);
            var factor = 0.1 / Math.Max(vol, 1e-4);
            foreach (var (k, w) in book)
            {
                // One common factor, never above vol targeting's.
                Assert.True(Math.Abs(result.Weights[k]) <= Math.Abs(w * factor) + 1e-12);
                if (w != 0 && result.Weights[k] != 0) Assert.Equal(Math.Sign(w), Math.Sign(result.Weights[k]));
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}
