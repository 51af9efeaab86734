using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>The venue around the book: latency, grids, fees, reports, cancel/replace semantics, bands with pauses, sessions, publication.</summary>
public class SimulatedExchangeTests
{
    private const long Ms = 1_000_000;

    private sealed class Collector : IVenueSubscriber
    {
        public List<ExecutionReport> Reports { get; } = [];
        public List<OrderCancelRejected> CancelRejects { get; } = [];
        public List<BookDelta> Deltas { get; } = [];
        public List<Trade> Trades { get; } = [];
        public void OnExecutionReport(ExecutionReport report) => Reports.Add(report);
        public void OnCancelReject(OrderCancelRejected reject) => CancelRejects.Add(reject);
        public void OnBookDelta(BookDelta delta) => Deltas.Add(delta);
        public void OnTrade(Trade trade) => Trades.Add(trade);
        public IEnumerable<ExecutionReport> For(string id) => Reports.Where(r => r.OrderId == id);
    }

    private static Order Limit(string id, Side side, double price, double qty, string account = "A", TimeInForce tif = TimeInForce.Day) =>
        new(id, "", "MSFT", 0, side, OrderType.Limit, tif, qty, price, null, account, "SIM", "", []);

    private static Order Market(string id, Side side, double qty, string account = "B") =>
        new(id, "", "MSFT", 0, side, OrderType.Market, TimeInForce.Ioc, qty, null, null, account, "SIM", "", []);

    private static (SimulatedExchange Exchange, Collector Events) Create(long latency = 0, double band = 0.05)
    {
        var events = new Collector();
        var exchange = new SimulatedExchange([new VenueInstrument("MSFT", 0.01, 1, MakerFeeBps: -0.2, TakerFeeBps: 0.3, PriceBand: band, HaltSeconds: 300)], events, latencyNs: latency);
        return (exchange, events);
    }

    [Fact]
    public void Requests_take_effect_after_the_latency()
    {
        var (exchange, events) = Create(latency: 2 * Ms);
        exchange.Submit(Limit("o1", Side.Buy, 100.00, 10), 10 * Ms);
        exchange.AdvanceTo(11 * Ms);
        Assert.Empty(events.Reports);
        exchange.AdvanceTo(12 * Ms);
        var ack = events.Reports.Single();
        Assert.Equal((ExecType.New, OrderStatus.New, 12 * Ms, 10.0), (ack.ExecType, ack.Status, ack.Ts, ack.LeavesQty));
    }

    [Fact]
    public void Fills_carry_maker_rebates_taker_fees_and_running_averages()
    {
        var (exchange, events) = Create();
        exchange.Submit(Limit("s1", Side.Sell, 100.00, 10), 0);
        exchange.Submit(Limit("s2", Side.Sell, 100.02, 10), 0);
        exchange.Submit(Market("b1", Side.Buy, 15), 0);
        exchange.AdvanceTo(1);
        var taker = events.For("b1").Where(r => r.IsFill).ToList();
        Assert.Equal([(10.0, 100.00), (5.0, 100.02)], taker.Select(r => (r.LastQty, r.LastPrice)));
        Assert.Equal((15.0, 0.0, OrderStatus.Filled), (taker[^1].CumQty, taker[^1].LeavesQty, taker[^1].Status));
        Assert.Equal((10 * 100.00 + 5 * 100.02) / 15, taker[^1].AvgPrice, 10);
        Assert.Equal(1000.0 * 0.3 / 1e4, taker[0].Fee, 12);
        var maker = events.For("s1").Single(r => r.IsFill);
        // Fees and average prices are published to 1e-10, as a venue's reports carry decimals.
        Assert.Equal(-1000.0 * 0.2 / 1e4, maker.Fee, 10);
        Assert.Equal("maker", maker.Liquidity);
        var partial = events.For("s2").Single(r => r.IsFill);
        Assert.Equal((OrderStatus.PartiallyFilled, 5.0, 5.0), (partial.Status, partial.CumQty, partial.LeavesQty));
        Assert.Equal([(100.00, 10.0), (100.02, 5.0)], events.Trades.Select(t => (t.Price, t.Size)));
        Assert.Contains(events.Deltas, d => d.Side == BookSide.Ask && d.Action == BookAction.Delete && d.Price == 100.00);
    }

    [Fact]
    public void Off_grid_and_unlisted_orders_are_rejected_with_reasons()
    {
        var (exchange, events) = Create();
        exchange.Submit(Limit("x1", Side.Buy, 100.005, 10), 0);
        exchange.Submit(Limit("x2", Side.Buy, 100.00, 0), 0);
        exchange.Submit(Limit("x3", Side.Buy, 100.00, 10) with { Instrument = "NOPE" }, 0);
        exchange.AdvanceTo(1);
        Assert.All(events.Reports, r => Assert.Equal(ExecType.Rejected, r.ExecType));
        Assert.Contains("tick size 0.01", events.Reports[0].Text);
        Assert.Contains("lot size", events.Reports[1].Text);
        Assert.Contains("NOPE is not listed on SIM", events.Reports[2].Text);
    }

    [Fact]
    public void Cancel_and_replace_follow_fix_semantics()
    {
        var (exchange, events) = Create();
        exchange.Submit(Limit("a", Side.Buy, 99.00, 10), 0);
        exchange.Submit(Limit("b", Side.Buy, 99.00, 10, account: "B"), 0);
        exchange.Replace("MSFT", "a2", "a", 6, 99.00, 0);   // size down: keeps priority, ClOrdID becomes a2
        exchange.Cancel("MSFT", "bx", "b", 0);
        exchange.Cancel("MSFT", "zz", "unknown", 0);
        exchange.AdvanceTo(1);
        var replaced = events.Reports.Single(r => r.ExecType == ExecType.Replaced);
        Assert.Equal(("a2", 6.0), (replaced.OrderId, replaced.LeavesQty));
        Assert.Equal(0, exchange.Book("MSFT").QuantityAhead(exchange.Book("MSFT").Orders(Side.Buy)[0].OrderId));
        var canceled = events.Reports.Single(r => r.ExecType == ExecType.Canceled);
        Assert.Equal(("bx", OrderStatus.Canceled), (canceled.OrderId, canceled.Status));
        Assert.Equal(("zz", "unknown", 1), (events.CancelRejects.Single().ClOrdId, events.CancelRejects.Single().OrigClOrdId, events.CancelRejects.Single().Reason));
        exchange.Submit(Market("m", Side.Sell, 6), 2);
        exchange.AdvanceTo(3);
        Assert.Equal(OrderStatus.Filled, events.For("a2").Last().Status);
    }

    [Fact]
    public void A_sweep_stopped_by_the_band_pauses_trading_then_resumes_around_the_last_price()
    {
        var (exchange, events) = Create();
        exchange.SetReferencePrice("MSFT", 100);
        exchange.Submit(Limit("s1", Side.Sell, 104.00, 5), 0);
        exchange.Submit(Limit("s2", Side.Sell, 106.00, 5), 0);
        exchange.Submit(Market("sweep", Side.Buy, 8), 0);
        exchange.AdvanceTo(1);
        var cancel = events.For("sweep").Last();
        Assert.Equal((ExecType.Canceled, 5.0), (cancel.ExecType, cancel.CumQty));
        Assert.Contains("limit-up/limit-down", cancel.Text);
        Assert.Equal(TradingState.Halted, exchange.Book("MSFT").State);
        exchange.Submit(Limit("during", Side.Buy, 101.00, 1), 10 * Ms);
        exchange.AdvanceTo(11 * Ms);
        Assert.Contains("halted", events.For("during").Single().Text);
        exchange.AdvanceTo(301_000 * Ms);
        Assert.Equal(TradingState.Open, exchange.Book("MSFT").State);
        Assert.Equal((long)Math.Ceiling(104 * 0.95 / 0.01 - 1e-9), exchange.Book("MSFT").LowerBand); // re-centred on 104
        exchange.Submit(Market("after", Side.Buy, 5), 301_000 * Ms);
        exchange.AdvanceTo(301_001 * Ms);
        Assert.Equal(106.00, events.For("after").Single(r => r.IsFill).LastPrice);
    }

    [Fact]
    public void The_close_expires_day_orders_and_keeps_gtc()
    {
        var (exchange, events) = Create();
        exchange.Submit(Limit("day", Side.Buy, 99.00, 10), 0);
        exchange.Submit(Limit("gtc", Side.Buy, 98.00, 10, tif: TimeInForce.Gtc), 0);
        exchange.AdvanceTo(1);
        exchange.CloseSession();
        Assert.Equal((ExecType.Expired, OrderStatus.Expired), (events.For("day").Last().ExecType, events.For("day").Last().Status));
        Assert.Equal(98 * 100, exchange.Book("MSFT").BestBid);
    }
}
