namespace CroweLogic.Flow.Activities.Rollout;

/// <summary>What a rollout stage showed: the KPIs its guardrails judge. Statistics the stage cannot define are null.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="CapitalFraction">Capital it ran with.</param>
/// <param name="Sessions">Sessions inside the stage window.</param>
/// <param name="TotalReturn">Compounded return over the stage.</param>
/// <param name="MaxDrawdown">Worst peak-to-trough of the stage's equity (≤ 0).</param>
/// <param name="SlippageBps">Slippage against the decision price, bps of traded notional.</param>
/// <param name="Psi">Population stability index of the stage's daily returns against the backtest's.</param>
/// <param name="KsPValue">Two-sample Kolmogorov–Smirnov p-value of the same comparison.</param>
/// <param name="ErrorRate">Quarantined events per event (data-integrity errors).</param>
/// <param name="Events">Events the lane processed (warm-up included).</param>
/// <param name="Orders">Orders the lane sent (shadow: not routed).</param>
/// <param name="Fault">Why the lane stood down or was killed, if it did.</param>
public sealed record StageReport(
    string Stage, double CapitalFraction, int Sessions, double TotalReturn, double MaxDrawdown, double SlippageBps, double? Psi, double? KsPValue,
    double ErrorRate, long Events, long Orders, string? Fault);
