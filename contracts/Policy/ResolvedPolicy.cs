using CroweLogic.Flow.Contracts.Registry;

namespace CroweLogic.Flow.Contracts.Policy;

/// <summary>
/// A policy with every default filled in, as canonical JSON: what a signed artifact records beside its YAML, so an engine
/// whose defaults differ from the one that signed it cannot run the model with another behaviour unnoticed.
/// </summary>
public static class ResolvedPolicy
{
    /// <summary>The canonical text of <paramref name="policy"/> (every section, defaults included).</summary>
    public static string Of(TradingPolicy policy) => System.Text.Encoding.UTF8.GetString(CanonicalJson.Encode(policy with
    {
        Strategy = policy.StrategyOrDefault, Compliance = policy.ComplianceOrDefault, Costs = policy.CostsOrDefault,
        Portfolio = policy.PortfolioOrDefault, Regime = policy.RegimeOrDefault,
    }));
}
