using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>Policies the agent tests run under.</summary>
internal static class TestPolicies
{
    /// <summary>Blueprint Appendix A: θ 0.58, σ ≤ 0.03, horizons 1d and 5d, gross 1.5, net 0.5, intraday drawdown 2 %.</summary>
    public static TradingPolicy AppendixA { get; } = PolicyLoader.Parse(PolicyLoaderTests.AppendixA);
}
