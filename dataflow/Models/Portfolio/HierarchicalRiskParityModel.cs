using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant.Portfolio;

namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>
/// <c>hrp</c>: hierarchical risk parity (<see cref="HierarchicalRiskParity.Allocate"/>) over the gated names, each held
/// long in its forecast's direction: HRP of the signed covariance DΣD, then w = D·x. A long-only sleeve (every forecast
/// up) is plain HRP. Gross is one before the overlays scale the book; the per-name cap is compliance's.
/// </summary>
public sealed class HierarchicalRiskParityModel(PortfolioSettings settings) : IPortfolioConstructionModel
{
    /// <inheritdoc />
    public string Name => PortfolioMethods.Hrp;

    /// <inheritdoc />
    public PortfolioSolution Construct(PortfolioInputs inputs) =>
        ReturnCovariance.Signed(settings.Covariance, inputs, Name, signed => HierarchicalRiskParity.Allocate(signed, HierarchicalRiskParity.ToCorrelation(signed)).Weights);
}
