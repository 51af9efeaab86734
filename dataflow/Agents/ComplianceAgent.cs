using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// Pre-trade compliance on every target change, before the router turns it into an order: the restricted list, the
/// per-instrument position limit, locates for short positions, the short-sale uptick rule (no new short exposure while
/// the last price change was a downtick) and the wash-trade check (no reversal of the trading direction in an instrument
/// within the policy's window). A refused or clipped change raises a compliance risk event; reducing risk is never refused
/// except by the wash check, which holds the position until the window passes.
/// </summary>
/// <remarks>
/// The wash check judges direction against the weight last <em>traded</em>: a change counts as a trade only when it
/// moves the weight by at least the router's no-trade band (the policy's <c>execution.no_trade_band</c>) from there, or
/// closes the position, as the router decides. A whole-book rescale nudges every weight by a few percent without an
/// order; counting those nudges as trades made the next rescale up look like a reversal of hundreds of names (≈ 230
/// phantom wash-trade refusals per rescale under sustained order flow) and held positions the router would never have
/// traded against.
/// </remarks>
public sealed class ComplianceAgent(TradingPolicy policy, InstrumentIds instruments)
{
    /// <summary>The agent name on its events.</summary>
    public const string Source = "compliance";

    private readonly ComplianceRules _rules = policy.ComplianceOrDefault;
    private readonly HashSet<string> _restricted = new(policy.ComplianceOrDefault.Restricted, StringComparer.Ordinal);
    private readonly Dictionary<int, double> _approved = [];
    private readonly Dictionary<int, (double Weight, int Direction, long Ts)> _lastTrade = [];
    private readonly MarkBook _marks = new();

    /// <summary>Changes refused or clipped, by rule.</summary>
    public SortedDictionary<string, long> Rejections { get; } = new(StringComparer.Ordinal);

    /// <summary>The weight compliance last approved for instrument <paramref name="id"/> (0 before any): the book the router trades towards.</summary>
    public double Approved(int id) => _approved.GetValueOrDefault(id);

    /// <summary>Rewrites <see cref="LaneMessage.Targets"/> into approved weights.</summary>
    public void Check(LaneMessage message)
    {
        _marks.Begin(message.Features);
        foreach (var set in message.Targets)
        {
            _marks.AdvanceTo(set.At);
            var weights = set.Weights;
            for (var i = 0; i < weights.Count; i++)
            {
                var id = weights.IdAt(i);
                var approved = Approve(message, set, id, weights.WeightAt(i));
                weights.SetWeightAt(i, approved);
                _approved[id] = approved;
                var traded = _lastTrade.GetValueOrDefault(id).Weight;
                if (Trades(traded, approved)) _lastTrade[id] = (approved, Math.Sign(approved - traded), set.Ts);
            }
        }
        _marks.Finish();
    }

    private double Approve(LaneMessage message, TargetSet set, int id, double wanted)
    {
        var symbol = instruments.Name(id);
        var current = _approved.GetValueOrDefault(id);
        var weight = wanted;
        void Refuse(string rule, double value, double? limit, string text, double result)
        {
            Rejections[rule] = Rejections.GetValueOrDefault(rule) + 1;
            message.RiskEvents.Add(new RiskEvent($"{Source}:{rule}:{symbol}:{set.Ts}", set.Ts, Source, RiskSeverity.Breach, rule, symbol, policy.Id, value, limit, text));
            set.Note(id, $"compliance fail: {text}");
            weight = result;
        }
        if (_restricted.Contains(symbol) && weight != 0)
            Refuse("restricted", weight, 0, $"{symbol} is on the restricted list: target {F(wanted)} → 0", 0);
        if (Math.Abs(weight) > _rules.MaxPositionWeight)
            Refuse("position_limit", weight, _rules.MaxPositionWeight, $"{symbol} target {F(weight)} beyond the ±{F(_rules.MaxPositionWeight)} position limit: clipped", Math.CopySign(_rules.MaxPositionWeight, weight));
        var mark = _marks.Mark(id);
        if (weight < 0 && _rules.Locates is { } locates && set.Equity > 0 && mark > 0)
        {
            var located = locates.GetValueOrDefault(symbol);
            var shares = -weight * set.Equity / mark;
            if (shares > located)
                Refuse("locate", shares, located, $"{symbol} short of {shares:F0} shares needs a locate, {located:F0} located: short clipped", -located * mark / set.Equity);
        }
        if (_rules.UptickRule && weight < Math.Min(current, 0) && _marks.Tick(id) < 0)
            Refuse("uptick", weight, null, $"{symbol} new short exposure on a downtick (uptick rule): held at {F(Math.Min(current, 0))}", Math.Min(current, 0));
        var last = _lastTrade.GetValueOrDefault(id);
        var direction = Trades(last.Weight, weight) ? Math.Sign(weight - last.Weight) : 0;
        if (direction != 0 && last.Direction == -direction && (set.Ts - last.Ts) < _rules.WashWindowSeconds * 1e9)
            Refuse("wash_trade", (set.Ts - last.Ts) / 1e9, _rules.WashWindowSeconds, $"{symbol} reversal {(set.Ts - last.Ts) / 1e9:0.###} s after the last trade in the other direction (wash-trade window {F(_rules.WashWindowSeconds)} s): held", current);
        if (weight == wanted) set.Note(id, "compliance: restricted list, position limit, locate, uptick rule, wash-trade window passed");
        return weight;
    }

    /// <summary>Whether moving from the weight last traded to <paramref name="weight"/> makes the router send an order.</summary>
    private bool Trades(double traded, double weight) => weight != traded && (weight == 0 || Math.Abs(weight - traded) >= policy.Execution.NoTradeBand);

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
