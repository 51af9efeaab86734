using System.Globalization;
using CroweLogic.Flow.Activities.Rollout;

namespace CroweLogic.Flow.Workflows.Rollout;

/// <summary>The hard limits every stage is judged by; any breach rolls the rollout back.</summary>
/// <param name="MaxDrawdown">Largest tolerated peak-to-trough loss within a stage (0.10 = 10 %).</param>
/// <param name="MaxSlippageBps">Largest tolerated slippage against the decision price, bps of traded notional.</param>
/// <param name="MaxPsi">Largest tolerated population stability index of daily returns against the backtest (0.25 = major shift).</param>
/// <param name="MinKsPValue">Smallest tolerated Kolmogorov–Smirnov p-value of the same comparison.</param>
/// <param name="MaxErrorRate">Largest tolerated share of quarantined events.</param>
public sealed record Guardrails(double MaxDrawdown = 0.10, double MaxSlippageBps = 25, double MaxPsi = 0.25, double MinKsPValue = 0.001, double MaxErrorRate = 0.01)
{
    /// <summary>Every breached limit, with the value seen (empty when the stage passed).</summary>
    public IReadOnlyList<string> Breaches(StageReport report)
    {
        var breaches = new List<string>();
        void Add(FormattableString text) => breaches.Add(text.ToString(CultureInfo.InvariantCulture));
        if (-report.MaxDrawdown > MaxDrawdown) Add($"drawdown {-report.MaxDrawdown:P2} > {MaxDrawdown:P2}");
        if (report.SlippageBps > MaxSlippageBps) Add($"slippage {report.SlippageBps:F2} bps > {MaxSlippageBps} bps");
        if (report.Psi is { } psi && psi > MaxPsi) Add($"return drift PSI {psi:F3} > {MaxPsi}");
        if (report.KsPValue is { } ks && ks < MinKsPValue) Add($"return drift KS p {ks:G3} < {MinKsPValue}");
        if (report.ErrorRate > MaxErrorRate) Add($"error rate {report.ErrorRate:P3} > {MaxErrorRate:P3}");
        if (report.Fault is { } fault) Add($"lane fault: {fault}");
        return breaches;
    }
}
