using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant.Regime;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The regime and risk-state agent: the market's return per time slice (a session for bars, a minute for ticks; the
/// equal-weighted mean of the instruments' log mark changes), standardised by its EWMA volatility (λ = 0.94), feeds
/// (1) the volatility-spike stand-down of the policy (|z| above <c>stand_down.on_vol_spike_sigma</c>: no new risk and a
/// flat book for <see cref="Cooldown"/> slices) and (2) Bayesian online change-point detection, whose detected regime
/// change halves the risk budget for <see cref="Cooldown"/> slices while the new regime is learned.
/// </summary>
public sealed class RegimeAgent(TradingPolicy policy, MarketShape shape)
{
    /// <summary>The agent name on its events.</summary>
    public const string Source = "regime";

    /// <summary>Slices a stand-down or a halved budget lasts.</summary>
    public const int Cooldown = 5;

    private const int WarmUp = 20;
    private const double Decay = 0.94;
    private readonly BayesianOnlineChangePoint _changePoints = new(shape == MarketShape.Bars ? 250 : 120);
    private double[] _mark = [];
    private double[] _previous = [];
    private long[] _touchedIn = [];
    private readonly List<int> _touched = [];
    private long _slice = long.MinValue;
    private long _sliceTs;
    private long _slices;
    private double _variance = double.NaN;
    private int _runLength;
    private int _calmIn;
    private RiskState _state;
    private bool _started;

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
        for (var row = 0; row < rows.Count; row++)
        {
            var ts = rows.Ts[row];
            var key = shape == MarketShape.Bars ? ts : ts / 60_000_000_000L;
            if (key != _slice)
            {
                if (_slice != long.MinValue) CloseSlice(message, row);
                (_slice, _sliceTs) = (key, ts);
            }
            var id = rows.Ids[row];
            if (id >= _mark.Length)
            {
                var size = Math.Max(id + 1, _mark.Length * 2);
                var old = _mark.Length;
                Array.Resize(ref _mark, size);
                Array.Resize(ref _previous, size);
                Array.Resize(ref _touchedIn, size);
                _touchedIn.AsSpan(old).Fill(long.MinValue);
                _mark.AsSpan(old).Fill(double.NaN);
                _previous.AsSpan(old).Fill(double.NaN);
            }
            if (_touchedIn[id] != _slice)
            {
                _touchedIn[id] = _slice;
                _touched.Add(id);
            }
            _mark[id] = rows.Mark[row];
        }
    }

    private void CloseSlice(LaneMessage message, int at)
    {
        double sum = 0;
        var n = 0;
        foreach (var id in _touched)
        {
            if (double.IsFinite(_previous[id]) && _previous[id] > 0) (sum, n) = (sum + Math.Log(_mark[id] / _previous[id]), n + 1);
            _previous[id] = _mark[id];
        }
        _touched.Clear();
        if (n == 0) return;
        var r = sum / n;
        _slices++;
        var next = _state;
        if (_calmIn > 0 && --_calmIn == 0) next = RiskState.Normal(at, _sliceTs, "regime: normal");
        if (_slices > WarmUp && _variance > 0)
        {
            var z = r / Math.Sqrt(_variance);
            if (Math.Abs(z) > policy.StandDown.OnVolSpikeSigma)
            {
                next = new RiskState(at, _sliceTs, 0, false, true, $"regime: market move {z:F1}σ beyond the {policy.StandDown.OnVolSpikeSigma}σ stand-down limit");
                _calmIn = Cooldown;
                message.RiskEvents.Add(Event(_sliceTs, RiskSeverity.Breach, "vol_spike", Math.Abs(z), policy.StandDown.OnVolSpikeSigma, next.Reason + $": stand-down for {Cooldown} slices"));
            }
            var run = _changePoints.Update(Math.Clamp(z, -10, 10));
            if (run < _runLength && run <= 2 && _runLength >= WarmUp && !next.StandDown)
            {
                next = new RiskState(at, _sliceTs, 0.5, true, false, $"regime: change point after a run of {_runLength} slices, budget halved");
                _calmIn = Cooldown;
                message.RiskEvents.Add(Event(_sliceTs, RiskSeverity.Warning, "change_point", _runLength, null, next.Reason));
            }
            _runLength = run;
        }
        _variance = double.IsNaN(_variance) ? r * r : (Decay * _variance) + ((1 - Decay) * r * r);
        if (next != _state)
        {
            _state = next with { At = at };
            message.RiskStates.Add(_state);
        }
    }

    private RiskEvent Event(long ts, RiskSeverity severity, string kind, double value, double? limit, string text) =>
        new($"{Source}:{kind}:{ts}", ts, Source, severity, kind, "", policy.Id, value, limit, text);
}
