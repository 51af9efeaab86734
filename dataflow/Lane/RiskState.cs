namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>The regime agent's verdict from feature row <paramref name="At"/> on.</summary>
/// <param name="At">Insertion point among the message's feature rows.</param>
/// <param name="Ts">Event time.</param>
/// <param name="Budget">Risk budget multiplier in [0, 1] applied to target weights.</param>
/// <param name="AllowsNewRisk">False while the regime forbids opening risk.</param>
/// <param name="StandDown">True when the lane must also flatten (a volatility spike beyond the policy's limit).</param>
/// <param name="Reason">Why.</param>
public readonly record struct RiskState(int At, long Ts, double Budget, bool AllowsNewRisk, bool StandDown, string Reason)
{
    /// <summary>True when the regime raises the kill switch (the crash sentinel at ζ_kill): flat until an operator resumes.</summary>
    public bool Kill { get; init; }

    /// <summary>Full budget, risk allowed.</summary>
    public static RiskState Normal(int at, long ts, string reason) => new(at, ts, 1, true, false, reason);
}
