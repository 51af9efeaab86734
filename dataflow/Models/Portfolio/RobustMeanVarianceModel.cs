using System.Globalization;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant.Portfolio;

namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>
/// <c>robust_mvo</c>: maximises μᵀw − ½δ·wᵀΣw − τ‖w − w_prev‖₁ − κ‖w‖₁ (<see cref="MeanVarianceOptimizer.MaxQuadraticUtility"/>)
/// with Σ a shrunk covariance of the lane's return window, each |w| within the strategy's per-name cap, and either a
/// market-neutral long-short budget (Σw = 0) or a long-only fully invested one (Σw = 1).
/// </summary>
public sealed class RobustMeanVarianceModel(PortfolioSettings settings, double cap) : IPortfolioConstructionModel
{
    /// <inheritdoc />
    public string Name => PortfolioMethods.RobustMvo;

    /// <inheritdoc />
    public PortfolioSolution Construct(PortfolioInputs inputs)
    {
        var (sigma, estimate) = ReturnCovariance.Estimate(settings.Covariance, inputs.Returns);
        var optimizer = new MeanVarianceOptimizer(inputs.Mu, sigma, Budget.Constraints(settings, inputs.Count, cap),
            new PortfolioPenalties(WeightL1: settings.L1Penalty, TurnoverL1: settings.TurnoverPenalty, PreviousWeights: inputs.Previous));
        var result = optimizer.MaxQuadraticUtility(settings.RiskAversion);
        return new PortfolioSolution(result.Weights, string.Create(CultureInfo.InvariantCulture,
            $"robust_mvo δ {settings.RiskAversion:G4}, τ {settings.TurnoverPenalty:G4}, κ {settings.L1Penalty:G4}, {Budget.Describe(settings, cap)}, {estimate}: ex-ante σ {result.Volatility:G4} per slice"));
    }
}
