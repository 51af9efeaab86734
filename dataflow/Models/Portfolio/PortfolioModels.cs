using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>Builds the policy's portfolio construction model.</summary>
public static class PortfolioModels
{
    /// <summary>The cross-sectional model of the policy's method, or null for the per-forecast Kelly rule.</summary>
    public static IPortfolioConstructionModel? For(TradingPolicy policy)
    {
        var settings = policy.PortfolioOrDefault;
        var cap = policy.StrategyOrDefault.MaxWeight;
        return settings.Method switch
        {
            PortfolioMethods.KellyTempered => null,
            PortfolioMethods.RobustMvo => new RobustMeanVarianceModel(settings, cap),
            PortfolioMethods.Hrp => new HierarchicalRiskParityModel(settings),
            PortfolioMethods.Erc => new EqualRiskContributionModel(settings),
            PortfolioMethods.MeanCvar => new MeanCvarModel(settings, cap),
            _ => throw new ArgumentException($"unknown portfolio method '{settings.Method}' (expected one of {string.Join(", ", PortfolioMethods.All)})"),
        };
    }
}
