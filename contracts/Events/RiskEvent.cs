using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>A risk guard, overlay or health agent's finding: limit breach, stand-down, kill switch, data-integrity failure.</summary>
/// <param name="EventId">Unique id.</param>
/// <param name="Ts">Time raised, ns UTC.</param>
/// <param name="Source">Agent that raised it.</param>
/// <param name="Severity">How serious.</param>
/// <param name="Kind">Machine-readable kind, e.g. dd_intraday, gross_limit, data_gap, kill_switch.</param>
/// <param name="Instrument">Instrument concerned, empty for portfolio-wide events.</param>
/// <param name="PolicyId">Policy in force.</param>
/// <param name="Value">Observed value, when the event is a threshold crossing.</param>
/// <param name="Limit">The limit crossed.</param>
/// <param name="Message">Human-readable explanation.</param>
public sealed record RiskEvent(string EventId, long Ts, string Source, RiskSeverity Severity, string Kind, string Instrument, string PolicyId, double? Value, double? Limit, string Message)
{
    /// <summary>The risk event schema and its batch conversion.</summary>
    public static ArrowRecordCodec<RiskEvent> Arrow { get; } = new("risk_event",
    [
        Col.Utf8<RiskEvent>("event_id", r => r.EventId),
        Col.Time<RiskEvent>("ts", r => r.Ts),
        Col.Utf8<RiskEvent>("source", r => r.Source),
        Col.Enum<RiskEvent, RiskSeverity>("severity", r => r.Severity),
        Col.Utf8<RiskEvent>("kind", r => r.Kind),
        Col.Utf8<RiskEvent>("instrument", r => r.Instrument),
        Col.Utf8<RiskEvent>("policy_id", r => r.PolicyId),
        Col.Float64<RiskEvent>("value", r => r.Value),
        Col.Float64<RiskEvent>("limit", r => r.Limit),
        Col.Utf8<RiskEvent>("message", r => r.Message),
    ], r => new RiskEvent(r.Utf8(0), r.Int64(1), r.Utf8(2), r.Enum<RiskSeverity>(3), r.Utf8(4), r.Utf8(5), r.Utf8(6), r.Float64OrNull(7), r.Float64OrNull(8), r.Utf8(9)));
}
