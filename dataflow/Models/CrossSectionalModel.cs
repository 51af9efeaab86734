using CroweLogic.Flow.Contracts.Events;
using MathNet.Numerics.Distributions;
using CroweLogic.Flow.Dataflow.Features;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Models;

/// <summary>
/// The daily baselines of blueprint §15.4, cross-sectional: each session is a time slice; every
/// <see cref="StrategySettings.RebalanceEvery"/> slices, when the next slice begins, instruments that traded in the slice
/// are ranked by a score and each gets a forecast μ = IC · z · σ_h, σ_h = daily σ · √h, P(r &gt; 0) = Φ(IC · z), where z is
/// the cross-sectional z-score of the score (winsorised at ±3) and IC the assumed information coefficient.
/// Momentum scores the log return from t − lookback to t − skip; mean reversion scores minus the last lookback bars' return.
/// Slices close on the first row of a later time, so forecasts do not depend on how batches are cut.
/// </summary>
public sealed class CrossSectionalModel : ISignalModel
{
    private const int VolWindow = 63;
    private const int MinimumNames = 10;
    private readonly StrategySettings _settings;
    private readonly string _policyId;
    private readonly string _horizon;
    private readonly double _horizonRoot;
    private readonly bool _momentum;
    // Feature positions, in the order the set lists them: lookback return, volatility, then the skipped stretch's return.
    private const int LookbackReturn = 0;
    private const int Volatility = 1;
    private const int SkippedReturn = 2;
    private readonly List<(int Id, double Score, double Vol)> _slice = [];
    private long _sliceTs = long.MinValue;
    private long _slices;

    /// <summary>A model for the policy's strategy section (momentum or mean reversion).</summary>
    public CrossSectionalModel(TradingPolicy policy)
    {
        _settings = policy.StrategyOrDefault;
        _momentum = _settings.Model switch
        {
            StrategyModels.Momentum => true,
            StrategyModels.MeanReversion => false,
            _ => throw new ArgumentException($"the cross-sectional model runs {StrategyModels.Momentum} or {StrategyModels.MeanReversion}, not {_settings.Model}"),
        };
        _policyId = policy.Id;
        _horizon = policy.Horizons[0];
        _horizonRoot = Math.Sqrt(Horizon.Days(_horizon));
        var specs = new List<string> { $"mid_return:{_settings.Lookback}", $"realized_vol:{VolWindow}" };
        if (_settings.SkipRecent > 0) specs.Add($"mid_return:{_settings.SkipRecent}");
        Features = FeatureSet.Of(_momentum ? "xs_momentum" : "xs_reversal", 1, [.. specs]);
    }

    /// <inheritdoc />
    public string Name => _settings.Model;

    /// <inheritdoc />
    public FeatureSet Features { get; }

    /// <inheritdoc />
    public void Forecast(FeatureRows rows, InstrumentIds instruments, List<LaneSignal> output)
    {
        for (var row = 0; row < rows.Count; row++)
        {
            var ts = rows.Ts[row];
            if (ts != _sliceTs)
            {
                if (_sliceTs != long.MinValue) CloseSlice(row, instruments, output);
                _sliceTs = ts;
            }
            var ret = rows.Value(row, LookbackReturn) - (_settings.SkipRecent > 0 ? rows.Value(row, SkippedReturn) : 0);
            var vol = rows.Value(row, Volatility) / Math.Sqrt(VolWindow);
            _slice.Add((rows.Ids[row], _momentum ? ret : -ret, vol));
        }
    }

    private void CloseSlice(int at, InstrumentIds instruments, List<LaneSignal> output)
    {
        var rebalance = _slices++ % _settings.RebalanceEvery == 0;
        if (rebalance)
        {
            var ready = _slice.Where(s => double.IsFinite(s.Score) && double.IsFinite(s.Vol) && s.Vol > 0).ToList();
            if (ready.Count >= MinimumNames)
            {
                var mean = ready.Average(s => s.Score);
                var sd = Math.Sqrt(ready.Sum(s => (s.Score - mean) * (s.Score - mean)) / (ready.Count - 1));
                foreach (var (id, score, vol) in ready.OrderBy(s => s.Id))
                {
                    var z = sd > 0 ? Math.Clamp((score - mean) / sd, -3, 3) : 0;
                    var sigma = vol * _horizonRoot;
                    var edge = _settings.InformationCoefficient * z;
                    output.Add(new LaneSignal(at, id, new Signal(instruments.Name(id), _sliceTs, _horizon, edge * sigma, sigma, Normal.CDF(0, 1, edge), _policyId), Rebalance: true));
                }
            }
        }
        _slice.Clear();
    }
}
