using System.Globalization;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// Portfolio construction: Kelly-tempered sizing of the gated forecasts, w = λ · μ / σ² (the growth-optimal fraction
/// for a Gaussian forecast, one instrument at a time: forecasts come without cross-covariances, so Σ is diagonal and
/// λ · Σ⁻¹μ separates), times the regime's risk budget, clipped to the strategy's per-name cap. A signal that fails the
/// gate sets its instrument's target to zero; a rebalance also sets every instrument it did not forecast to zero.
/// </summary>
public sealed class PortfolioAgent(TradingPolicy policy)
{
    private readonly SortedDictionary<int, double> _book = [];
    private double _budget = 1;

    /// <summary>Current target weights before overlays.</summary>
    public IReadOnlyDictionary<int, double> Book => _book;

    /// <summary>Fills <see cref="LaneMessage.Targets"/>: one target set per decision point.</summary>
    public void Construct(LaneMessage message)
    {
        var states = message.RiskStates;
        var nextState = 0;
        TargetSet? current = null;
        HashSet<int>? forecast = null;
        foreach (var (at, id, decision, rebalance) in message.Decisions)
        {
            while (nextState < states.Count && states[nextState].At <= at) _budget = states[nextState++].Budget;
            if (current is null || current.At != at || current.Ts != decision.Signal.Ts)
            {
                Close(current, forecast);
                current = new TargetSet(at, decision.Signal.Ts);
                forecast = rebalance ? [] : null;
            }
            forecast?.Add(id);
            var weight = 0.0;
            var reasons = new List<string>(decision.Checks.Count + 2);
            reasons.AddRange(decision.Checks.Select(c => "gate " + c));
            if (decision.Passed)
            {
                var s = decision.Signal;
                var kelly = policy.Sizing.Lambda * s.Mu / (s.Sigma * s.Sigma);
                weight = Math.Clamp(kelly * _budget, -policy.StrategyOrDefault.MaxWeight, policy.StrategyOrDefault.MaxWeight);
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"sizing: kelly λ {policy.Sizing.Lambda:0.###} · μ {s.Mu:0.######} / σ² {s.Sigma * s.Sigma:0.######} = {kelly:0.####}, budget {_budget:0.##}, cap ±{policy.StrategyOrDefault.MaxWeight:0.###} → {weight:0.####}"));
            }
            else reasons.Add("sizing: gate closed → 0");
            if (_book.GetValueOrDefault(id) != weight || rebalance)
            {
                current.Weights[id] = weight;
                current.Reasons[id] = reasons;
            }
            if (weight == 0) _book.Remove(id);
            else _book[id] = weight;
        }
        Close(current, forecast);
        while (nextState < states.Count) _budget = states[nextState++].Budget;

        void Close(TargetSet? set, HashSet<int>? covered)
        {
            if (set is null) return;
            if (covered is not null)
            {
                foreach (var id in _book.Keys.Where(id => !covered.Contains(id)).ToList())
                {
                    set.Set(id, 0, "sizing: not forecast at this rebalance → 0");
                    _book.Remove(id);
                }
            }
            if (set.Weights.Count > 0) message.Targets.Add(set);
        }
    }
}
