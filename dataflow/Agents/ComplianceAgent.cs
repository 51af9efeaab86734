using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Policy;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// Pre-trade compliance on every target change, before the router turns it into an order: the restricted list, the
/// per-instrument position limit, locates for short positions, the short-sale uptick rule (no new short exposure while
/// the last price change was a downtick) and the wash-trade check (no reversal of the trading direction in an instrument
/// within the policy's window). A refused or clipped change raises a compliance risk event; reducing risk is never refused
/// except by the wash check, which holds the position until the window passes.
/// </summary>
public sealed class ComplianceAgent(TradingPolicy policy, InstrumentIds instruments)
{
    /// <summary>The agent name on its events.</summary>
    public const string Source = "compliance";

    private readonly ComplianceRules _rules = policy.ComplianceOrDefault;
    private readonly HashSet<string> _restricted = new(policy.ComplianceOrDefault.Restricted, StringComparer.Ordinal);
    private readonly Dictionary<int, double> _approved = [];
    private readonly Dictionary<int, (int Direction, long Ts)> _lastTrade = [];
    private readonly MarkBook _marks = new();

    /// <summary>Changes refused or clipped, by rule.</summary>
    public SortedDictionary<string, long> Rejections { get; } = new(StringComparer.Ordinal);

    /// <summary>Rewrites <see cref="LaneMessage.Targets"/> into approved weights.</summary>
    public void Check(LaneMessage message)
    {
        _marks.Begin(message.Features);
        foreach (var set in message.Targets)
        {
            _marks.AdvanceTo(set.At);
            foreach (var id in set.Weights.Keys.ToList())
            {
                var wanted = set.Weights[id];
                var approved = Approve(message, set, id, wanted);
                set.Weights[id] = approved;
                var current = _approved.GetValueOrDefault(id);
                if (approved != current)
                {
                    _lastTrade[id] = (Math.Sign(approved - current), set.Ts);
                    _approved[id] = approved;
                }
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
        var direction = Math.Sign(weight - current);
        if (direction != 0 && _lastTrade.TryGetValue(id, out var last) && last.Direction == -direction && (set.Ts - last.Ts) < _rules.WashWindowSeconds * 1e9)
            Refuse("wash_trade", (set.Ts - last.Ts) / 1e9, _rules.WashWindowSeconds, $"{symbol} reversal {(set.Ts - last.Ts) / 1e9:0.###} s after the last trade in the other direction (wash-trade window {F(_rules.WashWindowSeconds)} s): held", current);
        if (weight == wanted) set.Note(id, "compliance: restricted list, position limit, locate, uptick rule, wash-trade window passed");
        return weight;
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
