using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Blueprint §12 Signal: a probabilistic return forecast from a signed model.</summary>
/// <param name="Instrument">Instrument symbol.</param>
/// <param name="Ts">Time the forecast was made, ns UTC.</param>
/// <param name="Horizon">Forecast horizon.</param>
/// <param name="Mu">Expected return over the horizon.</param>
/// <param name="Sigma">Predictive standard deviation of the return.</param>
/// <param name="ProbEdgePos">P(edge &gt; 0).</param>
/// <param name="PolicyId">The signed model/policy that produced it.</param>
public sealed record Signal(string Instrument, long Ts, string Horizon, double Mu, double Sigma, double ProbEdgePos, string PolicyId)
{
    /// <summary>The signal schema and its batch conversion.</summary>
    public static ArrowRecordCodec<Signal> Arrow { get; } = new("signal",
    [
        Col.Utf8<Signal>("instrument", r => r.Instrument),
        Col.Time<Signal>("ts", r => r.Ts),
        Col.Utf8<Signal>("horizon", r => r.Horizon),
        Col.Float64<Signal>("mu", r => r.Mu),
        Col.Float64<Signal>("sigma", r => r.Sigma),
        Col.Float64<Signal>("prob_edge_pos", r => r.ProbEdgePos),
        Col.Utf8<Signal>("policy_id", r => r.PolicyId),
    ], r => new Signal(r.Utf8(0), r.Int64(1), r.Utf8(2), r.Float64(3), r.Float64(4), r.Float64(5), r.Utf8(6)));
}
