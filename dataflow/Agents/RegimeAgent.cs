using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant;
using CroweLogic.Flow.Quant.Regime;
using CroweLogic.Flow.Quant.Risk;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The regime and risk-state agent, running the policy's <c>regime.models</c> on each closed slice (a session for bars,
/// a minute for ticks) of the lane's returns. The market return is the equal-weighted mean of the instruments' log mark
/// changes, standardised by its EWMA volatility: <c>ewma_vol</c> stands the lane down (flat, no new risk) beyond
/// <c>stand_down.on_vol_spike_sigma</c>; <c>bocpd</c>'s detected change point halves the budget while the new regime is
/// learned; <c>hmm</c> multiplies the budget by a two-state Gaussian HMM's filtered risk-on probability when it is low;
/// <c>turbulence</c> halves it when a basket's Mahalanobis distance is in its χ² tail. The crash sentinel (§17.3) z-scores
/// the market's lag-1 autocorrelation, its variance and turbulence against their history: above ζ_hi the budget halves,
/// above ζ_kill the lane flattens and the kill switch is raised. Cuts last <c>regime.cooldown</c> slices and multiply.
/// </summary>
public sealed class RegimeAgent
{
    /// <summary>The agent name on its events.</summary>
    public const string Source = "regime";

    private readonly TradingPolicy _policy;
    private readonly RegimeSettings _settings;
    private readonly ReturnWindow _window;
    private readonly BayesianOnlineChangePoint _changePoints;
    private readonly CrashSentinel? _sentinel;
    private readonly Queue<double> _market = new();
    private readonly Queue<SentinelReading> _readings = new();
    private readonly int _marketKept;
    private LaneMessage? _message;
    private int _at;
    private long _slices;
    private double _variance = double.NaN;
    private int _runLength;
    private int _standDownIn, _changeIn, _turbulentIn, _sentinelIn;
    private double _riskOn = 1;
    private GaussianHmm? _hmm;
    private int _riskOnState;
    private int[]? _basket;
    private double[] _basketMean = [];
    private Matrix<double>? _basketCovariance;
    private double _turbulence = double.NaN;
    private RiskState _state;
    private bool _started;

    /// <summary>An agent for a policy; <paramref name="shape"/> sets what a slice is.</summary>
    public RegimeAgent(TradingPolicy policy, MarketShape shape)
    {
        _policy = policy;
        _settings = policy.RegimeOrDefault;
        _changePoints = new BayesianOnlineChangePoint(shape == MarketShape.Bars ? 250 : 120);
        _window = new ReturnWindow(_settings.Runs(RegimeModels.Turbulence) ? _settings.TurbulenceWindow : 2, shape) { SliceClosed = Closed };
        if (_settings.CrashSentinel) _sentinel = new CrashSentinel(_settings.SentinelHalve, _settings.SentinelKill);
        _marketKept = Math.Max(_settings.Runs(RegimeModels.Hmm) ? _settings.HmmWindow : 0, _settings.SentinelWindow);
    }

    /// <summary>The latest HMM risk-on probability (1 before the model is fitted, or when it does not run).</summary>
    public double RiskOn => _riskOn;

    /// <summary>The latest turbulence index of the basket (NaN before it is known).</summary>
    public double TurbulenceIndex => _turbulence;

    /// <summary>Fills <see cref="LaneMessage.RiskStates"/> and raises risk events when the state changes.</summary>
    public void Assess(LaneMessage message)
    {
        if (!_started && message.Features is { Count: > 0 } first)
        {
            _started = true;
            _state = RiskState.Normal(0, first.Ts[0], "regime: normal (warming up)");
            message.RiskStates.Add(_state);
        }
        if (message.Features is not { } rows) return;
        _message = message;
        _window.Observe(rows, 0, rows.Count);
        _message = null;
    }

    private void Closed(long ts, int row, ReadOnlySpan<double> returns)
    {
        // A slice's verdict applies from the row that closed it on.
        _at = Math.Max(0, row);
        double sum = 0;
        var n = 0;
        foreach (var r in returns)
        {
            if (double.IsNaN(r)) continue;
            (sum, n) = (sum + r, n + 1);
        }
        if (n == 0 || _message is not { } message) return;
        var market = sum / n;
        _slices++;
        _market.Enqueue(market);
        while (_market.Count > _marketKept) _market.Dequeue();
        (_standDownIn, _changeIn, _turbulentIn, _sentinelIn) = (Down(_standDownIn), Down(_changeIn), Down(_turbulentIn), Down(_sentinelIn));
        var kill = false;
        string? spike = null;
        if (_slices > _settings.WarmUp && _variance > 0)
        {
            var z = market / Math.Sqrt(_variance);
            if (_settings.Runs(RegimeModels.EwmaVol) && Math.Abs(z) > _policy.StandDown.OnVolSpikeSigma)
            {
                _standDownIn = _settings.Cooldown;
                spike = string.Create(CultureInfo.InvariantCulture, $"regime: market move {z:F1}σ beyond the {_policy.StandDown.OnVolSpikeSigma}σ stand-down limit");
                message.RiskEvents.Add(Event(ts, RiskSeverity.Breach, "vol_spike", Math.Abs(z), _policy.StandDown.OnVolSpikeSigma, spike + $": stand-down for {_settings.Cooldown} slices"));
            }
            if (_settings.Runs(RegimeModels.Bocpd))
            {
                var run = _changePoints.Update(Math.Clamp(z, -10, 10));
                if (run < _runLength && run <= 2 && _runLength >= _settings.WarmUp && _standDownIn == 0)
                {
                    _changeIn = _settings.Cooldown;
                    message.RiskEvents.Add(Event(ts, RiskSeverity.Warning, "change_point", _runLength, null, $"regime: change point after a run of {_runLength} slices, budget halved"));
                }
                _runLength = run;
            }
        }
        _variance = double.IsNaN(_variance) ? market * market : (_settings.EwmaDecay * _variance) + ((1 - _settings.EwmaDecay) * market * market);
        if (_settings.Runs(RegimeModels.Hmm)) Hmm(message, ts);
        if (_settings.Runs(RegimeModels.Turbulence)) Turbulence(message, ts, returns);
        if (_sentinel is not null) kill = Sentinel(message, ts);

        var budget = 1.0;
        var why = new List<string>();
        void Cut(double factor, string reason)
        {
            budget *= factor;
            why.Add(reason);
        }
        if (_changeIn > 0) Cut(0.5, "change point: budget halved");
        if (_riskOn < _settings.HmmRiskOnMin) Cut(_riskOn, string.Create(CultureInfo.InvariantCulture, $"HMM risk-on probability {_riskOn:0.###}"));
        if (_turbulentIn > 0) Cut(0.5, "turbulence: budget halved");
        if (_sentinelIn > 0) Cut(0.5, "crash sentinel: exposure halved");
        RiskState next;
        if (kill) next = new RiskState(_at, ts, 0, false, true, "regime: crash sentinel above ζ_kill: flatten and kill switch") { Kill = true };
        else if (_standDownIn > 0) next = spike is null ? _state : new RiskState(_at, ts, 0, false, true, spike);
        else if (why.Count > 0) next = new RiskState(_at, ts, budget, true, false, "regime: " + string.Join("; ", why));
        else next = _state.Budget == 1 && !_state.StandDown && !_state.Kill ? _state : RiskState.Normal(_at, ts, "regime: normal");
        if (next.Budget != _state.Budget || next.StandDown != _state.StandDown || next.Kill != _state.Kill || next.Reason != _state.Reason)
        {
            _state = next with { At = _at };
            message.RiskStates.Add(_state);
        }
    }

    private void Hmm(LaneMessage message, long ts)
    {
        var minimum = Math.Max(_settings.WarmUp, 100);
        if (_market.Count < minimum) return;
        var observations = _market.Skip(Math.Max(0, _market.Count - _settings.HmmWindow)).ToArray();
        if (_hmm is null || _slices % _settings.RefitEvery == 0)
        {
            var sd = Math.Sqrt(observations.Select(v => v * v).Average());
            var start = new GaussianHmm([0.5, 0.5], [[0.98, 0.02], [0.05, 0.95]], [0, 0], [Math.Max(sd * 0.7, 1e-8), Math.Max(sd * 1.8, 2e-8)]);
            try
            {
                _hmm = start.Fit(observations, maxIterations: 100, tolerance: 1e-6).Model;
                _riskOnState = _hmm.StdDevs[0] <= _hmm.StdDevs[1] ? 0 : 1;
            }
            catch (QuantInputException e)
            {
                message.RiskEvents.Add(Event(ts, RiskSeverity.Warning, "hmm_fit", null, null, $"regime: the HMM could not be refitted ({e.Message}); the last fit is kept"));
                if (_hmm is null) return;
            }
        }
        _riskOn = _hmm!.Filter(observations)[^1][_riskOnState];
    }

    private void Turbulence(LaneMessage message, long ts, ReadOnlySpan<double> returns)
    {
        if (_window.Count == _window.Capacity && (_basket is null || _slices % _settings.RefitEvery == 0)) Refit();
        if (_basket is not { } basket || _basketCovariance is null) return;
        var r = Groups(basket, returns.ToArray(), _basketMean.Length);
        // A group without any return this slice: the index keeps its last value.
        if (r.Any(double.IsNaN)) return;
        try
        {
            _turbulence = Quant.Risk.Turbulence.Index(r, _basketMean, _basketCovariance);
        }
        catch (QuantInputException)
        {
            return;
        }
        var tail = Quant.Risk.Turbulence.TailProbability(_turbulence, _basketMean.Length);
        if (tail < _settings.TurbulenceAlpha && _slices > _settings.WarmUp)
        {
            if (_turbulentIn == 0)
                message.RiskEvents.Add(Event(ts, RiskSeverity.Warning, "turbulence", _turbulence, null, string.Create(CultureInfo.InvariantCulture,
                    $"regime: turbulence {_turbulence:F1} over {_basketMean.Length} groups of {basket.Length} names (χ² tail {tail:G3} < {_settings.TurbulenceAlpha:G3}), budget halved")));
            _turbulentIn = _settings.Cooldown;
        }
    }

    /// <summary>
    /// The basket: every instrument with a return in each slice of the window, dealt round-robin into
    /// <c>turbulence_basket</c> equal-weighted groups (single names' news would make every day look turbulent; groups
    /// keep what moves together), with the groups' mean and Ledoit–Wolf covariance over the window.
    /// </summary>
    private void Refit()
    {
        var ids = new List<int>();
        for (var id = 0; id < _window.Width; id++)
            if (_window.Observations(id) == _window.Count) ids.Add(id);
        var groups = Math.Min(_settings.TurbulenceBasket, ids.Count);
        if (groups < 2) return;
        var panel = _window.Panel(ids, [.. ids.Select(id => id.ToString(CultureInfo.InvariantCulture))]);
        var basket = ids.ToArray();
        var rows = new double[panel.RowCount][];
        var slice = new double[_window.Width];
        for (var t = 0; t < panel.RowCount; t++)
        {
            for (var k = 0; k < ids.Count; k++) slice[ids[k]] = panel[t, k];
            rows[t] = Groups(basket, slice, groups);
        }
        var grouped = new Quant.Data.Panel([.. Enumerable.Range(0, groups).Select(g => g.ToString(CultureInfo.InvariantCulture))], rows);
        _basket = basket;
        _basketMean = [.. Enumerable.Range(0, groups).Select(g => grouped.Column(g).Average())];
        _basketCovariance = Covariance.LedoitWolf(grouped, frequency: 1).Matrix;
    }

    /// <summary>Each group's mean return: the basket's k-th name belongs to group k mod <paramref name="groups"/>; NaN when a group has none.</summary>
    private static double[] Groups(int[] basket, double[] byId, int groups)
    {
        var sum = new double[groups];
        var count = new int[groups];
        for (var k = 0; k < basket.Length; k++)
        {
            var r = basket[k] < byId.Length ? byId[basket[k]] : double.NaN;
            if (double.IsNaN(r)) continue;
            sum[k % groups] += r;
            count[k % groups]++;
        }
        for (var g = 0; g < groups; g++) sum[g] = count[g] == 0 ? double.NaN : sum[g] / count[g];
        return sum;
    }

    /// <summary>One sentinel reading and verdict; true when it calls for the kill switch.</summary>
    private bool Sentinel(LaneMessage message, long ts)
    {
        if (_market.Count < _settings.SentinelWindow) return false;
        // With turbulence running, readings start once it is known, so its history has no holes.
        if (_settings.Runs(RegimeModels.Turbulence) && double.IsNaN(_turbulence)) return false;
        var recent = _market.Skip(_market.Count - _settings.SentinelWindow).ToArray();
        SentinelReading reading;
        try
        {
            var mean = recent.Average();
            reading = new SentinelReading(CrashSentinel.LagOneAutocorrelation(recent), recent.Sum(v => (v - mean) * (v - mean)) / (recent.Length - 1), double.NaN, _turbulence);
        }
        catch (QuantInputException)
        {
            return false;
        }
        var kill = false;
        if (_readings.Count >= 20 && _slices > _settings.WarmUp)
        {
            try
            {
                SentinelAssessment verdict = _sentinel!.Assess(reading, [.. _readings]);
                var text = string.Create(CultureInfo.InvariantCulture, $"crash sentinel score {verdict.Score:F1} (autocorrelation z {verdict.ZScores[0]:F1}, variance z {verdict.ZScores[1]:F1}, turbulence z {verdict.ZScores[3]:F1})");
                if (verdict.Action == SentinelAction.Flatten)
                {
                    kill = true;
                    message.RiskEvents.Add(Event(ts, RiskSeverity.Critical, "crash_sentinel", verdict.Score, _settings.SentinelKill, $"regime: {text} above ζ_kill {_settings.SentinelKill}: flatten and raise the kill switch"));
                }
                else if (verdict.Action == SentinelAction.HalveExposure)
                {
                    if (_sentinelIn == 0) message.RiskEvents.Add(Event(ts, RiskSeverity.Breach, "crash_sentinel", verdict.Score, _settings.SentinelHalve, $"regime: {text} above ζ_hi {_settings.SentinelHalve}: exposure halved"));
                    _sentinelIn = _settings.Cooldown;
                }
            }
            catch (QuantInputException)
            {
                // A constant input history (a flat market) has no z-score: no verdict this slice.
            }
        }
        _readings.Enqueue(reading);
        while (_readings.Count > _settings.SentinelHistory) _readings.Dequeue();
        return kill;
    }

    private static int Down(int counter) => counter > 0 ? counter - 1 : 0;

    private RiskEvent Event(long ts, RiskSeverity severity, string kind, double? value, double? limit, string text) =>
        new($"{Source}:{kind}:{ts}", ts, Source, severity, kind, "", _policy.Id, value, limit, text);
}
