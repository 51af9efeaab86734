using CroweLogic.Flow.Contracts.Events;
using MathNet.Numerics.Distributions;
using CroweLogic.Flow.Dataflow.Features;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Models;

/// <summary>
/// The intraday baseline on quotes: order-book imbalance predicts the next mid move, and a short-horizon mid return
/// partly reverts. Score z = 2 · imbalance − r / σ_r (r the mid return over <see cref="StrategySettings.Lookback"/> quotes,
/// σ_r the realised volatility over the same quotes), clamped to ±3; σ_h scales σ_r to the horizon by the instrument's
/// quote rate; μ = IC · z · σ_h and P(r &gt; 0) = Φ(IC · z). One forecast per instrument every
/// <see cref="StrategySettings.RebalanceEvery"/> seconds of event time, at the first quote after the interval, each
/// instrument at its own phase within the interval.
/// </summary>
public sealed class QuoteImbalanceModel : ISignalModel
{
    private readonly StrategySettings _settings;
    private readonly string _policyId;
    private readonly string _horizon;
    private readonly double _horizonSeconds;
    private readonly long _interval;
    private long[] _next = [];
    private long[] _firstTs = [];
    private long[] _quotes = [];

    /// <summary>A model for the policy's strategy section.</summary>
    public QuoteImbalanceModel(TradingPolicy policy)
    {
        _settings = policy.StrategyOrDefault;
        if (_settings.Model != StrategyModels.QuoteImbalance) throw new ArgumentException($"the quote model runs {StrategyModels.QuoteImbalance}, not {_settings.Model}");
        _policyId = policy.Id;
        _horizon = policy.Horizons[0];
        _horizonSeconds = Horizon.Days(_horizon) * Horizon.SessionMinutes * 60;
        _interval = _settings.RebalanceEvery * 1_000_000_000L;
        Features = FeatureSet.Of("quote_imbalance", 1, "imbalance", "spread_bps", $"mid_return:{_settings.Lookback}", $"realized_vol:{_settings.Lookback}");
    }

    /// <inheritdoc />
    public string Name => _settings.Model;

    /// <inheritdoc />
    public FeatureSet Features { get; }

    /// <summary>
    /// A fixed offset within one interval per instrument (golden-ratio spacing of the ids): instruments that start quoting
    /// together would otherwise all forecast in the same instant every interval, a burst of decisions the lane then
    /// works through one after another while the last orders wait.
    /// </summary>
    private long Phase(int id) => (long)(((id * 0.6180339887498949) % 1.0) * _interval);

    /// <inheritdoc />
    public void Forecast(FeatureRows rows, InstrumentIds instruments, List<LaneSignal> output)
    {
        for (var row = 0; row < rows.Count; row++)
        {
            var id = rows.Ids[row];
            var ts = rows.Ts[row];
            if (id >= _next.Length)
            {
                var size = Math.Max(id + 1, _next.Length * 2);
                Array.Resize(ref _next, size);
                Array.Resize(ref _firstTs, size);
                Array.Resize(ref _quotes, size);
            }
            if (_quotes[id]++ == 0) (_firstTs[id], _next[id]) = (ts, ts + _interval + Phase(id));
            if (ts < _next[id]) continue;
            _next[id] = ts + _interval;
            double imbalance = rows.Value(row, 0), ret = rows.Value(row, 2), vol = rows.Value(row, 3);
            if (!(double.IsFinite(imbalance) && double.IsFinite(ret) && vol > 0)) continue;
            // Quotes per second so far scales the volatility of Lookback quotes to the horizon.
            var seconds = Math.Max(1e-9, (ts - _firstTs[id]) / 1e9);
            var perHorizon = _quotes[id] / seconds * _horizonSeconds;
            var sigma = vol * Math.Sqrt(Math.Max(1, perHorizon) / _settings.Lookback);
            var z = Math.Clamp((2 * imbalance) - (ret / vol), -3, 3);
            var edge = _settings.InformationCoefficient * z;
            output.Add(new LaneSignal(row + 1, id, new Signal(instruments.Name(id), ts, _horizon, edge * sigma, sigma, Normal.CDF(0, 1, edge), _policyId), Rebalance: false));
        }
    }
}
