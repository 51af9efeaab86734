using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Fix.Session;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>The session layer end to end over loopback TCP: our initiator against our acceptor, and a raw-socket peer
/// for the cases a well-behaved engine never produces.</summary>
public class FixSessionTests
{
    private static long Now => Nanos.FromDateTimeOffset(DateTimeOffset.UtcNow);

    internal static Order NewOrder(string id, string symbol = "MSFT", double quantity = 100, double? limit = 412.5) =>
        new(id, "", symbol, Now, Side.Buy, limit is null ? OrderType.Market : OrderType.Limit, TimeInForce.Day, quantity, limit, null, "ACC1", "TEST", "", []);

    private static async Task<(FixInitiator Initiator, RecordingApplication App)> ConnectAsync(int port, FixSessionSettings? settings = null, IFixMessageStore? store = null)
    {
        var app = new RecordingApplication();
        var initiator = new FixInitiator(settings ?? new FixSessionSettings("CLIENT", "FLOW") { ResetOnLogon = true }, store ?? new MemoryFixMessageStore(), app);
        await initiator.ConnectAsync("127.0.0.1", port);
        return (initiator, app);
    }

    [Fact]
    public async Task Logon_order_ack_fill_cancel_and_cancel_reject()
    {
        await using var venue = LoopbackVenue.Start();
        var (initiator, app) = await ConnectAsync(venue.Port);
        await using (initiator)
        {
            Assert.Equal(FixSessionState.LoggedOn, initiator.Session.State);
            var order = NewOrder("o-1");
            initiator.Session.Send(FixOrderMessages.NewOrderSingle(order, Now));
            await app.WaitUntilAsync(a => a.Reports.Count >= 2, "ack and fill");
            var reports = app.Reports.ToArray();
            Assert.Equal((ExecType.New, OrderStatus.New), (reports[0].ExecType, reports[0].Status));
            Assert.Equal((ExecType.Trade, OrderStatus.Filled, 100.0, 412.5), (reports[1].ExecType, reports[1].Status, reports[1].LastQty, reports[1].LastPrice));
            Assert.Equal("o-1", reports[1].OrderId);

            var resting = NewOrder("o-2", "HOLD");
            initiator.Session.Send(FixOrderMessages.NewOrderSingle(resting, Now));
            initiator.Session.Send(FixOrderMessages.CancelRequest("c-2", resting, Now));
            await app.WaitUntilAsync(a => a.Reports.Any(r => r.ExecType == ExecType.Canceled), "cancel confirmation");
            Assert.Equal(OrderStatus.Canceled, app.Reports.Last().Status);

            initiator.Session.Send(FixOrderMessages.CancelRequest("c-3", NewOrder("never-sent"), Now));
            await app.WaitUntilAsync(a => !a.CancelRejects.IsEmpty, "cancel reject");
            var reject = app.CancelRejects.Single();
            Assert.Equal(("c-3", "never-sent", 1, OrderStatus.Rejected), (reject.ClOrdId, reject.OrigClOrdId, reject.Reason, reject.Status));
        }
        Assert.Equal(FixSessionState.Disconnected, initiator.Session.State);
        Assert.Equal(2, venue.Venue.Accepted.Count);
    }

    [Fact]
    public async Task A_forced_gap_is_detected_and_filled_and_the_order_still_arrives()
    {
        await using var venue = LoopbackVenue.Start();
        var (initiator, app) = await ConnectAsync(venue.Port);
        await using (initiator)
        {
            initiator.Session.SkipOutgoingSequenceNumbers(3);
            initiator.Session.Send(FixOrderMessages.NewOrderSingle(NewOrder("gap-1"), Now));
            await app.WaitUntilAsync(a => a.Reports.Count >= 2, "fill after the gap fill");
            Assert.True(venue.Logged("MsgSeqNum too high, expecting 2 but received 5"));
            Assert.Contains(venue.Log.Messages, m => m.StartsWith("in: ") && m.Contains("|35=4|") && m.Contains("|123=Y|") && m.Contains("|36=5|"));
            Assert.Equal(6, venue.Session.NextTargetSeqNum);
        }
    }

    [Fact]
    public async Task Messages_beyond_a_gap_are_queued_and_processed_in_order_once_it_is_filled()
    {
        await using var venue = LoopbackVenue.Start();
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port);
        await peer.LogonAsync();
        await peer.SendAsync(FixMsgType.NewOrderSingle, b => Order(b, "q-3"), seq: 3);
        await peer.SendAsync(FixMsgType.NewOrderSingle, b => Order(b, "q-4"), seq: 4);
        var resend = await peer.ExpectAsync(FixMsgType.ResendRequest);
        Assert.Equal("2", resend.GetString(FixTag.BeginSeqNo));
        await peer.SendAsync(FixMsgType.SequenceReset, b => b.Add(FixTag.GapFillFlag, true).Add(FixTag.NewSeqNo, 3), seq: 2,
            header: h => h.Add(FixTag.PossDupFlag, true).AddTimestamp(FixTag.OrigSendingTime, Now));
        var ids = new List<string>();
        for (var i = 0; i < 4; i++) ids.Add((await peer.ExpectAsync(FixMsgType.ExecutionReport)).GetString(FixTag.ClOrdId)!);
        Assert.Equal(["q-3", "q-3", "q-4", "q-4"], ids);
        Assert.Equal(5, venue.Session.NextTargetSeqNum);
    }

    [Fact]
    public async Task A_resend_request_is_answered_with_possdup_resends_and_gap_fills()
    {
        await using var venue = LoopbackVenue.Start();
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port);
        await peer.LogonAsync();
        await peer.SendAsync(FixMsgType.NewOrderSingle, b => Order(b, "r-1"));
        await peer.ExpectAsync(FixMsgType.ExecutionReport);
        var fill = await peer.ExpectAsync(FixMsgType.ExecutionReport);
        await peer.SendAsync(FixMsgType.ResendRequest, b => b.Add(FixTag.BeginSeqNo, 1).Add(FixTag.EndSeqNo, 0));
        var gapFill = await peer.ExpectAsync(FixMsgType.SequenceReset);
        Assert.Equal((1, "Y", "Y", "2"), (gapFill.SeqNum, gapFill.GetString(FixTag.GapFillFlag), gapFill.GetString(FixTag.PossDupFlag), gapFill.GetString(FixTag.NewSeqNo)));
        var ack = await peer.ExpectAsync(FixMsgType.ExecutionReport);
        var again = await peer.ExpectAsync(FixMsgType.ExecutionReport);
        Assert.Equal((2, true), (ack.SeqNum, ack.IsPossDup));
        Assert.Equal((3, true, fill.GetString(FixTag.ExecId)), (again.SeqNum, again.IsPossDup, again.GetString(FixTag.ExecId)));
        Assert.Equal(fill.GetString(FixTag.SendingTime), again.GetString(FixTag.OrigSendingTime));
    }

    [Fact]
    public async Task A_silent_counterparty_gets_a_test_request_then_is_disconnected()
    {
        await using var venue = LoopbackVenue.Start();
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port);
        await peer.LogonAsync(heartBtInt: 1);
        var test = await peer.ExpectAsync(FixMsgType.TestRequest, seconds: 4);
        Assert.NotNull(test.GetString(FixTag.TestReqId));
        Assert.True(await peer.ClosedWithinAsync(TimeSpan.FromSeconds(4)));
        await venue.WaitForEventAsync("Timed out waiting for heartbeat");
        Assert.Equal(FixSessionState.Disconnected, venue.Session.State);
    }

    [Fact]
    public async Task A_test_request_is_answered_with_its_id()
    {
        await using var venue = LoopbackVenue.Start();
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port);
        await peer.LogonAsync();
        await peer.SendAsync(FixMsgType.TestRequest, b => b.Add(FixTag.TestReqId, "probe-7"));
        var heartbeat = await peer.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((FixMsgType.Heartbeat, "probe-7"), (heartbeat!.MsgTypeString, heartbeat.GetString(FixTag.TestReqId)));
    }

    [Fact]
    public async Task A_sequence_number_lower_than_expected_ends_the_session()
    {
        await using var venue = LoopbackVenue.Start();
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port);
        await peer.LogonAsync();
        await peer.SendAsync(FixMsgType.Heartbeat, seq: 1);
        var logout = await peer.ExpectAsync(FixMsgType.Logout);
        Assert.Contains("MsgSeqNum too low, expecting 2 but received 1", logout.GetString(FixTag.Text));
        Assert.True(await peer.ClosedWithinAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task A_possdup_duplicate_is_ignored_and_the_session_continues()
    {
        await using var venue = LoopbackVenue.Start();
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port);
        await peer.LogonAsync();
        await peer.SendAsync(FixMsgType.NewOrderSingle, b => Order(b, "d-1"));
        await peer.ExpectAsync(FixMsgType.ExecutionReport);
        await peer.ExpectAsync(FixMsgType.ExecutionReport);
        await peer.SendAsync(FixMsgType.NewOrderSingle, b => Order(b, "d-1"), seq: 2, header: h => h.Add(FixTag.PossDupFlag, true).AddTimestamp(FixTag.OrigSendingTime, Now - 1_000_000_000));
        await peer.SendAsync(FixMsgType.TestRequest, b => b.Add(FixTag.TestReqId, "after-dup"));
        var next = await peer.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("after-dup", next!.GetString(FixTag.TestReqId));
        Assert.Single(venue.Venue.Accepted);
        Assert.Equal(4, venue.Session.NextTargetSeqNum); // the duplicate consumed nothing; the TestRequest (3) did
    }

    [Fact]
    public async Task A_stale_sending_time_is_rejected_with_reason_10_and_logged_out()
    {
        await using var venue = LoopbackVenue.Start();
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port);
        await peer.LogonAsync();
        await peer.SendAsync(FixMsgType.Heartbeat, sendingTime: Now - 600_000_000_000L);
        var reject = await peer.ExpectAsync(FixMsgType.Reject);
        Assert.Equal(("10", "SendingTime accuracy problem", null), (reject.GetString(FixTag.SessionRejectReason), reject.GetString(FixTag.Text), reject.GetString(FixTag.RefTagId)));
        await peer.ExpectAsync(FixMsgType.Logout);
        Assert.True(await peer.ClosedWithinAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Unknown_comp_ids_are_closed_without_a_reply()
    {
        await using var venue = LoopbackVenue.Start();
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port, sender: "STRANGER");
        await peer.SendAsync(FixMsgType.Logon, b => b.Add(FixTag.EncryptMethod, 0).Add(FixTag.HeartBtInt, 30));
        Assert.Null(await peer.ReceiveAsync(TimeSpan.FromSeconds(3)));
        Assert.True(peer.Closed);
        Assert.True(venue.Logged("connection refused: no session FIX.4.4:FLOW->STRANGER"));
    }

    [Fact]
    public async Task Bad_credentials_are_refused_with_a_logout()
    {
        await using var venue = LoopbackVenue.Start(venue: new TestVenueApplication { RequiredPassword = "s3cret" });
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port);
        await peer.SendAsync(FixMsgType.Logon, b => b.Add(FixTag.EncryptMethod, 0).Add(FixTag.HeartBtInt, 30).Add(FixTag.Username, "u").Add(FixTag.Password, "wrong"));
        var logout = await peer.ExpectAsync(FixMsgType.Logout);
        Assert.Contains("authentication failed", logout.GetString(FixTag.Text));
        await using var good = await RawFixPeer.ConnectAsync(venue.Port);
        await good.LogonAsync(password: "s3cret");
    }

    [Fact]
    public async Task A_second_connection_for_a_logged_on_session_is_refused()
    {
        await using var venue = LoopbackVenue.Start();
        await using var first = await RawFixPeer.ConnectAsync(venue.Port);
        await first.LogonAsync();
        await using var second = await RawFixPeer.ConnectAsync(venue.Port);
        await second.SendAsync(FixMsgType.Logon, b => b.Add(FixTag.EncryptMethod, 0).Add(FixTag.HeartBtInt, 30));
        Assert.True(await second.ClosedWithinAsync(TimeSpan.FromSeconds(3)));
        await first.SendAsync(FixMsgType.TestRequest, b => b.Add(FixTag.TestReqId, "still-here"));
        Assert.Equal("still-here", (await first.ReceiveAsync(TimeSpan.FromSeconds(5)))!.GetString(FixTag.TestReqId));
    }

    [Fact]
    public async Task Sequence_numbers_and_sent_messages_survive_a_restart()
    {
        using var dir = new TempDirectory();
        var clientDir = dir.File("client");
        var venueDir = dir.File("venue");
        var settings = new FixSessionSettings("CLIENT", "FLOW");
        using (var firstVenueStore = new FileFixMessageStore(venueDir))
        await using (var venue = LoopbackVenue.Start(store: firstVenueStore))
        {
            using var store = new FileFixMessageStore(clientDir);
            var (initiator, app) = await ConnectAsync(venue.Port, settings, store);
            await using (initiator)
            {
                initiator.Session.Send(FixOrderMessages.NewOrderSingle(NewOrder("p-1"), Now));
                await app.WaitUntilAsync(a => a.Reports.Count >= 2, "fill");
            }
        }
        // Both processes "restart": stores reopened from disk, no sequence reset.
        using var venueStore = new FileFixMessageStore(venueDir);
        Assert.Equal((5, 4), (venueStore.NextSenderSeqNum, venueStore.NextTargetSeqNum)); // venue sent logon, ack, fill, logout; client sent logon, order, logout
        Assert.Equal(3, venueStore.Get(1, 10).Count(m => FixMessage.Parse(m.Frame).MsgTypeString != FixMsgType.Logon));
        await using var restarted = LoopbackVenue.Start(store: venueStore);
        using var clientStore = new FileFixMessageStore(clientDir);
        var (again, app2) = await ConnectAsync(restarted.Port, settings, clientStore);
        await using (again)
        {
            Assert.True(again.Session.NextSenderSeqNum > 4);
            again.Session.Send(FixOrderMessages.NewOrderSingle(NewOrder("p-2"), Now));
            await app2.WaitUntilAsync(a => a.Reports.Count >= 2, "fill after restart");
        }
    }

    [Fact]
    public async Task Reset_on_logon_starts_both_sides_at_one()
    {
        await using var venue = LoopbackVenue.Start();
        for (var round = 0; round < 2; round++)
        {
            var (initiator, app) = await ConnectAsync(venue.Port);
            await using (initiator)
            {
                initiator.Session.Send(FixOrderMessages.NewOrderSingle(NewOrder($"z-{round}"), Now));
                await app.WaitUntilAsync(a => a.Reports.Count >= 2, "fill");
                Assert.Equal(3, initiator.Session.NextSenderSeqNum);
                Assert.Equal(4, initiator.Session.NextTargetSeqNum);
            }
        }
    }

    [Fact]
    public async Task Sending_before_logon_is_refused_with_a_reason()
    {
        var initiator = new FixInitiator(new FixSessionSettings("CLIENT", "FLOW"), new MemoryFixMessageStore(), new RecordingApplication());
        Assert.Contains("not logged on", Assert.Throws<FixSessionException>(() => initiator.Session.Send(FixOrderMessages.NewOrderSingle(NewOrder("x"), Now))).Message);
        var error = await Assert.ThrowsAsync<FixSessionException>(() => initiator.ConnectAsync("127.0.0.1", 1));
        Assert.Contains("cannot connect to 127.0.0.1:1", error.Message);
    }

    internal static void Order(FixFieldWriter b, string id, string symbol = "MSFT") =>
        b.Add(FixTag.ClOrdId, id).Add(FixTag.Symbol, symbol).Add(FixTag.Side, '1').AddTimestamp(FixTag.TransactTime, Now)
            .Add(FixTag.OrderQty, 10).Add(FixTag.OrdType, '2').Add(FixTag.Price, 99.5m);
}
