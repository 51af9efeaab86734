using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant.Portfolio;

namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>
/// <c>erc</c>: equal risk contribution (<see cref="EqualRiskContribution.Weights"/>) over the gated names, each held long
/// in its forecast's direction: ERC of the signed covariance DΣD, then w = D·x, so every position adds the same share of
/// the book's variance. Gross is one before the overlays scale the book; the per-name cap is compliance's.
/// </summary>
public sealed class EqualRiskContributionModel(PortfolioSettings settings) : IPortfolioConstructionModel
{
    /// <inheritdoc />
    public string Name => PortfolioMethods.Erc;

    /// <inheritdoc />
    public PortfolioSolution Construct(PortfolioInputs inputs) =>
        ReturnCovariance.Signed(settings.Covariance, inputs, Name, signed => EqualRiskContribution.Weights(signed));
}
