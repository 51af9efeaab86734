using System.Globalization;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant.Data;
using CroweLogic.Flow.Quant.Portfolio;

namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>
/// <c>mean_cvar</c>: maximum μᵀw with the historical CVaR_β of one slice's return at most the policy's limit
/// (<see cref="MeanCvarOptimizer.EfficientRisk"/>, a linear program), the window's slices as scenarios (a name's missing
/// return counts as zero, the shrinkage estimators' convention), under the same box and budget as robust_mvo.
/// </summary>
public sealed class MeanCvarModel(PortfolioSettings settings, double cap) : IPortfolioConstructionModel
{
    /// <inheritdoc />
    public string Name => PortfolioMethods.MeanCvar;

    /// <inheritdoc />
    public PortfolioSolution Construct(PortfolioInputs inputs)
    {
        var optimizer = new MeanCvarOptimizer(inputs.Mu, Scenarios(inputs.Returns), settings.CvarBeta, Budget.Constraints(settings, inputs.Count, cap));
        var result = optimizer.EfficientRisk(settings.CvarLimit);
        return new PortfolioSolution(result.Weights, string.Create(CultureInfo.InvariantCulture,
            $"mean_cvar CVaR{settings.CvarBeta:0.##} ≤ {settings.CvarLimit:G4} per slice over {inputs.Returns.RowCount} scenarios, {Budget.Describe(settings, cap)}: CVaR {result.Cvar:G4}"));
    }

    /// <summary>The return window with missing returns as zero: the CVaR program needs complete scenarios.</summary>
    public static Panel Scenarios(Panel returns) =>
        new(returns.Columns, [.. Enumerable.Range(0, returns.RowCount).Select(t => Enumerable.Range(0, returns.ColumnCount).Select(i => double.IsNaN(returns[t, i]) ? 0 : returns[t, i]).ToArray())]);
}
