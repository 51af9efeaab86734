using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Blueprint §12 TargetPosition: what portfolio construction wants held.</summary>
/// <param name="Portfolio">Portfolio (sleeve) id.</param>
/// <param name="Instrument">Instrument symbol.</param>
/// <param name="Ts">Decision time, ns UTC.</param>
/// <param name="QtyTarget">Target quantity (negative = short).</param>
/// <param name="MaxChildParticipation">Cap on child-order participation of market volume, 0..1.</param>
/// <param name="RiskBudget">Risk budget allotted to the position.</param>
/// <param name="PolicyId">The policy that decided it.</param>
public sealed record TargetPosition(string Portfolio, string Instrument, long Ts, double QtyTarget, double MaxChildParticipation, double RiskBudget, string PolicyId)
{
    /// <summary>The target position schema and its batch conversion.</summary>
    public static ArrowRecordCodec<TargetPosition> Arrow { get; } = new("target_position",
    [
        Col.Utf8<TargetPosition>("portfolio", r => r.Portfolio),
        Col.Utf8<TargetPosition>("instrument", r => r.Instrument),
        Col.Time<TargetPosition>("ts", r => r.Ts),
        Col.Float64<TargetPosition>("qty_target", r => r.QtyTarget),
        Col.Float64<TargetPosition>("max_child_participation", r => r.MaxChildParticipation),
        Col.Float64<TargetPosition>("risk_budget", r => r.RiskBudget),
        Col.Utf8<TargetPosition>("policy_id", r => r.PolicyId),
    ], r => new TargetPosition(r.Utf8(0), r.Utf8(1), r.Int64(2), r.Float64(3), r.Float64(4), r.Float64(5), r.Utf8(6)));
}
