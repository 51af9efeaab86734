using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// Blueprint §6.1 signal gating: trade only when the probability of edge in the trade's direction exceeds the policy's
/// threshold, the forecast is narrow enough, the horizon is one the policy trades, the signal is the policy's own, and
/// the regime allows. Long needs P(r &gt; 0) &gt; θ with μ &gt; 0; short needs P(r &lt; 0) = 1 − P(r &gt; 0) &gt; θ with μ &lt; 0.
/// All checks run, so a rejection lists every reason, not only the first.
/// </summary>
public sealed class SignalGate(TradingPolicy policy)
{
    // 1 − 0.42 is 0.5800000000000001 in binary floating point: a probability on the threshold, up to rounding, must not pass.
    private const double Rounding = 1e-12;

    /// <summary>Judges one signal; <paramref name="regimeAllows"/> comes from the regime and risk-state agent.</summary>
    public GateDecision Evaluate(Signal signal, bool regimeAllows)
    {
        var checks = new List<string>();
        var ok = true;
        void Check(bool passed, string text)
        {
            checks.Add((passed ? "pass: " : "fail: ") + text);
            ok &= passed;
        }

        var gate = policy.EntryGate;
        var valid = double.IsFinite(signal.Mu) && double.IsFinite(signal.Sigma) && signal.Sigma >= 0 && signal.ProbEdgePos is >= 0 and <= 1;
        Check(valid, $"forecast is well-formed (mu {F(signal.Mu)}, sigma {F(signal.Sigma)}, p {F(signal.ProbEdgePos)})");
        Check(signal.PolicyId == policy.Id, $"signal policy {signal.PolicyId} is the lane's policy {policy.Id}");
        Check(policy.Horizons.Contains(signal.Horizon, StringComparer.Ordinal), $"horizon {signal.Horizon} is one of {string.Join(", ", policy.Horizons)}");
        Check(regimeAllows, "regime and risk state allow new risk");
        TradeDirection? direction = null;
        if (valid)
        {
            var pLong = signal.ProbEdgePos;
            var pShort = 1 - signal.ProbEdgePos;
            if (pLong - gate.ProbEdgeMin > Rounding && signal.Mu > 0) direction = TradeDirection.Long;
            else if (pShort - gate.ProbEdgeMin > Rounding && signal.Mu < 0) direction = TradeDirection.Short;
            Check(direction is not null, direction switch
            {
                TradeDirection.Long => $"P(r > 0) {F(pLong)} > {F(gate.ProbEdgeMin)} with mu {F(signal.Mu)} > 0",
                TradeDirection.Short => $"P(r < 0) {F(pShort)} > {F(gate.ProbEdgeMin)} with mu {F(signal.Mu)} < 0",
                _ => $"no edge: P(r > 0) {F(pLong)}, P(r < 0) {F(pShort)} vs {F(gate.ProbEdgeMin)}, mu {F(signal.Mu)}",
            });
            Check(signal.Sigma <= gate.SigmaMax, $"sigma {F(signal.Sigma)} <= {F(gate.SigmaMax)}");
        }
        return new GateDecision(signal, ok ? direction : null, checks);
    }

    private static string F(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
