using System.Globalization;
using Apache.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Gateways.Execution;
using CroweLogic.Flow.Gateways.Fix.Session;
using CroweLogic.Flow.Gateways.Tests;
using CroweLogic.Flow.Gateways.Venue;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>The lane against the venues behind the execution port: the simulated exchange in process and over FIX, and a paper session against QuickFIX.</summary>
[Collection("QuickFIX")]
public class VenueTests
{
    private static readonly TradingPolicy Policy = LanePropertyTests.Policy;

    internal static async IAsyncEnumerable<LaneMessage> Feed(RecordBatch all, int size)
    {
        var sequence = 0L;
        for (var start = 0; start < all.Length; start += size)
        {
            yield return new LaneMessage(new MarketBatch(MarketShape.Ticks, all.Slice(start, Math.Min(size, all.Length - start)), sequence++));
            await Task.Yield();
        }
    }

    internal static async Task<(LaneGraph Lane, LaneRecorder Sink, LaneRunResult Result)> Run(RecordBatch ticks, VenueSpec venue, int batch)
    {
        var sink = new LaneRecorder();
        var lane = new LaneGraph(Policy, new LaneOptions(MarketShape.Ticks, new SimulatedClock())
        {
            CleanAlign = CleanAlignSettings.Replay,
            Execution = names => ExecutionVenues.Open(venue, Policy, ticks: true, names),
        }, sink);
        try
        {
            return (lane, sink, await lane.RunAsync(Feed(ticks, batch)));
        }
        finally
        {
            if (lane.Venue.Client is IAsyncDisposable client) await client.DisposeAsync();
        }
    }

    private static string Reports(LaneRecorder sink) => string.Join("\n", sink.Reports.Select(r => string.Create(CultureInfo.InvariantCulture,
        $"{r.ExecId} {r.OrderId} {r.Ts} {r.ExecType} {r.Status} {r.LastQty:R} {r.LastPrice:R} {r.CumQty:R} {r.LeavesQty:R} {r.AvgPrice:R} {r.Fee:R} {r.Liquidity} {r.Text}")));

    private static string Orders(IEnumerable<Order> orders) => string.Join("\n", orders.Select(o => string.Create(CultureInfo.InvariantCulture,
        $"{o.OrderId} {o.ParentOrderId} {o.Instrument} {o.Ts} {o.Side} {o.Type} {o.TimeInForce} {o.Quantity:R} {o.LimitPrice:R}")));

    [Fact]
    public async Task The_simulated_exchange_fills_the_same_in_process_and_over_FIX_however_the_feed_is_cut()
    {
        var ticks = LanePropertyTests.Ticks(4000, 11);
        var (_, inProcess, result) = await Run(ticks, VenueSpec.Parse("sim"), 4096);
        Assert.True(inProcess.ChildOrders.Count > 20, $"the POV parents should be worked in children, got {inProcess.ChildOrders.Count}");
        Assert.True(result.Fills > 10, $"the children should fill, got {result.Fills}");
        Assert.Contains(inProcess.Reports, r => r.IsFill && r.Liquidity == "maker");
        var (_, overFix, _) = await Run(ticks, VenueSpec.Parse("sim+fix"), 4096);
        var (_, cut, _) = await Run(ticks, VenueSpec.Parse("sim"), 37);
        foreach (var other in new[] { overFix, cut })
        {
            Assert.Equal(Orders(inProcess.Orders), Orders(other.Orders));
            Assert.Equal(Orders(inProcess.ChildOrders), Orders(other.ChildOrders));
            Assert.Equal(Reports(inProcess), Reports(other));
            Assert.Equal(inProcess.Pnl.Select(p => (p.Instrument, p.Realized, p.Fees, p.Equity)), other.Pnl.Select(p => (p.Instrument, p.Realized, p.Fees, p.Equity)));
        }
        Assert.DoesNotContain(inProcess.RiskEvents, r => r.Kind is "unreconciled" or "agent_fault" or "stand_down");
    }

    [Fact]
    public async Task A_bar_feed_cannot_trade_on_the_simulated_exchange()
    {
        var error = Assert.Throws<ArgumentException>(() => ExecutionVenues.Open(VenueSpec.Parse("sim"), Policy, ticks: false, new Names()));
        Assert.Contains("matches orders against recorded quotes", error.Message);
    }

    [Theory]
    [InlineData("fix://host", "a FIX venue is fix://host:port")]
    [InlineData("fix://host:99999", "a FIX venue is fix://host:port")]
    [InlineData("fix://host:9878?colour=red", "unknown option 'colour'")]
    [InlineData("fix://host:9878?heartbeat=0", "heartbeat must be a positive number")]
    [InlineData("nyse", "is not one of replay, sim, sim+fix, fix://")]
    public void A_bad_venue_is_named(string text, string expected) => Assert.Contains(expected, Assert.Throws<FormatException>(() => VenueSpec.Parse(text)).Message);

    [Fact]
    public void A_venue_parses_with_its_options()
    {
        var spec = VenueSpec.Parse("fix://127.0.0.1:9878?sender=DESK&target=QFX&store=/tmp/fix&heartbeat=5");
        Assert.Equal(new VenueSpec(VenueKind.Fix, "127.0.0.1", 9878, "DESK", "QFX", "/tmp/fix", 5), spec);
        Assert.Equal("fix://127.0.0.1:9878", spec.ToString());
    }

    [Fact]
    public async Task A_paper_session_against_QuickFIX_survives_a_dropped_connection_without_losing_or_doubling_an_order()
    {
        await using var quickfix = await QuickFixPeer.StartAsync(persistent: true);
        await using var proxy = new TcpTapProxy(quickfix.Port);
        var ticks = LanePropertyTests.Ticks(3000, 5);
        const double speed = 30; // 60 s of ticks in about 2 s
        var clock = new ReplayClock(speed);
        var log = new MemoryFixLog(keepMessages: true);
        using var store = new TempDirectory("flow-fix-store-");
        FixExecutionClient? fix = null;
        var sink = new LaneRecorder();
        var lane = new LaneGraph(Policy, new LaneOptions(MarketShape.Ticks, clock)
        {
            CleanAlign = CleanAlignSettings.Default.ScaledBy(speed),
            Execution = names => new AlgorithmicExecutionClient(fix = new FixExecutionClient(
                new FixVenueOptions("127.0.0.1", proxy.Port) { TargetCompId = "QFX", Venue = "QFX", StoreDirectory = store.Path, ReconnectDelay = TimeSpan.FromMilliseconds(200) },
                () => clock.NowNanos, log: log), Policy, names),
        }, sink);
        var run = lane.RunAsync(PacedFeed.Pace(Feed(ticks, 50), clock));
        // Mid-session the network swallows everything for a moment, then the connection is reset.
        await Task.Delay(800);
        proxy.Freeze();
        await Task.Delay(300);
        proxy.Sever();
        var result = await run;
        await fix!.DisposeAsync();

        Assert.True(proxy.Connections >= 2, "the client should have reconnected");
        Assert.Contains(sink.RiskEvents, r => r.Kind == "venue_disconnected");
        Assert.True(sink.RiskEvents.Count(r => r.Kind == "venue_connected") >= 2, "logged on twice");
        Assert.DoesNotContain(sink.RiskEvents, r => r.Kind is "unreconciled" or "agent_fault" or "stand_down");
        // What the freeze swallowed was recovered by sequence numbers: QuickFIX asked us for a resend and we re-sent with PossDup, or the reverse.
        Assert.Contains(log.Messages, m => (m.StartsWith("in: ", StringComparison.Ordinal) || m.StartsWith("out: ", StringComparison.Ordinal)) && m.Contains("|35=2|", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.Contains("|43=Y|", StringComparison.Ordinal));

        // Every order the lane sent reached the venue exactly once, and every one of them ended.
        var atVenue = quickfix.Output.Where(l => l.StartsWith("ORDER ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();
        var sent = sink.ChildOrders.Select(o => o.OrderId).ToList();
        Assert.True(sent.Count > 20, $"the session should trade, sent {sent.Count}");
        Assert.Equal(atVenue.Count, atVenue.Distinct().Count());
        Assert.Equal(sent.Order(StringComparer.Ordinal), atVenue.Order(StringComparer.Ordinal));
        Assert.Equal(0, fix.Working);
        // No fill counted twice, and the lane's positions are the venue's.
        var fills = sink.Reports.Where(r => r.IsFill && r.OrderId.Contains('.')).ToList();
        Assert.Equal(fills.Count, fills.Select(f => f.ExecId).Distinct().Count());
        var ours = fills.GroupBy(f => f.Instrument).ToDictionary(g => g.Key, g => g.Sum(f => f.SignedLastQty));
        var venue = quickfix.Output.Where(l => l.StartsWith("FILL ", StringComparison.Ordinal)).Select(l => l.Split(' '))
            .GroupBy(f => f[2]).ToDictionary(g => g.Key, g => g.Sum(f => (f[3] == "1" ? 1 : -1) * double.Parse(f[4], CultureInfo.InvariantCulture)));
        Assert.Equal(venue.OrderBy(kv => kv.Key), ours.OrderBy(kv => kv.Key));
        Assert.Equal(sink.Reports.Where(r => r.IsFill && !r.OrderId.Contains('.')).Sum(r => r.SignedLastQty), fills.Sum(f => f.SignedLastQty));
        Assert.Equal(ticks.Length, result.Events);
    }

    [Fact]
    public async Task The_kill_switch_cancels_every_working_order_at_the_venue_and_closes_what_is_held_at_once()
    {
        var ticks = LanePropertyTests.Ticks(4000, 11);
        var cut = ticks.Length * 2 / 3;
        var ts = (Int64Array)ticks.Column("ts");
        var killTs = Enumerable.Range(0, cut).Max(i => ts.GetValue(i)!.Value);
        async IAsyncEnumerable<LaneMessage> Feed()
        {
            yield return new LaneMessage(new MarketBatch(MarketShape.Ticks, ticks.Slice(0, cut), 0));
            yield return new LaneMessage(new LaneCommand(LaneCommandKind.Kill, killTs, "test operator"));
            yield return new LaneMessage(new MarketBatch(MarketShape.Ticks, ticks.Slice(cut, ticks.Length - cut), 1));
            await Task.Yield();
        }
        var sink = new LaneRecorder();
        var lane = new LaneGraph(Policy, new LaneOptions(MarketShape.Ticks, new SimulatedClock())
        {
            CleanAlign = CleanAlignSettings.Replay,
            Execution = names => ExecutionVenues.Open(VenueSpec.Parse("sim"), Policy, ticks: true, names),
        }, sink);
        await lane.RunAsync(Feed());

        // Parents were being worked when the switch was thrown: each ended, named by it, and no child went out after.
        var stopped = sink.Reports.Where(r => r.ExecId.EndsWith("/done", StringComparison.Ordinal) && r.Text.Contains("kill switch: test operator", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(stopped);
        var late = sink.ChildOrders.Where(c => c.Ts > killTs).ToList();
        Assert.True(late.Count == 0, $"kill at {killTs}: {string.Join("; ", late.Take(3).Select(c => $"{c.OrderId} at {c.Ts}"))}; parents stopped: {string.Join(",", stopped.Select(r => r.OrderId))}");
        Assert.Equal(0, lane.Orders.Working);
        // The closing orders go out as they are (no algorithm) and are sized to what was held, not to what was working.
        var closing = sink.Orders.Where(o => o.Ts >= killTs).ToList();
        Assert.NotEmpty(closing);
        Assert.All(closing, o => Assert.Contains(o.Reasons, r => r.Contains("kill switch: test operator", StringComparison.Ordinal)));
        Assert.DoesNotContain(sink.ChildOrders, c => closing.Any(o => o.OrderId == c.ParentOrderId));
        Assert.All(closing, o => Assert.Equal((OrderType.Limit, TimeInForce.Ioc), (o.Type, o.TimeInForce)));
        var held = sink.Reports.Where(r => r.IsFill && r.Ts <= killTs && !r.OrderId.Contains('.')).GroupBy(r => r.Instrument).ToDictionary(g => g.Key, g => g.Sum(r => r.SignedLastQty));
        var first = closing.Where(o => o.Ts == closing.Min(c => c.Ts)).ToList();
        Assert.Equal(held.Where(h => h.Value != 0).OrderBy(h => h.Key), first.Select(o => KeyValuePair.Create(o.Instrument, o.Side == Side.Buy ? -o.Quantity : o.Quantity)).OrderBy(h => h.Key));
        // What the touch could not take at once is closed by the next decisions, never reversed.
        foreach (var (symbol, position) in held)
        {
            var after = position + sink.Reports.Where(r => r.IsFill && r.Ts > killTs && r.Instrument == symbol && !r.OrderId.Contains('.')).Sum(r => r.SignedLastQty);
            Assert.True(Math.Abs(after) <= Math.Abs(position) && Math.Sign(after) * Math.Sign(position) >= 0, $"{symbol}: held {position} at the kill, {after} at the end");
        }
        Assert.Contains(sink.RiskEvents, e => e.Kind == "kill_switch");
    }

    [Fact]
    public async Task A_venue_that_repeats_a_fill_and_fills_an_order_we_never_sent_is_caught_and_the_lane_stands_down_naming_it()
    {
        var venue = new ScriptedVenue();
        await using var acceptor = new FixAcceptor();
        acceptor.AddSession(new FixSessionSettings("BAD", "FLOW"), new MemoryFixMessageStore(), venue);
        var endpoint = acceptor.Start(System.Net.IPAddress.Loopback, 0);
        var policy = LanePropertyTests.Policy with { Execution = LanePropertyTests.Policy.Execution with { Algo = ExecutionSettings.Immediate } };
        const double speed = 30;
        var clock = new ReplayClock(speed);
        var sink = new LaneRecorder();
        FixExecutionClient? fix = null;
        var lane = new LaneGraph(policy, new LaneOptions(MarketShape.Ticks, clock)
        {
            CleanAlign = CleanAlignSettings.Default.ScaledBy(speed),
            Execution = names => new AlgorithmicExecutionClient(fix = new FixExecutionClient(new FixVenueOptions("127.0.0.1", endpoint.Port) { TargetCompId = "BAD", Venue = "BAD" }, () => clock.NowNanos), policy, names),
        }, sink);
        await lane.RunAsync(PacedFeed.Pace(Feed(LanePropertyTests.Ticks(3000, 5), 50), clock));
        await fix!.DisposeAsync();

        Assert.True(venue.Orders >= 3, $"the venue should have had orders, got {venue.Orders}");
        // The repeated fill is dropped with a note and counted once.
        var duplicate = Assert.Single(sink.RiskEvents, e => e.Kind == "duplicate_report");
        Assert.Contains($"execution report {venue.RepeatedExecId} for order {venue.FirstOrder} was received before: ignored", duplicate.Message);
        Assert.Single(sink.Reports, r => r.ExecId == venue.RepeatedExecId);
        // The fill for an order nobody sent stands the lane down, naming it.
        var unreconciled = Assert.Single(sink.RiskEvents, e => e.Kind == "unreconciled");
        Assert.Contains("names client order id ghost-1, which the lane never sent", unreconciled.Message);
        Assert.Contains(sink.RiskEvents, e => e.Kind == "stand_down" && e.Message.Contains("ghost-1", StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Reports, r => r.OrderId == "ghost-1");
    }

    /// <summary>A venue that misbehaves on purpose: it repeats its first fill and, after three orders, reports a fill for an order nobody sent.</summary>
    private sealed class ScriptedVenue : IFixApplication
    {
        private int _exec;

        public int Orders { get; private set; }

        public string FirstOrder { get; private set; } = "";

        public string RepeatedExecId { get; private set; } = "";

        public void FromApp(Gateways.Fix.FixMessage message, FixSession session)
        {
            if (message.MsgTypeString != Gateways.Fix.FixMsgType.NewOrderSingle) return;
            var order = Gateways.Fix.Messages.FixOrderMessages.ToOrder(message, "BAD");
            Orders++;
            var price = order.LimitPrice ?? 100;
            Send(session, order, ExecType.New, OrderStatus.New, 0, 0, order.Quantity);
            var fill = Send(session, order, ExecType.Trade, OrderStatus.Filled, order.Quantity, order.Quantity, 0, price);
            if (Orders == 1)
            {
                (FirstOrder, RepeatedExecId) = (order.OrderId, fill.ExecId);
                session.Send(Gateways.Fix.Messages.FixOrderMessages.ExecutionReport(fill, "V" + order.OrderId, order));
            }
            if (Orders == 3) Send(session, order with { OrderId = "ghost-1" }, ExecType.Trade, OrderStatus.Filled, 10, 10, 0, price);
        }

        private ExecutionReport Send(FixSession session, Order order, ExecType type, OrderStatus status, double last, double cum, double leaves, double price = 0)
        {
            var report = new ExecutionReport($"X{++_exec}", order.OrderId, order.Instrument, order.Ts, type, status, order.Side, last, price, cum, leaves, cum > 0 ? price : 0, 0, "BAD", "", "");
            session.Send(Gateways.Fix.Messages.FixOrderMessages.ExecutionReport(report, "V" + order.OrderId, order));
            return report;
        }
    }

    private sealed class Names : IInstrumentNames
    {
        public string Name(int id) => $"P{id}";
    }
}
