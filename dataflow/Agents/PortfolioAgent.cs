using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Models;
using CroweLogic.Flow.Dataflow.Models.Portfolio;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// Portfolio construction, by the policy's <c>portfolio.method</c>. <c>kelly_tempered</c> sizes each gated forecast on
/// its own, w = λ · μ / σ² (the growth-optimal fraction for a Gaussian forecast: without cross-covariances Σ is diagonal
/// and λ · Σ⁻¹μ separates), times the regime's risk budget, clipped to the strategy's per-name cap. The cross-sectional
/// methods (robust_mvo, hrp, erc, mean_cvar) take a whole rebalance at once: the names the gate passed with enough
/// history in the agent's <see cref="ReturnWindow"/> go to the <see cref="IPortfolioConstructionModel"/>, whose weights
/// are the targets. The regime's risk budget scales the book in the overlays, after volatility targeting (here it would
/// be undone by it). A signal that fails the gate sets its instrument's target to zero; a rebalance
/// also sets every instrument it did not forecast to zero. A rebalance the model cannot solve is refused with a named
/// reason (a risk event) and the book stays as it was.
/// </summary>
public sealed class PortfolioAgent
{
    /// <summary>The agent name on its events.</summary>
    public const string Source = "portfolio";

    private readonly TradingPolicy _policy;
    private readonly IPortfolioConstructionModel? _model;
    private readonly ReturnWindow? _window;
    private readonly PortfolioSettings _settings;
    private readonly double _horizonSlices;
    private readonly SortedDictionary<int, double> _book = [];

    /// <summary>An agent for a policy; <paramref name="shape"/> sets what a slice of the return window is.</summary>
    public PortfolioAgent(TradingPolicy policy, MarketShape shape = MarketShape.Bars)
    {
        _policy = policy;
        _settings = policy.PortfolioOrDefault;
        _model = PortfolioModels.For(policy);
        if (_model is not null) _window = new ReturnWindow(_settings.Window, shape);
        var days = Horizon.Days(policy.Horizons[0]);
        _horizonSlices = shape == MarketShape.Bars ? days : days * Horizon.SessionMinutes;
    }

    /// <summary>Current target weights before overlays.</summary>
    public IReadOnlyDictionary<int, double> Book => _book;

    /// <summary>The last rebalance a cross-sectional model solved: its inputs, the weights it gave and the budget applied.</summary>
    public PortfolioRebalance? LastRebalance { get; private set; }

    /// <summary>Called with every rebalance a cross-sectional model solved (audits and parity tests).</summary>
    public Action<PortfolioRebalance>? Rebalanced { get; set; }

    /// <summary>Rebalances refused (no feasible portfolio, too little history): the book stayed as it was.</summary>
    public long Refused { get; private set; }

    /// <summary>Fills <see cref="LaneMessage.Targets"/>: one target set per decision point.</summary>
    public void Construct(LaneMessage message)
    {
        if (_model is not null)
        {
            ConstructCrossSection(message, _model, _window!);
            return;
        }
        TargetSet? current = null;
        HashSet<int>? forecast = null;
        foreach (var (at, id, decision, rebalance) in message.Decisions)
        {
            if (current is null || current.At != at || current.Ts != decision.Signal.Ts)
            {
                Close(current, forecast);
                current = new TargetSet(at, decision.Signal.Ts);
                forecast = rebalance ? [] : null;
            }
            forecast?.Add(id);
            var weight = 0.0;
            var kelly = 0.0;
            if (decision.Passed)
            {
                var s = decision.Signal;
                kelly = _policy.Sizing.Lambda * s.Mu / (s.Sigma * s.Sigma);
                weight = Math.Clamp(kelly, -_policy.StrategyOrDefault.MaxWeight, _policy.StrategyOrDefault.MaxWeight);
            }
            // The reasons go on the order: written only for a target that is set. A rebalance restates every held name;
            // a name neither held nor wanted has nothing to restate.
            var held = _book.GetValueOrDefault(id);
            if (held != weight || (rebalance && weight != 0))
            {
                var reasons = new List<string>(decision.Checks.Count + 1);
                foreach (var check in decision.Checks) reasons.Add("gate " + check);
                if (decision.Passed)
                {
                    var s = decision.Signal;
                    reasons.Add(string.Create(CultureInfo.InvariantCulture,
                        $"sizing: kelly λ {_policy.Sizing.Lambda:0.###} · μ {s.Mu:0.######} / σ² {s.Sigma * s.Sigma:0.######} = {kelly:0.####}, cap ±{_policy.StrategyOrDefault.MaxWeight:0.###} → {weight:0.####}"));
                }
                else reasons.Add("sizing: gate closed → 0");
                current.Weights[id] = weight;
                current.Reasons[id] = reasons;
            }
            if (weight == 0) _book.Remove(id);
            else _book[id] = weight;
        }
        Close(current, forecast);

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

    private void ConstructCrossSection(LaneMessage message, IPortfolioConstructionModel model, ReturnWindow window)
    {
        var rows = message.Features;
        var decisions = message.Decisions;
        var cursor = 0;
        for (var first = 0; first < decisions.Count;)
        {
            var (at, _, head, rebalance) = decisions[first];
            var end = first + 1;
            while (end < decisions.Count && decisions[end].At == at && decisions[end].Decision.Signal.Ts == head.Signal.Ts) end++;
            if (rows is not null)
            {
                window.Observe(rows, cursor, Math.Min(at, rows.Count));
                cursor = Math.Max(cursor, Math.Min(at, rows.Count));
                if (at < rows.Count) window.CloseBefore(rows.Ts[at]);
            }
            Rebalance(message, model, window, first, end, rebalance);
            first = end;
        }
        if (rows is not null) window.Observe(rows, cursor, rows.Count);
    }

    private void Rebalance(LaneMessage message, IPortfolioConstructionModel model, ReturnWindow window, int first, int end, bool rebalance)
    {
        var decisions = message.Decisions;
        var (at, _, head, _) = decisions[first];
        var ts = head.Signal.Ts;
        var set = new TargetSet(at, ts);
        var eligible = new List<int>();
        for (var i = first; i < end; i++)
        {
            var (_, id, decision, _) = decisions[i];
            if (!decision.Passed)
            {
                Zero(set, id, decision, "sizing: gate closed → 0");
                continue;
            }
            var seen = window.Observations(id);
            if (seen < _settings.MinObservations)
            {
                Zero(set, id, decision, string.Create(CultureInfo.InvariantCulture,
                    $"sizing: {seen} returns in the {_settings.Window}-slice window, {_settings.MinObservations} needed → 0"));
                continue;
            }
            eligible.Add(i);
        }
        if (eligible.Count < 2)
        {
            Refuse(message, ts, $"{eligible.Count} name(s) passed the gate with {_settings.MinObservations} returns in the window; {model.Name} needs two");
            return;
        }
        if (Solve(message, model, window, eligible, ts) is not { } solution) return;
        var detail = string.Create(CultureInfo.InvariantCulture, $"sizing: {solution.Detail}, {eligible.Count} names");
        for (var k = 0; k < eligible.Count; k++)
        {
            var (_, id, decision, _) = decisions[eligible[k]];
            var weight = solution.Weights[k];
            weight = weight == 0 ? 0 : weight;
            Target(set, id, decision, weight, detail);
        }
        if (rebalance)
        {
            var covered = new HashSet<int>();
            for (var i = first; i < end; i++) covered.Add(decisions[i].Id);
            foreach (var id in _book.Keys.Where(id => !covered.Contains(id)).ToList())
            {
                set.Set(id, 0, "sizing: not forecast at this rebalance → 0");
                _book.Remove(id);
            }
        }
        if (set.Weights.Count > 0) message.Targets.Add(set);
    }

    private PortfolioSolution? Solve(LaneMessage message, IPortfolioConstructionModel model, ReturnWindow window, List<int> eligible, long ts)
    {
        var decisions = message.Decisions;
        var ids = new int[eligible.Count];
        var mu = new double[eligible.Count];
        var sigma = new double[eligible.Count];
        var previous = new double[eligible.Count];
        var names = new string[eligible.Count];
        for (var k = 0; k < eligible.Count; k++)
        {
            var (_, id, decision, _) = decisions[eligible[k]];
            (ids[k], names[k]) = (id, decision.Signal.Instrument);
            mu[k] = decision.Signal.Mu / _horizonSlices;
            sigma[k] = decision.Signal.Sigma / Math.Sqrt(_horizonSlices);
            previous[k] = _book.GetValueOrDefault(id);
        }
        var inputs = new PortfolioInputs(ids, mu, sigma, window.Panel(ids, names), previous);
        try
        {
            var solution = model.Construct(inputs);
            var rebalance = new PortfolioRebalance(ts, inputs, solution.Weights);
            LastRebalance = rebalance;
            Rebalanced?.Invoke(rebalance);
            return solution;
        }
        catch (QuantInputException e)
        {
            Refuse(message, ts, e.Message);
            return null;
        }
    }

    private void Refuse(LaneMessage message, long ts, string reason)
    {
        Refused++;
        message.RiskEvents.Add(new RiskEvent($"{Source}:rebalance_refused:{ts}", ts, Source, RiskSeverity.Warning, "rebalance_refused", "", _policy.Id, null, null,
            $"portfolio: the {_settings.Method} rebalance was refused ({reason}); the book is kept as it was"));
    }

    private void Zero(TargetSet set, int id, GateDecision decision, string reason) => Target(set, id, decision, 0, reason);

    private void Target(TargetSet set, int id, GateDecision decision, double weight, string reason)
    {
        var had = _book.TryGetValue(id, out var old);
        if (had && old == weight) return;
        if (!had && weight == 0) return;
        var reasons = new List<string>(decision.Checks.Count + 1);
        foreach (var check in decision.Checks) reasons.Add("gate " + check);
        reasons.Add(reason);
        set.Weights[id] = weight;
        set.Reasons[id] = reasons;
        if (weight == 0) _book.Remove(id);
        else _book[id] = weight;
    }
}
