using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>Replay fills: queue position from displayed depth, drained by recorded trades; trade-throughs; taking the quote.</summary>
public class ReplayVenueTests
{
    private sealed class Collector : IVenueSubscriber
    {
        public List<ExecutionReport> Reports { get; } = [];
        public void OnExecutionReport(ExecutionReport report) => Reports.Add(report);
        public void OnCancelReject(OrderCancelRejected reject) { }
        public IEnumerable<ExecutionReport> Fills(string id) => Reports.Where(r => r.OrderId == id && r.IsFill);
    }

    private static Quote Q(double bid, double bidSize, double ask, double askSize, long ts = 0) => new("IBM", ts, ts, 0, bid, bidSize, ask, askSize, "X", "");

    private static Trade T(double price, double size, long ts = 0) => new("IBM", ts, ts, 0, price, size, "X", "");

    private static Order Buy(string id, double? limit, double qty, TimeInForce tif = TimeInForce.Day) =>
        new(id, "", "IBM", 0, Side.Buy, limit is null ? OrderType.Market : OrderType.Limit, tif, qty, limit, null, "", "REPLAY", "", []);

    [Fact]
    public void A_passive_order_waits_for_the_depth_ahead_of_it_to_trade()
    {
        var events = new Collector();
        var venue = new ReplayVenue(events);
        venue.OnQuote(Q(100.00, 500, 100.02, 300));
        venue.Submit(Buy("b", 100.00, 300), 1);
        Assert.Equal(500, venue.QueueAhead("b"));
        venue.OnTrade(T(100.00, 400));
        Assert.Empty(events.Fills("b"));
        Assert.Equal(100, venue.QueueAhead("b"));
        venue.OnTrade(T(100.00, 250));   // 100 clears the queue, 150 fills us
        Assert.Equal((150.0, 100.00, "maker"), (events.Fills("b").Single().LastQty, events.Fills("b").Single().LastPrice, events.Fills("b").Single().Liquidity));
        venue.OnTrade(T(99.99, 1_000));  // trade-through: the rest fills at our limit
        Assert.Equal((OrderStatus.Filled, 300.0), (events.Fills("b").Last().Status, events.Fills("b").Sum(f => f.LastQty)));
    }

    [Fact]
    public void Improving_the_touch_puts_us_first_and_behind_it_waits_for_the_touch()
    {
        var events = new Collector();
        var venue = new ReplayVenue(events);
        venue.OnQuote(Q(100.00, 500, 100.05, 300));
        venue.Submit(Buy("better", 100.01, 100), 1);
        venue.Submit(Buy("behind", 99.99, 100), 1);
        Assert.Equal((0.0, double.PositiveInfinity), (venue.QueueAhead("better")!.Value, venue.QueueAhead("behind")!.Value));
        venue.OnTrade(T(100.01, 60));
        Assert.Equal(60, events.Fills("better").Sum(f => f.LastQty));
        venue.OnQuote(Q(99.99, 700, 100.00, 200));   // the bid falls to our price: 700 ahead
        Assert.Equal(700, venue.QueueAhead("behind"));
    }

    [Fact]
    public void Marketable_orders_take_the_displayed_quote_and_the_rest_rests_or_is_cancelled()
    {
        var events = new Collector();
        var venue = new ReplayVenue(events, takerFeeBps: 0.3);
        venue.OnQuote(Q(100.00, 500, 100.02, 300));
        venue.Submit(Buy("m", null, 400), 1);
        var take = events.Fills("m").Single();
        Assert.Equal((300.0, 100.02, "taker"), (take.LastQty, take.LastPrice, take.Liquidity));
        Assert.Equal(300 * 100.02 * 0.3 / 1e4, take.Fee, 12);
        Assert.Equal((ExecType.Canceled, 300.0), (events.Reports.Last().ExecType, events.Reports.Last().CumQty));
        venue.Submit(Buy("fok", 100.02, 400, TimeInForce.Fok), 2);
        Assert.Empty(events.Fills("fok"));
        venue.Submit(Buy("lim", 100.02, 400), 3);
        Assert.Equal(300, events.Fills("lim").Sum(f => f.LastQty));
        Assert.Equal(0, venue.QueueAhead("lim")); // the rest now improves the bid
        venue.OnQuote(Q(100.00, 500, 100.01, 50)); // an ask below our limit reaches us
        Assert.Equal(350, events.Fills("lim").Sum(f => f.LastQty));
    }

    [Fact]
    public void Orders_without_a_quote_or_with_bad_fields_are_rejected()
    {
        var events = new Collector();
        var venue = new ReplayVenue(events);
        venue.Submit(Buy("early", 100, 10), 0);
        Assert.Contains("no recorded quote for IBM", events.Reports.Single().Text);
        venue.OnQuote(Q(100, 1, 101, 1));
        venue.Submit(Buy("zero", 100, 0), 0);
        Assert.Equal(ExecType.Rejected, events.Reports.Last().ExecType);
    }
}
