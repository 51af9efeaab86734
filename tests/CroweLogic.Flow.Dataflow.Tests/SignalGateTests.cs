using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>The §6.1 gate on the Appendix A policy (θ = 0.58, σ ≤ 0.03, horizons 1d and 5d).</summary>
public class SignalGateTests
{
    private static readonly TradingPolicy Policy = TestPolicies.AppendixA;

    private static Signal Make(double mu, double sigma, double p, string horizon = "1d", string policy = "cs_mom_v1") => new("AAPL", 1, horizon, mu, sigma, p, policy);

    [Theory]
    [InlineData(0.002, 0.02, 0.62, true, TradeDirection.Long)]
    [InlineData(-0.002, 0.02, 0.30, true, TradeDirection.Short)]
    [InlineData(0.002, 0.03, 0.59, true, TradeDirection.Long)] // sigma at the limit passes (<=)
    [InlineData(0.002, 0.02, 0.58, true, null)] // p at the threshold does not (strictly greater)
    [InlineData(-0.002, 0.02, 0.42, true, null)] // 1 - p = 0.58, not above
    [InlineData(0.002, 0.031, 0.70, true, null)] // too uncertain
    [InlineData(-0.002, 0.02, 0.70, true, null)] // mu and p disagree
    [InlineData(0.002, 0.02, 0.70, false, null)] // regime says no
    public void Gate_outcomes_follow_the_policy(double mu, double sigma, double p, bool regime, TradeDirection? expected)
    {
        var decision = new SignalGate(Policy).Evaluate(Make(mu, sigma, p), regime);
        Assert.Equal(expected, decision.Direction);
        Assert.Equal(expected is not null, decision.Passed);
        Assert.Equal(6, decision.Checks.Count); // every check is recorded, passed or not
        Assert.Equal(decision.Passed, decision.Checks.All(c => c.StartsWith("pass: ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_rejection_lists_every_failed_check()
    {
        var decision = new SignalGate(Policy).Evaluate(Make(0.001, 0.05, 0.9, horizon: "30m", policy: "other_v2"), regimeAllows: false);
        var failed = decision.Checks.Where(c => c.StartsWith("fail: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "fail: signal policy other_v2 is the lane's policy cs_mom_v1",
            "fail: horizon 30m is one of 1d, 5d",
            "fail: regime and risk state allow new risk",
            "fail: sigma 0.05 <= 0.03",
        ], failed);
        Assert.Contains("pass: P(r > 0) 0.9 > 0.58 with mu 0.001 > 0", decision.Checks);
    }

    [Theory]
    [InlineData(double.NaN, 0.01, 0.7)]
    [InlineData(0.001, -0.01, 0.7)]
    [InlineData(0.001, 0.01, 1.2)]
    [InlineData(0.001, double.PositiveInfinity, 0.7)]
    public void Malformed_forecasts_never_pass(double mu, double sigma, double p)
    {
        var decision = new SignalGate(Policy).Evaluate(Make(mu, sigma, p), regimeAllows: true);
        Assert.False(decision.Passed);
        Assert.StartsWith("fail: forecast is well-formed", decision.Checks[0]);
    }
}
