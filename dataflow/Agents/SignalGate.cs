using System.Collections;
using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// Blueprint §6.1 signal gating: trade only when the probability of edge in the trade's direction exceeds the policy's
/// threshold, the forecast is narrow enough, the horizon is one the policy trades, the signal is the policy's own, and
/// the regime allows. Long needs P(r &gt; 0) &gt; θ with μ &gt; 0; short needs P(r &lt; 0) = 1 − P(r &gt; 0) &gt; θ with μ &lt; 0.
/// All checks run, so a rejection lists every reason, not only the first. The verdict is decided from numbers; the
/// lines that state each check are written only when something reads them (an order's reasons, an audit): most signals
/// on a daily cross-section never trade, and formatting half a million of them would be the gate's whole cost.
/// </summary>
public sealed class SignalGate(TradingPolicy policy)
{
    // 1 − 0.42 is 0.5800000000000001 in binary floating point: a probability on the threshold, up to rounding, must not pass.
    private const double Rounding = 1e-12;

    /// <summary>Judges one signal; <paramref name="regimeAllows"/> comes from the regime and risk-state agent.</summary>
    public GateDecision Evaluate(Signal signal, bool regimeAllows)
    {
        var gate = policy.EntryGate;
        var failed = GateCheck.None;
        var valid = double.IsFinite(signal.Mu) && double.IsFinite(signal.Sigma) && signal.Sigma >= 0 && signal.ProbEdgePos is >= 0 and <= 1;
        if (!valid) failed |= GateCheck.WellFormed;
        if (signal.PolicyId != policy.Id) failed |= GateCheck.Policy;
        if (!Trades(signal.Horizon)) failed |= GateCheck.Horizon;
        if (!regimeAllows) failed |= GateCheck.Regime;
        TradeDirection? direction = null;
        if (valid)
        {
            if (signal.ProbEdgePos - gate.ProbEdgeMin > Rounding && signal.Mu > 0) direction = TradeDirection.Long;
            else if (1 - signal.ProbEdgePos - gate.ProbEdgeMin > Rounding && signal.Mu < 0) direction = TradeDirection.Short;
            if (direction is null) failed |= GateCheck.Edge;
            if (!(signal.Sigma <= gate.SigmaMax)) failed |= GateCheck.Sigma;
        }
        return new GateDecision(signal, failed == GateCheck.None ? direction : null, new Lines(this, signal, valid, failed, direction)) { Failed = failed };
    }

    private bool Trades(string horizon)
    {
        foreach (var h in policy.Horizons) if (string.Equals(h, horizon, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>The audit name of a failed check, without its numbers: one key per kind of rejection.</summary>
    public static string Kind(GateCheck check) => check switch
    {
        GateCheck.WellFormed => "forecast is well-formed",
        GateCheck.Policy => "signal policy is the lane's policy",
        GateCheck.Horizon => "horizon is one the policy trades",
        GateCheck.Regime => "regime and risk state allow new risk",
        GateCheck.Edge => "no edge",
        GateCheck.Sigma => "sigma",
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "one check at a time"),
    };

    private List<string> Write(Signal signal, bool valid, GateCheck failed, TradeDirection? direction)
    {
        var gate = policy.EntryGate;
        var checks = new List<string>(6);
        void Add(GateCheck check, string text) => checks.Add(((failed & check) == 0 ? "pass: " : "fail: ") + text);
        Add(GateCheck.WellFormed, $"forecast is well-formed (mu {F(signal.Mu)}, sigma {F(signal.Sigma)}, p {F(signal.ProbEdgePos)})");
        Add(GateCheck.Policy, $"signal policy {signal.PolicyId} is the lane's policy {policy.Id}");
        Add(GateCheck.Horizon, $"horizon {signal.Horizon} is one of {string.Join(", ", policy.Horizons)}");
        Add(GateCheck.Regime, "regime and risk state allow new risk");
        if (valid)
        {
            var (pLong, pShort) = (signal.ProbEdgePos, 1 - signal.ProbEdgePos);
            Add(GateCheck.Edge, direction switch
            {
                TradeDirection.Long => $"P(r > 0) {F(pLong)} > {F(gate.ProbEdgeMin)} with mu {F(signal.Mu)} > 0",
                TradeDirection.Short => $"P(r < 0) {F(pShort)} > {F(gate.ProbEdgeMin)} with mu {F(signal.Mu)} < 0",
                _ => $"no edge: P(r > 0) {F(pLong)}, P(r < 0) {F(pShort)} vs {F(gate.ProbEdgeMin)}, mu {F(signal.Mu)}",
            });
            Add(GateCheck.Sigma, $"sigma {F(signal.Sigma)} <= {F(gate.SigmaMax)}");
        }
        return checks;
    }

    private static string F(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>The check lines of one verdict, written on first read.</summary>
    private sealed class Lines(SignalGate gate, Signal signal, bool valid, GateCheck failed, TradeDirection? direction) : IReadOnlyList<string>
    {
        private List<string>? _lines;

        private List<string> All => _lines ??= gate.Write(signal, valid, failed, direction);

        public int Count => valid ? 6 : 4;

        public string this[int index] => All[index];

        public IEnumerator<string> GetEnumerator() => All.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
