using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Agents;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>The order manager's verdicts on what a venue reports: each fault named, nothing counted twice.</summary>
public class OrderManagerTests
{
    private static Order Order(string id, double quantity = 100, string parent = "") =>
        new(id, parent, "IBM", 1, Side.Buy, OrderType.Limit, TimeInForce.Day, quantity, 180, null, "p", "SIM", "pol", []);

    private static ExecutionReport Report(string execId, string orderId, ExecType type, OrderStatus status, double last = 0, double cum = 0, double leaves = 0) =>
        new(execId, orderId, "IBM", 2, type, status, Side.Buy, last, last > 0 ? 180 : 0, cum, leaves, last > 0 ? 180 : 0, 0, "SIM", "", "");

    [Fact]
    public void A_duplicated_report_is_dropped_and_its_fill_counted_once()
    {
        var orders = new OrderManager();
        orders.Sent(Order("o1"));
        Assert.Equal(ReportVerdict.Accepted, orders.Apply(Report("e1", "o1", ExecType.New, OrderStatus.New, leaves: 100), out _));
        Assert.Equal(ReportVerdict.Accepted, orders.Apply(Report("e2", "o1", ExecType.Trade, OrderStatus.PartiallyFilled, 40, 40, 60), out _));
        Assert.Equal(ReportVerdict.Duplicate, orders.Apply(Report("e2", "o1", ExecType.Trade, OrderStatus.PartiallyFilled, 40, 40, 60), out var why));
        Assert.Equal("execution report e2 for order o1 was received before: ignored", why);
        Assert.Equal(40, orders.Filled("o1"));
    }

    [Fact]
    public void A_fill_for_an_order_the_lane_never_sent_is_named()
    {
        var orders = new OrderManager();
        Assert.Equal(ReportVerdict.Unknown, orders.Apply(Report("e9", "ghost", ExecType.Trade, OrderStatus.Filled, 10, 10), out var why));
        Assert.Equal("a fill of 10 IBM at 180 (execution e9) names client order id ghost, which the lane never sent", why);
    }

    [Fact]
    public void An_overfill_and_a_cumulative_quantity_that_disagrees_are_refused_with_the_numbers()
    {
        var orders = new OrderManager();
        orders.Sent(Order("o1"));
        orders.Apply(Report("e1", "o1", ExecType.Trade, OrderStatus.PartiallyFilled, 80, 80, 20), out _);
        Assert.Equal(ReportVerdict.Unreconciled, orders.Apply(Report("e2", "o1", ExecType.Trade, OrderStatus.Filled, 30, 110), out var over));
        Assert.Equal("order o1 (Buy 100 IBM) would be overfilled: 80 filled, then execution e2 of 30", over);
        orders.Sent(Order("o2"));
        Assert.Equal(ReportVerdict.Unreconciled, orders.Apply(Report("e3", "o2", ExecType.Trade, OrderStatus.PartiallyFilled, 10, 25, 75), out var cum));
        Assert.Equal("order o2: the venue reports 25 filled (execution e3), the lane's fills add up to 10", cum);
    }

    [Fact]
    public void Reports_out_of_order_never_move_an_order_back_and_a_late_one_is_kept_as_stale()
    {
        var orders = new OrderManager();
        orders.Sent(Order("o1"));
        Assert.Equal(1, orders.Working);
        // The fill overtook the acknowledgement (a resend, say): the ack is history.
        Assert.Equal(ReportVerdict.Accepted, orders.Apply(Report("e2", "o1", ExecType.Trade, OrderStatus.PartiallyFilled, 50, 50, 50), out _));
        Assert.Equal(ReportVerdict.Stale, orders.Apply(Report("e1", "o1", ExecType.New, OrderStatus.New, leaves: 100), out var why));
        Assert.Equal("execution report e1 (New) came after order o1 was already PartiallyFilled", why);
        Assert.Equal(OrderState.PartiallyFilled, orders.State("o1"));
        Assert.Equal(ReportVerdict.Accepted, orders.Apply(Report("e3", "o1", ExecType.Trade, OrderStatus.Filled, 50, 100), out _));
        Assert.Equal(ReportVerdict.Stale, orders.Apply(Report("e4", "o1", ExecType.Canceled, OrderStatus.Canceled, cum: 100), out _));
        Assert.Equal((OrderState.Filled, 0), (orders.State("o1")!.Value, orders.Working));
    }

    [Fact]
    public void A_child_must_name_a_parent_the_lane_sent_and_its_own_id_once()
    {
        var orders = new OrderManager();
        Assert.Equal("child c1 names parent p9, which the lane never sent", orders.ChildSent(Order("c1", parent: "p9")));
        orders.Sent(Order("p1", 1000));
        Assert.Null(orders.ChildSent(Order("p1.1", 100, "p1")));
        Assert.Equal("child client order id p1.1 was used before", orders.ChildSent(Order("p1.1", 100, "p1")));
        Assert.Equal(["p1"], orders.Open.Select(o => o.ClOrdId));
        var reuse = Assert.Throws<InvalidOperationException>(() => orders.Sent(Order("p1")));
        Assert.Contains("client order id p1 was used before", reuse.Message);
    }
}
