using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>
/// The overlay agent's three paths, checked against the closed form (volatility target σ* = VaR limit / Φ⁻¹(0.99) over the
/// book's diagonal forecast √Σ(wσ)², caps not binding here): a full rescale of the whole book, a decision inside the
/// rescale band that lowers risk and moves only its own name at the book's scale, one that adds risk and so rescales
/// the whole book (the old scale would exceed the VaR limit), and a rescale that re-weights names nobody decided
/// about, each with one shared reason. Tolerance 1e-12 (the agent sums in id order, the test in its own order).
/// </summary>
public class RiskOverlayAgentTests
{
    private const long Second = 1_000_000_000;
    private static readonly double TargetVol = TestPolicies.AppendixA.Risk.VarLimit / MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.99);
    private readonly RiskOverlayAgent _agent = new(TestPolicies.AppendixA, new LaneControl(), new SimulatedClock());
    private readonly Dictionary<int, (double Raw, double Sigma)> _book = [];

    /// <summary>Daily σ forecasts and proposed raw weights by id (A = 0, B = 1, …), decided at <paramref name="ts"/>.</summary>
    private (TargetSet? Set, LaneMessage Message) Decide(long ts, params (int Id, double Raw, double Sigma)[] names)
    {
        var message = new LaneMessage(new MarketBatch(MarketShape.Ticks, new TickBatchBuilder().Build(), 0));
        var proposed = new TargetSet(0, ts);
        foreach (var (id, raw, sigma) in names)
        {
            var signal = new Signal($"N{id}", ts, "1d", 0.001, sigma, 0.6, TestPolicies.AppendixA.Id);
            message.Decisions.Add((0, id, new GateDecision(signal, TradeDirection.Long, []), false));
            proposed.Set(id, raw, "test: proposed");
            _book[id] = (raw, sigma);
        }
        message.Targets = [proposed];
        _agent.Apply(message);
        return (message.Targets.SingleOrDefault(), message);
    }

    /// <summary>The factor the overlays should put on the whole book now.</summary>
    private double Expected()
    {
        var forecast = Math.Sqrt(_book.Values.Sum(b => b.Raw * b.Sigma * b.Raw * b.Sigma));
        var factor = TargetVol / forecast;
        Assert.True(_book.Values.Sum(b => Math.Abs(b.Raw)) * factor < 1.5 && Math.Abs(_book.Values.Sum(b => b.Raw)) * factor < 0.5, "the caps must not bind in this scenario");
        return factor;
    }

    [Fact]
    public void Rescales_the_whole_book_to_the_volatility_target_and_moves_only_decided_names_inside_the_band()
    {
        // First decision: the whole book is scaled to the target.
        var (first, message) = Decide(Second, (0, 0.2, 0.02), (1, -0.1, 0.03), (2, 0.3, 0.01));
        var scale = Expected();
        Assert.NotNull(first);
        Assert.Equal([0, 1, 2], first.Weights.Keys);
        foreach (var (id, w) in first.Weights) Assert.Equal(_book[id].Raw * scale, w, 1e-12);
        Assert.Contains(message.RiskEvents, e => e.Kind == "vol_target");

        // Trimming a long barely lowers the book's forecast: only it changes, at the book's current scale.
        var (small, quiet) = Decide(2 * Second, (0, 0.195, 0.02));
        Assert.NotNull(small);
        Assert.Equal([0], small.Weights.Keys);
        Assert.Equal(0.195 * scale, small.Weights[0], 1e-12);
        Assert.StartsWith("overlay: within limits at the book's scale", small.Reasons[0][^1], StringComparison.Ordinal);
        Assert.Empty(quiet.RiskEvents);
        Assert.True(Expected() > scale && Expected() < scale * 1.05);

        // A new long adds a little more risk than the trim took away: the fresh scale is within the band, but at the old
        // scale the book would exceed its VaR, so the whole book is rescaled.
        var (added, _) = Decide(2 * Second + 1, (3, 0.05, 0.02));
        Assert.True(Expected() < scale && Expected() > scale * 0.95);
        scale = Expected();
        Assert.NotNull(added);
        Assert.Equal([0, 1, 2, 3], added.Weights.Keys);
        foreach (var (id, w) in added.Weights) Assert.Equal(_book[id].Raw * scale, w, 1e-12);
        Assert.Equal(TestPolicies.AppendixA.Risk.VarLimit, _agent.ParametricVar(), 1e-12);

        // Quadrupling one short quadruples most of the risk: the factor moves far past the band and every name is re-weighted.
        var (rescale, loud) = Decide(3 * Second, (1, -0.4, 0.03));
        var rescaled = Expected();
        Assert.True(rescaled < scale * 0.95);
        Assert.NotNull(rescale);
        Assert.Equal([0, 1, 2, 3], rescale.Weights.Keys);
        foreach (var (id, w) in rescale.Weights) Assert.Equal(_book[id].Raw * rescaled, w, 1e-12);
        var because = string.Join("; ", loud.RiskEvents.Select(e => e.Message));
        Assert.Equal(["test: proposed", "overlay: " + because], rescale.Reasons[1]);
        // Names nobody decided about carry one shared reason: from which scale to which, and why.
        var shared = Assert.Single(rescale.Reasons[0]);
        Assert.StartsWith($"overlay: book rescaled from scale {scale:0.####} to {rescaled:0.####} (forecast volatility", shared, StringComparison.Ordinal);
        Assert.Same(shared, Assert.Single(rescale.Reasons[2]));
        Assert.Same(shared, Assert.Single(rescale.Reasons[3]));

        // Closing a name inside the band emits it at exactly zero and nothing else.
        _book.Remove(2);
        var (close, _) = Decide(4 * Second, (2, 0.0, 0.01));
        _book.Remove(2);
        Assert.NotNull(close);
        Assert.Equal([2], close.Weights.Keys);
        Assert.Equal(0.0, close.Weights[2]);
    }

    [Fact]
    public void A_regime_budget_scales_the_whole_book_after_volatility_targeting_and_a_sentinel_kill_raises_the_switch()
    {
        var control = new LaneControl();
        var agent = new RiskOverlayAgent(TestPolicies.AppendixA, control, new SimulatedClock());
        LaneMessage Message(long ts, double budget, bool kill = false)
        {
            var message = new LaneMessage(new MarketBatch(MarketShape.Ticks, new TickBatchBuilder().Build(), 0));
            message.RiskStates.Add(new RiskState(0, ts, budget, !kill, kill, "regime: test") { Kill = kill });
            return message;
        }
        var decide = new LaneMessage(new MarketBatch(MarketShape.Ticks, new TickBatchBuilder().Build(), 0));
        var proposed = new TargetSet(0, Second);
        foreach (var (id, raw, sigma) in new[] { (0, 0.2, 0.02), (1, -0.1, 0.03) })
        {
            decide.Decisions.Add((0, id, new GateDecision(new Signal($"N{id}", Second, "1d", 0.001, sigma, 0.6, TestPolicies.AppendixA.Id), TradeDirection.Long, []), false));
            proposed.Set(id, raw, "test");
        }
        decide.Targets = [proposed];
        agent.Apply(decide);
        var full = Assert.Single(decide.Targets).Weights.ToDictionary(w => w.Key, w => w.Value);

        // Half the budget: every name at exactly half its weight (the volatility target would undo a cut made before it).
        var halve = Message(2 * Second, 0.5);
        agent.Apply(halve);
        var halved = Assert.Single(halve.Targets);
        foreach (var (id, w) in halved.Weights) Assert.Equal(full[id] * 0.5, w, 1e-15);
        Assert.EndsWith("regime budget 0.5 (regime: test))", Assert.Single(halved.Reasons[0]), StringComparison.Ordinal);

        // The sentinel's kill: flat, the kill switch up, and it stays until an operator resumes.
        var kill = Message(3 * Second, 0, kill: true);
        agent.Apply(kill);
        Assert.All(Assert.Single(kill.Targets).Weights, w => Assert.Equal(0.0, w.Value));
        Assert.Equal("regime: test", control.KillReason);
        Assert.Equal("kill_switch", Assert.Single(kill.RiskEvents).Kind);
        agent.Apply(Message(4 * Second, 1));
        Assert.NotNull(agent.FlatReason);
    }

    [Fact]
    public void The_kill_switch_flattens_every_held_name_with_one_reason_and_a_critical_event()
    {
        Decide(Second, (0, 0.2, 0.02), (1, -0.1, 0.03), (5, 0.1, 0.01));
        var kill = new LaneMessage(new LaneCommand(LaneCommandKind.Kill, 2 * Second, "desk halt"));
        _agent.Apply(kill);
        var flat = Assert.Single(kill.Targets);
        Assert.Equal([0, 1, 5], flat.Weights.Keys);
        Assert.All(flat.Weights, w => Assert.Equal(0.0, w.Value));
        Assert.All(flat.Reasons.Values, r => Assert.Equal("overlay: kill switch: desk halt → 0", Assert.Single(r)));
        Assert.Equal(RiskSeverity.Critical, Assert.Single(kill.RiskEvents).Severity);

        // While flat, a new decision goes to zero with the reason.
        var (held, _) = Decide(3 * Second, (0, 0.2, 0.02));
        Assert.NotNull(held);
        Assert.Equal(0.0, held.Weights[0]);
        Assert.Equal("overlay: flat (kill switch: desk halt) → 0", held.Reasons[0][^1]);
    }

    [Fact]
    public void A_feed_gap_flattens_with_a_critical_event_until_the_feed_is_whole_and_a_lost_feed_stays_down_until_resumed()
    {
        Assert.True(TestPolicies.AppendixA.StandDown.OnDataGap, "the scenario needs stand_down.on_data_gap");
        Decide(Second, (0, 0.2, 0.02), (1, -0.1, 0.03));
        var gap = new LaneMessage(new LaneCommand(LaneCommandKind.FeedGap, 2 * Second, "fix A: the session dropped"));
        _agent.Apply(gap);
        var flat = Assert.Single(gap.Targets);
        Assert.All(flat.Weights, w => Assert.Equal(0.0, w.Value));
        var gapEvent = Assert.Single(gap.RiskEvents);
        Assert.Equal(("feed_gap", RiskSeverity.Critical), (gapEvent.Kind, gapEvent.Severity));
        Assert.Contains("fix A: the session dropped", gapEvent.Message);
        var (held, _) = Decide(3 * Second, (0, 0.2, 0.02));
        Assert.Equal(0.0, held!.Weights[0]);

        var whole = new LaneMessage(new LaneCommand(LaneCommandKind.FeedSynchronised, 4 * Second, "fix: A rebuilt from a snapshot"));
        _agent.Apply(whole);
        Assert.Equal("feed_synchronised", Assert.Single(whole.RiskEvents).Kind);
        Assert.Null(_agent.FlatReason);
        var (trading, _) = Decide(5 * Second, (0, 0.2, 0.02));
        Assert.NotEqual(0.0, trading!.Weights[0]);

        var lost = new LaneMessage(new LaneCommand(LaneCommandKind.FeedLost, 6 * Second, "fix B: the venue refused market data"));
        _agent.Apply(lost);
        Assert.Equal("feed_lost", Assert.Single(lost.RiskEvents).Kind);
        _agent.Apply(new LaneMessage(new LaneCommand(LaneCommandKind.FeedSynchronised, 7 * Second, "fix: A rebuilt again")));
        Assert.NotNull(_agent.FlatReason);
        var (still, _) = Decide(8 * Second, (0, 0.2, 0.02));
        Assert.Equal(0.0, still!.Weights[0]);
    }

    [Fact]
    public void Without_stand_down_on_data_gap_a_feed_gap_is_a_warning_and_the_book_stays()
    {
        var policy = TestPolicies.AppendixA with { StandDown = TestPolicies.AppendixA.StandDown with { OnDataGap = false } };
        var agent = new RiskOverlayAgent(policy, new LaneControl(), new SimulatedClock());
        var gap = new LaneMessage(new LaneCommand(LaneCommandKind.FeedGap, Second, "fix A: 3 updates lost"));
        agent.Apply(gap);
        Assert.Empty(gap.Targets);
        Assert.Equal(("feed_gap", RiskSeverity.Warning), (Assert.Single(gap.RiskEvents).Kind, gap.RiskEvents[0].Severity));
        Assert.Null(agent.FlatReason);
    }
}
