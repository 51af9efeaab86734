using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>Each compliance rule refusing or clipping a target change, with its risk event, and what counts as a trade for the wash check.</summary>
public class ComplianceAgentTests
{
    private const long Second = 1_000_000_000;
    private static TradingPolicy Policy(IReadOnlyDictionary<string, double>? locates = null) => TestPolicies.AppendixA with
    {
        Compliance = new ComplianceRules(["BAD"], MaxPositionWeight: 0.1, Locates: locates, UptickRule: true, WashWindowSeconds: 1),
    };

    private readonly InstrumentIds _ids = new();
    private ComplianceAgent _agent;

    public ComplianceAgentTests() => _agent = new ComplianceAgent(Policy(), _ids);

    /// <summary>Proposes one weight at <paramref name="ts"/> after a quote row (mark, tick); returns the approved weight and the message.</summary>
    private (double Approved, LaneMessage Message) Propose(string symbol, double weight, long ts, double mark = 50, sbyte tick = 1)
    {
        var id = _ids.Of(symbol);
        var message = new LaneMessage(new MarketBatch(MarketShape.Ticks, new TickBatchBuilder().Quote(symbol, ts, 1, mark - 0.01, 100, mark + 0.01, 100).Build(), 0));
        var rows = new FeatureRows(1, 0, []) { Count = 1 };
        (rows.Ids[0], rows.Ts[0], rows.Mark[0], rows.Bid[0], rows.Ask[0], rows.Tick[0]) = (id, ts, mark, mark - 0.01, mark + 0.01, tick);
        message.Features = rows;
        var set = new TargetSet(1, ts) { Equity = 1_000_000 };
        set.Set(id, weight, "test: proposed");
        message.Targets = [set];
        _agent.Check(message);
        return (set.Weights[id], message);
    }

    private static string Only(LaneMessage message) => Assert.Single(message.RiskEvents).Kind;

    [Fact]
    public void A_restricted_name_goes_to_zero_with_a_breach_event()
    {
        var (approved, message) = Propose("BAD", 0.05, Second);
        Assert.Equal(0, approved);
        Assert.Equal("restricted", Only(message));
        Assert.Equal("BAD is on the restricted list: target 0.05 → 0", message.RiskEvents[0].Message);
    }

    [Fact]
    public void A_target_beyond_the_position_limit_is_clipped_to_it_on_its_side()
    {
        Assert.Equal(-0.1, Propose("BIG", -0.25, Second).Approved);
        var (approved, message) = Propose("BIG", 0.3, 3 * Second);
        Assert.Equal(0.1, approved);
        Assert.Equal("position_limit", Only(message));
    }

    [Fact]
    public void A_short_beyond_the_located_shares_is_clipped_to_the_locate()
    {
        // 100 shares located at a mark of 50 on 1,000,000 of equity: at most a 0.005 short; a name not on the list has none.
        _agent = new ComplianceAgent(Policy(new Dictionary<string, double> { ["HTB"] = 100 }), _ids);
        var (approved, message) = Propose("HTB", -0.02, Second);
        Assert.Equal(-0.005, approved, 12);
        Assert.Equal("locate", Only(message));
        Assert.Equal(-0.004, Propose("HTB", -0.004, 3 * Second).Approved);
        Assert.Equal(0, Propose("NONE", -0.01, Second).Approved);
    }

    [Fact]
    public void New_short_exposure_on_a_downtick_is_held_but_reducing_it_is_not()
    {
        var (approved, message) = Propose("DN", -0.05, Second, tick: -1);
        Assert.Equal(0, approved);
        Assert.Equal("uptick", Only(message));
        Assert.Equal(-0.05, Propose("DN", -0.05, 3 * Second, tick: 1).Approved);
        var (covered, quiet) = Propose("DN", -0.02, 5 * Second, tick: -1);
        Assert.Equal(-0.02, covered);
        Assert.Empty(quiet.RiskEvents);
    }

    [Fact]
    public void A_reversal_within_the_wash_window_is_held_and_allowed_after_it()
    {
        Assert.Equal(0.05, Propose("W", 0.05, 10 * Second).Approved);
        var (held, message) = Propose("W", 0.02, 10 * Second + (Second / 2));
        Assert.Equal(0.05, held);
        Assert.Equal("wash_trade", Only(message));
        Assert.StartsWith("W reversal 0.5 s after the last trade in the other direction (wash-trade window 1 s): held", message.RiskEvents[0].Message);
        Assert.Equal(0.02, Propose("W", 0.02, 12 * Second).Approved);
    }

    [Fact]
    public void A_rescale_under_the_routers_no_trade_band_is_not_a_trade_so_the_next_move_up_is_no_reversal()
    {
        Assert.Equal(0.05, Propose("R", 0.05, 10 * Second).Approved);
        // The whole book shrinks 0.6 %: no order (under the band), so no direction to reverse.
        var (shrunk, quiet) = Propose("R", 0.0497, 10 * Second + (Second / 5));
        Assert.Equal(0.0497, shrunk);
        Assert.Empty(quiet.RiskEvents);
        var (grown, alsoQuiet) = Propose("R", 0.06, 10 * Second + (Second / 2));
        Assert.Equal(0.06, grown);
        Assert.Empty(alsoQuiet.RiskEvents);
        // Sub-band steps add up against the weight last traded (0.06): down to 0.0596 is no trade, but 0.0594 is one.
        Assert.Empty(Propose("R", 0.0596, 12 * Second).Message.RiskEvents);
        Assert.Equal(0.0594, Propose("R", 0.0594, 12 * Second + 1).Approved);
        var (heldUp, reversal) = Propose("R", 0.07, 12 * Second + (Second / 2));
        Assert.Equal(0.0594, heldUp);
        Assert.Equal("wash_trade", Only(reversal));
    }

    [Fact]
    public void Closing_a_position_is_a_trade_even_when_it_is_smaller_than_the_band()
    {
        Assert.Equal(0.0008, Propose("C", 0.0008, 10 * Second).Approved);
        Assert.Equal(0.0002, Propose("C", 0.0002, 12 * Second).Approved);
        // Closing 0.0002 is under the band, but the router always closes: a sell at 14 s, so buying at 14.5 s reverses it.
        Assert.Equal(0, Propose("C", 0, 14 * Second).Approved);
        var (held, message) = Propose("C", 0.05, 14 * Second + (Second / 2));
        Assert.Equal(0, held);
        Assert.Equal("wash_trade", Only(message));
    }
}
