using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>
/// The §9.5 trailing stop with a volatility-adaptive band, against the closed form the test computes itself: σ̂ by the
/// EWMA recurrence over held session returns, the peak session close, and the floor peak·(1 − k·σ̂) (1e-12). In the lane's
/// overlay agent: one long name that rallies and then falls, the stop fires at the first daily mark below the floor the
/// test derives from the prices, the book is flattened with a trailing_stop risk event, decisions during the cooldown
/// stay at zero, and the book re-enters after it.
/// </summary>
public class TrailingStopTests
{
    private const long Day = 86_400_000_000_000L;

    [Fact]
    public void The_band_is_k_sigma_of_held_session_returns_and_the_stop_cools_down_then_resets_its_peak()
    {
        var stop = new TrailingStop(sigmas: 3, decay: 0.9, warmUp: 3, cooldown: 2);
        double[] closes = [100, 101, 99.5, 102, 103];
        double variance = 0, observations = 0;
        for (var d = 0; d < closes.Length; d++)
        {
            stop.CloseSession(closes[d], held: true);
            if (d == 0) continue;
            var r = (closes[d] / closes[d - 1]) - 1;
            variance = observations == 0 ? r * r : (0.9 * variance) + (0.1 * r * r);
            observations++;
        }
        Assert.True(stop.Armed);
        Assert.Equal(103, stop.Peak);
        Assert.Equal(3 * Math.Sqrt(variance), stop.Band, 1e-12);
        var floor = 103 * (1 - stop.Band);
        Assert.Null(stop.Mark(floor + 1e-9));
        var reason = stop.Mark(floor - 1e-9);
        Assert.NotNull(reason);
        Assert.StartsWith("trailing stop: equity", reason, StringComparison.Ordinal);
        Assert.True(stop.Stopped);
        Assert.Null(stop.Mark(1));
        // Two session closes flat, then the peak restarts from the equity at the second.
        stop.CloseSession(90, held: false);
        Assert.True(stop.Stopped);
        stop.CloseSession(91, held: false);
        Assert.False(stop.Stopped);
        Assert.Equal(91, stop.Peak);
        // Flat sessions taught σ̂ nothing.
        Assert.Equal(3 * Math.Sqrt(variance), stop.Band, 1e-12);
    }

    [Fact]
    public void The_overlay_agent_flattens_at_the_first_mark_below_the_band_and_re_enters_after_the_cooldown()
    {
        const int warmUp = 5, cooldown = 3;
        const double k = 2, lambda = 0.9;
        var policy = PolicyLoader.Parse(PolicyLoaderTests.AppendixA.Replace("  var_limit: 0.015", $"""
              var_limit: 0.015
              trailing_stop: {k}
              trailing_stop_decay: {lambda}
              trailing_stop_warm_up: {warmUp}
              trailing_stop_cooldown: {cooldown}
            """, StringComparison.Ordinal).Replace("  dd_intraday: 0.02", "  dd_intraday: 0.5", StringComparison.Ordinal));
        var agent = new RiskOverlayAgent(policy, new LaneControl(), new SimulatedClock(), MarketShape.Bars);
        var initial = policy.CostsOrDefault.InitialEquity;
        // A rally with noise, then a slide of 2 % a session.
        var random = new Random(3);
        var closes = new List<double> { 100 };
        for (var d = 1; d < 15; d++) closes.Add(closes[^1] * (1 + 0.004 + (0.01 * (random.NextDouble() - 0.5))));
        for (var d = 15; d < 40; d++) closes.Add(closes[^1] * 0.98);

        double weight = 0;
        int? stoppedOn = null;
        var reentered = false;
        for (var d = 1; d < closes.Count; d++)
        {
            var message = Bar(d, closes[d], open: closes[d - 1]);
            // One decision on day 1 (held unchanged after), then one a day once stopped, to see the cooldown hold.
            if (d == 1 || stoppedOn is not null)
            {
                // Decided after the session's bar: the order fills at the next open.
                var proposed = new TargetSet(1, d * Day);
                var signal = new Signal("N0", d * Day, "1d", 0.001, 0.01, 0.6, policy.Id);
                message.Decisions.Add((1, 0, new GateDecision(signal, TradeDirection.Long, []), false));
                proposed.Set(0, 0.5, "test: proposed");
                message.Targets = [proposed];
            }
            agent.Apply(message);
            if (d == 1) weight = Assert.Single(message.Targets).Weights[0];
            if (message.RiskEvents.FirstOrDefault(e => e.Kind == "trailing_stop") is { } stopEvent)
            {
                // The slide goes on: once re-entered, the book may be stopped again, with a fresh peak.
                if (stoppedOn is not null)
                {
                    Assert.True(reentered, $"day {d}: a second stop before the book re-entered");
                    break;
                }
                stoppedOn = d;
                Assert.Equal(RiskSeverity.Critical, stopEvent.Severity);
                Assert.Contains(message.Targets, t => t.Flatten is not null && t.Weights.ContainsKey(0) && t.Weights[0] == 0);
                continue;
            }
            if (stoppedOn is { } s && d > s)
            {
                var w = message.Targets.Last().Weights[0];
                if (d < s + cooldown) Assert.True(w == 0, $"day {d}: re-entered during the cooldown");
                else if (w > 0) reentered = true;
            }
        }

        // The test's own path: the position opens at day 2's open (day 1's close) with value w·E0 and moves with the close.
        double Equity(int d) => d < 2 ? initial : initial * (1 + (weight * ((closes[d] / closes[1]) - 1)));
        double variance = 0, peak = double.NaN;
        var observed = 0;
        int? expected = null;
        for (var d = 1; d < closes.Count && expected is null; d++)
        {
            if (d >= 2)
            {
                // Start of day d: session d − 1 closes (the first close has no return before it).
                if (d - 1 >= 2)
                {
                    var r = (Equity(d - 1) / Equity(d - 2)) - 1;
                    variance = observed == 0 ? r * r : (lambda * variance) + ((1 - lambda) * r * r);
                    observed++;
                }
                peak = double.IsNaN(peak) ? Equity(d - 1) : Math.Max(peak, Equity(d - 1));
            }
            if (observed >= warmUp && Equity(d) < peak * (1 - (k * Math.Sqrt(variance)))) expected = d;
        }
        Assert.NotNull(expected);
        Assert.Equal(expected, stoppedOn);
        Assert.True(reentered, "the book never re-entered after the cooldown");
    }

    private static LaneMessage Bar(int d, double close, double open)
    {
        var rows = new FeatureRows(1, 0, []);
        (rows.Rows[0], rows.Ids[0], rows.Ts[0], rows.Mark[0], rows.Open[0]) = (0, 0, d * Day, close, open);
        rows.Count = 1;
        return new LaneMessage(new MarketBatch(MarketShape.Bars, new TickBatchBuilder().Build(), d)) { Features = rows, FirstTs = d * Day, LastTs = d * Day };
    }
}
