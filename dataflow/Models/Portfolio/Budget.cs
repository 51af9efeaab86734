using System.Globalization;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant.Portfolio;

namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>The box and budget of the optimisers that take one (robust_mvo, mean_cvar), from <see cref="PortfolioSettings.LongOnly"/> and the per-name cap.</summary>
public static class Budget
{
    /// <summary>Long-only: 0 ≤ w ≤ cap, Σw = 1. Long-short: −cap ≤ w ≤ cap, Σw = 0.</summary>
    public static PortfolioConstraints Constraints(PortfolioSettings settings, int names, double cap) =>
        settings.LongOnly ? PortfolioConstraints.Box(names, 0, cap) : PortfolioConstraints.Box(names, -cap, cap, marketNeutral: true);

    /// <summary>The budget in words, for the orders' reasons.</summary>
    public static string Describe(PortfolioSettings settings, double cap) =>
        (settings.LongOnly ? "long-only Σw = 1, w ≤ " : "market-neutral Σw = 0, |w| ≤ ") + cap.ToString("G4", CultureInfo.InvariantCulture);
}
