using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// Our initiator against an independent engine: the QuickFIX C++ 1.15 acceptor (tests/peers/quickfix-acceptor), over
/// loopback TCP, directly or through a fault-injecting proxy.
/// </summary>
[Collection("QuickFIX")]
public class QuickFixInteropTests
{
    private static long Now => Nanos.FromDateTimeOffset(DateTimeOffset.UtcNow);

    private static async Task<(FixInitiator Initiator, RecordingApplication App, MemoryFixLog Log)> ConnectAsync(int port, int heartBtInt = 30)
    {
        var app = new RecordingApplication();
        var log = new MemoryFixLog(keepMessages: true);
        var initiator = new FixInitiator(new FixSessionSettings("FLOW", "QFX") { ResetOnLogon = true, HeartBtIntSeconds = heartBtInt }, new MemoryFixMessageStore(), app, log);
        await initiator.ConnectAsync("127.0.0.1", port);
        return (initiator, app, log);
    }

    [Fact]
    public async Task Logon_then_order_ack_and_fill()
    {
        await using var quickfix = await QuickFixPeer.StartAsync();
        var (initiator, app, _) = await ConnectAsync(quickfix.Port);
        await using (initiator)
        {
            Assert.Equal(FixSessionState.LoggedOn, initiator.Session.State);
            initiator.Session.Send(FixOrderMessages.NewOrderSingle(FixSessionTests.NewOrder("qf-1", limit: 187.25), Now));
            await app.WaitUntilAsync(a => a.Reports.Count >= 2, "ack and fill from QuickFIX");
            var (ack, fill) = (app.Reports.First(), app.Reports.Last());
            Assert.Equal((ExecType.New, OrderStatus.New, "qf-1"), (ack.ExecType, ack.Status, ack.OrderId));
            Assert.Equal((ExecType.Trade, OrderStatus.Filled, 100.0, 187.25, 0.0), (fill.ExecType, fill.Status, fill.LastQty, fill.LastPrice, fill.LeavesQty));
        }
        Assert.Contains(quickfix.Output, l => l.StartsWith("LOGON"));
    }

    [Fact]
    public async Task Cancel_and_cancel_reject()
    {
        await using var quickfix = await QuickFixPeer.StartAsync();
        var (initiator, app, _) = await ConnectAsync(quickfix.Port);
        await using (initiator)
        {
            var resting = FixSessionTests.NewOrder("qf-rest", "HOLD");
            initiator.Session.Send(FixOrderMessages.NewOrderSingle(resting, Now));
            await app.WaitUntilAsync(a => a.Reports.Count >= 1, "ack");
            initiator.Session.Send(FixOrderMessages.CancelRequest("qf-cxl", resting, Now));
            await app.WaitUntilAsync(a => a.Reports.Any(r => r.ExecType == ExecType.Canceled), "cancel confirmation");
            initiator.Session.Send(FixOrderMessages.CancelRequest("qf-cxl-2", resting, Now));
            await app.WaitUntilAsync(a => !a.CancelRejects.IsEmpty, "cancel reject for the already cancelled order");
            var reject = app.CancelRejects.Single();
            Assert.Equal(("qf-cxl-2", "qf-rest", 1, OrderStatus.Rejected), (reject.ClOrdId, reject.OrigClOrdId, reject.Reason, reject.Status));
        }
    }

    [Fact]
    public async Task A_gap_we_create_is_filled_when_QuickFIX_asks_for_a_resend()
    {
        await using var quickfix = await QuickFixPeer.StartAsync();
        var (initiator, app, log) = await ConnectAsync(quickfix.Port);
        await using (initiator)
        {
            initiator.Session.SkipOutgoingSequenceNumbers(3);
            initiator.Session.Send(FixOrderMessages.NewOrderSingle(FixSessionTests.NewOrder("qf-gap"), Now));
            await app.WaitUntilAsync(a => a.Reports.Count >= 2, "fill after QuickFIX's resend request");
            Assert.Contains(log.Events, e => e.Contains("Received ResendRequest FROM: 2 TO: 0", StringComparison.Ordinal));
            Assert.Contains(log.Messages, m => m.StartsWith("in: ") && m.Contains("|35=2|"));
            Assert.Contains(log.Messages, m => m.StartsWith("out: ") && m.Contains("|35=4|") && m.Contains("|123=Y|"));
        }
    }

    [Fact]
    public async Task A_message_lost_on_the_way_to_us_is_recovered_by_our_resend_request()
    {
        await using var quickfix = await QuickFixPeer.StartAsync();
        await using var proxy = new TcpTapProxy(quickfix.Port);
        var (initiator, app, log) = await ConnectAsync(proxy.Port);
        await using (initiator)
        {
            proxy.DropNextFromServer(m => m.MsgTypeString == FixMsgType.ExecutionReport && m.Is(FixTag.ExecType, "0"));
            initiator.Session.Send(FixOrderMessages.NewOrderSingle(FixSessionTests.NewOrder("qf-lost"), Now));
            await app.WaitUntilAsync(a => a.Reports.Count >= 2, "the lost ack, resent, and the fill");
            Assert.Equal(1, proxy.Dropped);
            Assert.Contains(log.Events, e => e.Contains("MsgSeqNum too high, expecting 2 but received 3", StringComparison.Ordinal));
            Assert.Equal([ExecType.New, ExecType.Trade], app.Reports.Select(r => r.ExecType));
            Assert.Contains(log.Messages, m => m.StartsWith("in: ") && m.Contains("|35=8|") && m.Contains("|43=Y|"));
        }
    }

    [Fact]
    public async Task A_frozen_connection_ends_in_a_heartbeat_timeout()
    {
        await using var quickfix = await QuickFixPeer.StartAsync();
        await using var proxy = new TcpTapProxy(quickfix.Port);
        var (initiator, _, log) = await ConnectAsync(proxy.Port, heartBtInt: 1);
        await using (initiator)
        {
            proxy.Freeze();
            var deadline = DateTime.UtcNow.AddSeconds(6);
            while (initiator.Session.State != FixSessionState.Disconnected && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal(FixSessionState.Disconnected, initiator.Session.State);
            Assert.Contains("Timed out waiting for heartbeat", initiator.Session.DisconnectReason);
            Assert.Contains(log.Messages, m => m.StartsWith("out: ") && m.Contains("|35=1|"));
        }
    }

    [Fact]
    public async Task Heartbeats_flow_both_ways_on_an_idle_session()
    {
        await using var quickfix = await QuickFixPeer.StartAsync();
        var (initiator, _, log) = await ConnectAsync(quickfix.Port, heartBtInt: 1);
        await using (initiator)
        {
            await Task.Delay(2_500);
            Assert.Equal(FixSessionState.LoggedOn, initiator.Session.State);
            Assert.Contains(log.Messages, m => m.StartsWith("in: ") && m.Contains("|35=0|"));
            Assert.Contains(log.Messages, m => m.StartsWith("out: ") && m.Contains("|35=0|"));
        }
    }

    [Fact]
    public async Task Logout_is_acknowledged_and_an_unsupported_message_gets_QuickFIXs_business_reject()
    {
        await using var quickfix = await QuickFixPeer.StartAsync();
        var (initiator, app, log) = await ConnectAsync(quickfix.Port);
        var request = new FixOutbound(FixMsgType.MarketDataRequest);
        request.Body.Add(FixTag.MdReqId, "md-1").Add(FixTag.SubscriptionRequestType, '1').Add(FixTag.MarketDepth, 1)
            .Add(FixTag.NoMdEntryTypes, 1).Add(FixTag.MdEntryType, '0').Add(FixTag.NoRelatedSym, 1).Add(FixTag.Symbol, "MSFT");
        initiator.Session.Send(request);
        await app.WaitUntilAsync(a => !a.BusinessRejects.IsEmpty, "QuickFIX's business reject");
        Assert.StartsWith("3", app.BusinessRejects.Single());
        await initiator.DisposeAsync();
        Assert.Equal(FixSessionState.Disconnected, initiator.Session.State);
        Assert.Contains("counterparty logged out", initiator.Session.DisconnectReason);
        Assert.Contains(log.Messages, m => m.StartsWith("in: ") && m.Contains("|35=5|"));
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (!quickfix.Output.Any(l => l.StartsWith("LOGOUT")) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Contains(quickfix.Output, l => l.StartsWith("LOGOUT"));
    }
}
