using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Models;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant.Risk;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The risk overlay agent: runs <see cref="RiskOverlays"/> (drawdown flatten, volatility targeting, gross and net caps)
/// on the whole book whenever portfolio construction changes a target, and owns every reason the lane goes flat:
/// the kill switch (a command in the feed, or <see cref="LaneControl.Kill"/>), a failed agent, a data-integrity failure
/// when the policy stands down on bad data, the regime's volatility-spike stand-down, and the intraday drawdown guard,
/// marked on every price move. Equity is the lane's own mark-to-market of the book it asked for (positions drift with
/// prices between decisions), so decisions never wait for fills and replays repeat exactly.
/// </summary>
public sealed class RiskOverlayAgent
{
    /// <summary>The agent name on its events.</summary>
    public const string Source = "risk_overlays";

    private const long Day = 86_400_000_000_000L;
    private readonly TradingPolicy _policy;
    // A decision about one name rescales the whole book only when the overlays' common scale moves by more than the
    // policy's rescale band (or the book would exceed its VaR at the old scale): otherwise every tick-level forecast
    // would re-trade hundreds of names by fractions of a lot.
    private readonly double _rescaleBand;
    private readonly double _z;
    private readonly ReturnWindow _returns;
    private readonly EwmaCovariance _covariance;
    private readonly bool _historical;
    private readonly TailConvention _tailConvention;
    private double[] _scaled = [];
    private double[] _scenarios = [];
    private readonly LaneControl _control;
    private readonly RiskOverlays _overlays;
    private readonly MarkBook _marks = new();
    private readonly Dictionary<int, double> _pending = [];
    private readonly MarketShape _shape;
    private readonly PreTradeLimits? _limits;
    private readonly TrailingStop? _stop;
    // The book held positions at some mark of the current session (the trailing stop's σ̂ learns only from those).
    private bool _heldThisSession;

    // The book by instrument id (ids are dense): a rescale walks ~500 slots in id order instead of sorted maps, so it
    // costs microseconds, not the milliseconds a tick-to-order budget cannot spare.
    private double[] _raw = [];
    private double[] _weight = [];
    private double[] _sigma = [];
    private double[] _value = [];
    private int _top;
    private int _held;
    private double _cash;
    private double _factor;
    // The regime's risk budget: it scales the book after volatility targeting, which would undo any cut made before it.
    private double _budget = 1;
    private double _valueSum;
    private double _rawGross, _rawNet;
    private long _revaluations;
    private long _session = long.MinValue;
    // The lane is flat because a live feed had a hole (lifted when the feed is whole again).
    private bool _feedGap;
    private string? _flatReason;
    private bool _flatUntilResume;

    /// <summary>An overlay agent for a policy.</summary>
    /// <param name="policy">The policy whose limits the book keeps.</param>
    /// <param name="control">The lane's kill switch and stand-down.</param>
    /// <param name="clock">The lane's clock.</param>
    /// <param name="shape">Ticks or bars.</param>
    /// <param name="limits">The sector, issuer and stress measures (null: the policy sets none of those limits).</param>
    public RiskOverlayAgent(TradingPolicy policy, LaneControl control, IClock clock, MarketShape shape = MarketShape.Ticks, PreTradeLimits? limits = null)
    {
        (_policy, _control, _shape) = (policy, control, shape);
        if (policy.Risk.NeedsReference && limits is null) throw new ArgumentException("risk.sector_limit, risk.issuer_limit and risk.stress_limit need the instruments' sectors and the stress scenarios (PreTradeLimits)");
        _limits = limits;
        _stop = policy.Risk.TrailingStop is { } k ? new TrailingStop(k, policy.Risk.TrailingStopDecay, policy.Risk.TrailingStopWarmUp, policy.Risk.TrailingStopCooldown) : null;
        _overlays = new RiskOverlays(policy, clock);
        _rescaleBand = policy.Risk.RescaleBand;
        _z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, policy.Risk.VarConfidence);
        _covariance = new EwmaCovariance(policy.Risk.CovarianceDecay);
        _tailConvention = policy.Risk.TailConvention == RiskLimits.OrderStatistic ? TailConvention.OrderStatistic : TailConvention.Interpolated;
        _historical = shape == MarketShape.Bars && (policy.Risk.VarMethods.Contains(RiskLimits.Historical) || policy.Risk.EsLimit is not null);
        _returns = new ReturnWindow(policy.Risk.VarWindow, shape) { SliceClosed = (_, _, returns) => _covariance.Update(returns) };
        _cash = policy.CostsOrDefault.InitialEquity;
    }

    /// <summary>The lane's mark-to-market equity.</summary>
    public double Equity => _cash + _valueSum;

    /// <summary>The online covariance whose correlations the book's parametric VaR uses.</summary>
    public EwmaCovariance Covariance => _covariance;

    /// <summary>The one-day parametric VaR of the book the overlays last set, z · √(wᵀΣw), Σ_ij = σ_i σ_j ρ_ij (ρ from <see cref="Covariance"/> once warm).</summary>
    public double ParametricVar()
    {
        for (var id = 0; id < _top; id++) _scaled[id] = _weight[id] * _sigma[id];
        return _z * Math.Sqrt(Variance(_scaled.AsSpan(0, _top)));
    }

    /// <summary>The protective overlay's trailing stop (null when the policy sets none).</summary>
    public TrailingStop? Stop => _stop;

    /// <summary>The sector, issuer and stress measures (null when the policy sets none of those limits).</summary>
    public PreTradeLimits? Limits => _limits;

    /// <summary>The book's weights as the overlays last set them, by instrument id (read after the lane has stopped).</summary>
    public ReadOnlySpan<double> Weights => _weight.AsSpan(0, _top);

    /// <summary>The last prices the overlays saw, by instrument id.</summary>
    public MarkBook Marks => _marks;

    /// <summary>Why the lane is flat, or null while it trades.</summary>
    public string? FlatReason => _flatReason;

    /// <summary>Rewrites <see cref="LaneMessage.Targets"/> into final weights.</summary>
    public void Apply(LaneMessage message)
    {
        var output = new List<TargetSet>();
        if (message.Command is { } command)
        {
            switch (command.Kind)
            {
                case LaneCommandKind.Kill:
                    Flatten(message, output, 0, command.Ts, $"kill switch: {command.Reason}", untilResume: true, RiskSeverity.Critical, "kill_switch");
                    break;
                case LaneCommandKind.FeedGap:
                    FeedGap(message, output, command);
                    break;
                case LaneCommandKind.FeedSynchronised:
                    FeedWhole(message, command);
                    break;
                case LaneCommandKind.FeedLost:
                    _control.StandDown($"feed lost: {command.Reason}");
                    if (_flatReason is null || !_flatUntilResume) Flatten(message, output, 0, command.Ts, $"stand-down: feed lost: {command.Reason}", untilResume: true, RiskSeverity.Critical, "feed_lost");
                    break;
                default:
                    Resume(message, command.Ts, command.Reason);
                    break;
            }
            message.Targets = output;
            return;
        }
        if (message.EndOfFeed) return;
        var rows = message.Features;
        var first = message.FirstTs;
        if (_control.KillReason is { } kill && _flatReason is null) Flatten(message, output, 0, first, $"kill switch: {kill}", untilResume: true, RiskSeverity.Critical, "kill_switch");
        if (_control.StandDownReason is { } standDown && _flatReason is null) Flatten(message, output, 0, first, $"stand-down: {standDown}", untilResume: true, RiskSeverity.Critical, "stand_down");
        if (message.FaultedAgent is { } agent && _flatReason is null) Flatten(message, output, 0, first, $"stand-down: agent {agent} failed", untilResume: true, RiskSeverity.Critical, "stand_down");

        var points = new List<(int At, int Order, int Index)>();
        for (var i = 0; i < message.RiskStates.Count; i++) points.Add((message.RiskStates[i].At, 0, i));
        for (var i = 0; i < message.Decisions.Count; i++) points.Add((message.Decisions[i].At, 1, i));
        for (var i = 0; i < message.Targets.Count; i++) points.Add((message.Targets[i].At, 2, i));
        if (message.IntegrityFailure is { } bad && _policy.StandDown.OnDataGap && rows is not null)
        {
            var at = 0;
            while (at < rows.Count && rows.Rows[at] < bad.Row) at++;
            points.Add((at, -1, -1));
        }
        points.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order));

        _marks.Begin(rows);
        void Moved(int row, int id, double previous)
        {
            var ts = rows!.Ts[row];
            if (ts / Day != _session)
            {
                // The equity before this row is the last session's close.
                if (_session != long.MinValue) _stop?.CloseSession(Equity, _heldThisSession);
                _heldThisSession = _held > 0;
                _session = ts / Day;
                _overlays.StartSession();
                // A drawdown flat lasts until the next session; a trailing stop's, until its cooldown has passed.
                if (_flatReason is not null && !_flatUntilResume && _stop is not { Stopped: true }) _flatReason = null;
            }
            var open = rows.Open[row];
            if (_pending.Remove(id, out var weight) && previous > 0 && open > 0)
            {
                // Bars: the order fills at this open, so the new weight starts there: drift to the open, rebalance, drift to the close.
                if (id < _top) Revalue(id, _value[id] * (open / previous));
                Hold(id, weight, Equity);
                Revalue(id, _value[id] * (rows.Mark[row] / open));
            }
            else if (id < _top && _value[id] != 0 && previous > 0) Revalue(id, _value[id] * (rows.Mark[row] / previous));
            if (_held > 0 && _overlays.Mark(Equity, ts) is { } breach)
            {
                message.RiskEvents.Add(breach);
                Flatten(message, output, row + 1, ts, "drawdown guard: " + breach.Message, untilResume: false, null, null);
            }
            _heldThisSession |= _held > 0;
            if (_held > 0 && _stop?.Mark(Equity) is { } stopped)
                Flatten(message, output, row + 1, ts, stopped, untilResume: false, RiskSeverity.Critical, "trailing_stop");
        }
        var cursor = 0;
        foreach (var (at, order, index) in points)
        {
            _marks.AdvanceTo(at, Moved);
            if (rows is not null && at > cursor)
            {
                _returns.Observe(rows, cursor, Math.Min(at, rows.Count));
                cursor = Math.Min(at, rows.Count);
            }
            if (rows is not null && at < rows.Count) _returns.CloseBefore(rows.Ts[at]);
            switch (order)
            {
                case -1:
                    var q = message.IntegrityFailure!.Value;
                    if (_flatReason is null)
                        Flatten(message, output, at, q.Ts, $"stand-down on bad data: {q.Symbol} {q.Reason} (event ts {q.Ts}, seq {q.Sequence})", untilResume: false, RiskSeverity.Critical, "data_integrity");
                    break;
                case 0:
                    var state = message.RiskStates[index];
                    if (state.Kill)
                    {
                        // The crash sentinel's kill: flat, and the kill switch up until an operator resumes.
                        _control.Kill(state.Reason);
                        if (_flatReason is null || !_flatUntilResume) Flatten(message, output, at, state.Ts, $"kill switch: {state.Reason}", untilResume: true, RiskSeverity.Critical, "kill_switch");
                    }
                    else if (state.StandDown && _flatReason is null) Flatten(message, output, at, state.Ts, state.Reason, untilResume: false, null, null);
                    else if (!state.StandDown && state.Budget != _budget)
                    {
                        _budget = state.Budget;
                        // A new budget re-scales the book now, not at the next decision.
                        if (_flatReason is null && _rawGross > 0) Rebalance(message, new TargetSet(at, state.Ts), output, state.Reason);
                    }
                    break;
                case 1:
                    var d = message.Decisions[index].Decision.Signal;
                    if (d.Sigma > 0) SetSigma(message.Decisions[index].Id, d.Sigma / Math.Sqrt(Horizon.Days(d.Horizon)));
                    break;
                default:
                    Rebalance(message, message.Targets[index], output);
                    break;
            }
        }
        _marks.Finish(Moved);
        if (rows is not null) _returns.Observe(rows, cursor, rows.Count);
        message.Targets = output;
    }

    private void Rebalance(LaneMessage message, TargetSet proposed, List<TargetSet> output, string? regime = null)
    {
        foreach (var (id, w) in proposed.Weights) SetRaw(id, w);
        var result = new TargetSet(proposed.At, proposed.Ts);
        foreach (var (id, reasons) in proposed.Reasons) result.Reasons[id] = [.. reasons];
        if (_flatReason is not null)
        {
            var flat = $"overlay: flat ({_flatReason}) → 0";
            foreach (var id in proposed.Weights.Keys) result.Note(id, flat);
            // While flat, every decision closes what is still held at once (a fill that raced the cancels, a closing
            // order the market filled only in part), and nothing works at the venue but that.
            result.Flatten = _flatReason;
            EmitProposed(result, proposed, 0, output);
            return;
        }
        var targetVol = _policy.Risk.VarLimit / _z;
        var equity = Equity;
        var breach = _overlays.Mark(equity, proposed.Ts);
        var volatility = RawVolatility();
        var tail = Tail();
        var measures = _limits?.Measure(_raw.AsSpan(0, _top), _marks) ?? default;
        if (breach is null && !_overlays.IsFlat && _factor > 0)
        {
            var factor = _overlays.Factor(_rawGross, _rawNet, volatility, targetVol, tail, measures) * _budget;
            // Within the band, and never above the scale the limits allow now: the old scale may carry less risk, not more.
            if (Math.Abs(factor - _factor) <= _rescaleBand * _factor && _factor <= factor * (1 + 1e-12) && WithinCaps(_factor))
            {
                // The book's scale barely moved: only the names this decision is about change, at the book's current scale.
                var within = string.Create(CultureInfo.InvariantCulture, $"overlay: within limits at the book's scale {_factor:0.####} (rescale band {_rescaleBand:P0})");
                foreach (var id in proposed.Weights.Keys) result.Note(id, within);
                _limits?.Record(proposed.Ts, measures, _factor);
                EmitProposed(result, proposed, _factor, output);
                return;
            }
        }
        // A full rescale: exact sums (the running ones drift by rounding), the overlays on the whole book, every name re-weighted.
        Resum();
        var previous = _factor;
        var (scale, applied) = _overlays.Scale(_rawGross, _rawNet, volatility, targetVol, equity, proposed.Ts, tail, measures);
        scale *= _budget;
        var events = breach is null ? applied : [breach, .. applied];
        // Resum made the gross exact: zero only when no name has a raw weight.
        _factor = _rawGross == 0 || _overlays.IsFlat ? 0 : scale;
        _limits?.Record(proposed.Ts, measures, _factor);
        message.RiskEvents.AddRange(events);
        var because = events.Count == 0 ? "within limits" : string.Join("; ", events.Select(e => e.Message));
        if (_budget != 1) because += string.Create(CultureInfo.InvariantCulture, $"; regime budget {_budget:0.###}{(regime is null ? "" : $" ({regime})")}");
        var note = "overlay: " + because;
        foreach (var id in proposed.Weights.Keys) result.Note(id, note);
        // Every other name moved only because the book's scale did: one shared reason says from what to what and why.
        var rescaled = string.Create(CultureInfo.InvariantCulture, $"overlay: book rescaled from scale {previous:0.####} to {_factor:0.####} ({because})");
        var flatNow = _overlays.IsFlat;
        for (var id = 0; id < _top; id++)
        {
            var raw = _raw[id];
            var w = flatNow ? 0 : raw * scale;
            var old = _weight[id];
            if (old == w && !proposed.Weights.ContainsKey(id)) continue;
            if (!result.Reasons.ContainsKey(id)) result.Note(id, rescaled);
            result.Weights[id] = w;
            SetWeight(id, w, equity);
        }
        result.Equity = equity;
        if (result.Weights.Count > 0) output.Add(result);
    }

    /// <summary>Emits the proposed names only, each at its raw weight times <paramref name="factor"/>.</summary>
    private void EmitProposed(TargetSet result, TargetSet proposed, double factor, List<TargetSet> output)
    {
        var equity = Equity;
        foreach (var id in proposed.Weights.Keys)
        {
            var w = factor == 0 ? 0 : _raw[id] * factor;
            result.Weights[id] = w;
            SetWeight(id, w, equity);
        }
        result.Equity = equity;
        if (result.Weights.Count > 0) output.Add(result);
    }

    /// <summary>Sets a raw (pre-overlay) weight, keeping the book's gross and net current.</summary>
    private void SetRaw(int id, double weight)
    {
        Ensure(id);
        var old = _raw[id];
        if (old != 0) (_rawGross, _rawNet) = (_rawGross - Math.Abs(old), _rawNet - old);
        // A proposed −0.0 is stored as 0, so no name comes out of a rescale as "−0".
        _raw[id] = weight == 0 ? 0 : weight;
        if (weight == 0) return;
        (_rawGross, _rawNet) = (_rawGross + Math.Abs(weight), _rawNet + weight);
    }

    /// <summary>Sets an instrument's daily σ forecast.</summary>
    private void SetSigma(int id, double sigma)
    {
        Ensure(id);
        _sigma[id] = sigma;
    }

    private void Resum()
    {
        (_rawGross, _rawNet) = (0, 0);
        for (var id = 0; id < _top; id++)
        {
            var w = _raw[id];
            if (w == 0) continue;
            (_rawGross, _rawNet) = (_rawGross + Math.Abs(w), _rawNet + w);
        }
    }

    /// <summary>The raw book's daily volatility √(yᵀRy), y_i = w_i σ_i: correlated once the covariance has warmed up, diagonal before.</summary>
    private double RawVolatility()
    {
        for (var id = 0; id < _top; id++) _scaled[id] = _raw[id] * _sigma[id];
        return Math.Sqrt(Variance(_scaled.AsSpan(0, _top)));
    }

    private double Variance(ReadOnlySpan<double> y)
    {
        if (_covariance.Observations >= _policy.Risk.CorrelationWarmUp) return _covariance.CorrelatedVariance(y);
        double sum = 0;
        foreach (var v in y) sum += v * v;
        return sum;
    }

    /// <summary>The raw book's historical one-day VaR and ES over the return window (daily bars, when the policy asks), a name's missing return as zero.</summary>
    private RiskOverlays.BookTail Tail()
    {
        if (!_historical || _returns.Count < _policy.Risk.CorrelationWarmUp || _rawGross == 0) return RiskOverlays.BookTail.None;
        if (_scenarios.Length < _returns.Count) _scenarios = new double[_returns.Capacity];
        var book = new ArraySegment<double>(_scenarios, 0, _returns.BookReturns(_raw.AsSpan(0, _top), _scenarios));
        var confidence = _policy.Risk.VarConfidence;
        return new RiskOverlays.BookTail(Math.Max(0, TailRisk.HistoricalVaR(book, confidence, _tailConvention)), Math.Max(0, TailRisk.HistoricalES(book, confidence, _tailConvention)), book.Count);
    }

    /// <summary>Whether the raw book at <paramref name="factor"/> stays inside the hard gross and net caps.</summary>
    private bool WithinCaps(double factor)
    {
        return _rawGross * factor <= _policy.Risk.GrossLimit * (1 + 1e-9) && Math.Abs(_rawNet) * factor <= _policy.Risk.NetLimit * (1 + 1e-9);
    }

    private void SetWeight(int id, double weight, double equity)
    {
        var old = _weight[id];
        _held += (weight != 0 ? 1 : 0) - (old != 0 ? 1 : 0);
        _weight[id] = weight;
        // Daily bars trade at the next open: the book holds the old position until then.
        if (_shape == MarketShape.Bars) _pending[id] = weight;
        else Hold(id, weight, equity);
    }

    private void Hold(int id, double weight, double equity)
    {
        Ensure(id);
        var value = weight * equity;
        _cash -= value - _value[id];
        Revalue(id, value);
    }

    /// <summary>Sets one position's value, keeping the book's total current without summing every position per price move.</summary>
    private void Revalue(int id, double value)
    {
        _valueSum += value - _value[id];
        _value[id] = value;
        // The running total drifts by rounding; an exact re-sum now and then keeps it honest.
        if (++_revaluations % 4096 == 0) _valueSum = _value.Sum();
    }

    /// <summary>Makes room for instrument <paramref name="id"/> in the book's arrays.</summary>
    private void Ensure(int id)
    {
        if (id >= _raw.Length)
        {
            var size = Math.Max(id + 1, _raw.Length * 2);
            Array.Resize(ref _raw, size);
            Array.Resize(ref _weight, size);
            Array.Resize(ref _sigma, size);
            Array.Resize(ref _value, size);
            Array.Resize(ref _scaled, size);
        }
        _top = Math.Max(_top, id + 1);
    }

    private void Flatten(LaneMessage message, List<TargetSet> output, int at, long ts, string reason, bool untilResume, RiskSeverity? severity, string? kind)
    {
        _flatReason = reason;
        _flatUntilResume |= untilResume;
        if (severity is { } level && kind is not null) message.RiskEvents.Add(new RiskEvent($"{Source}:{kind}:{ts}", ts, Source, level, kind, "", _policy.Id, null, null, reason));
        var set = new TargetSet(at, ts);
        var equity = Equity;
        var note = $"overlay: {reason} → 0";
        for (var id = 0; id < _top; id++)
        {
            if (_weight[id] == 0) continue;
            set.Set(id, 0, note);
            SetWeight(id, 0, equity);
        }
        Array.Clear(_raw);
        (_factor, _rawGross, _rawNet) = (0, 0, 0);
        set.Equity = equity;
        // Even with no weight to zero, working orders may need cancelling and positions closing.
        set.Flatten = reason;
        output.Add(set);
    }

    // A hole in a live feed is never silent: a risk event always, and flat until the feed is whole when the policy says so.
    private void FeedGap(LaneMessage message, List<TargetSet> output, LaneCommand command)
    {
        if (!_policy.StandDown.OnDataGap)
        {
            message.RiskEvents.Add(new RiskEvent($"{Source}:feed_gap:{command.Ts}", command.Ts, Source, RiskSeverity.Warning, "feed_gap", "", _policy.Id, null, null, $"feed gap: {command.Reason}"));
            return;
        }
        if (_flatReason is null)
        {
            Flatten(message, output, 0, command.Ts, $"stand-down on a feed gap: {command.Reason}", untilResume: false, RiskSeverity.Critical, "feed_gap");
            _feedGap = true;
        }
        else message.RiskEvents.Add(new RiskEvent($"{Source}:feed_gap:{command.Ts}", command.Ts, Source, RiskSeverity.Warning, "feed_gap", "", _policy.Id, null, null, $"feed gap while flat: {command.Reason}"));
    }

    private void FeedWhole(LaneMessage message, LaneCommand command)
    {
        message.RiskEvents.Add(new RiskEvent($"{Source}:feed_synchronised:{command.Ts}", command.Ts, Source, RiskSeverity.Info, "feed_synchronised", "", _policy.Id, null, null, $"feed whole again: {command.Reason}"));
        // Only the flat a feed gap caused is lifted; a kill, a stand-down or a drawdown flat stays.
        if (!_feedGap) return;
        _feedGap = false;
        if (!_flatUntilResume) _flatReason = null;
    }

    private void Resume(LaneMessage message, long ts, string reason)
    {
        _control.Resume();
        (_flatReason, _flatUntilResume, _feedGap) = (null, false, false);
        _overlays.StartSession();
        message.RiskEvents.Add(new RiskEvent($"{Source}:resume:{ts}", ts, Source, RiskSeverity.Info, "resume", "", _policy.Id, null, null, $"trading resumed: {reason}"));
    }
}
