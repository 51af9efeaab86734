using System.Text;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// Garbage on the wire against our acceptor: every case must end in QuickFIX's answer (ignore, Reject, business reject
/// or disconnect), a logged reason, a live engine, and no acknowledged order lost.
/// </summary>
public class FixWireAbuseTests
{
    private static async Task<(LoopbackVenue Venue, RawFixPeer Peer)> LoggedOnAsync()
    {
        var venue = LoopbackVenue.Start();
        var peer = await RawFixPeer.ConnectAsync(venue.Port);
        await peer.LogonAsync();
        return (venue, peer);
    }

    private static async Task OrderIsAckedAsync(RawFixPeer peer, string id)
    {
        await peer.SendAsync(FixMsgType.NewOrderSingle, b => FixSessionTests.Order(b, id));
        var ack = await peer.ExpectAsync(FixMsgType.ExecutionReport);
        Assert.Equal(id, ack.GetString(FixTag.ClOrdId));
        await peer.ExpectAsync(FixMsgType.ExecutionReport);
    }

    [Fact]
    public async Task A_bad_checksum_is_ignored_without_consuming_a_sequence_number()
    {
        var (venue, peer) = await LoggedOnAsync();
        await using (venue)
        await using (peer)
        {
            var frame = peer.Frame(FixMsgType.NewOrderSingle, b => FixSessionTests.Order(b, "bad-sum"), seq: 2);
            frame[^2] = (byte)(frame[^2] == '9' ? '0' : frame[^2] + 1);
            await peer.SendRawAsync(frame);
            await OrderIsAckedAsync(peer, "good-after"); // seq 2 again: the garbled one did not count
            await venue.WaitForEventAsync("invalid message ignored: Expected CheckSum=");
            Assert.Equal(["good-after"], venue.Venue.Accepted.Select(o => o.OrderId));
        }
    }

    [Fact]
    public async Task A_wrong_body_length_is_ignored_and_the_next_frame_is_read()
    {
        var (venue, peer) = await LoggedOnAsync();
        await using (venue)
        await using (peer)
        {
            await peer.SendRawAsync("8=FIX.4.4|9=12|35=D|34=2|49=CLIENT|56=FLOW|10=000|");
            await OrderIsAckedAsync(peer, "after-bad-length");
            await venue.WaitForEventAsync("invalid message ignored: Expected BodyLength=28, Received BodyLength=12");
        }
    }

    [Fact]
    public async Task An_invalid_msg_type_gets_reject_11_and_an_unsupported_one_a_business_reject()
    {
        var (venue, peer) = await LoggedOnAsync();
        await using (venue)
        await using (peer)
        {
            await peer.SendAsync("ZZ");
            var reject = await peer.ExpectAsync(FixMsgType.Reject);
            Assert.Equal(("11", "2"), (reject.GetString(FixTag.SessionRejectReason), reject.GetString(FixTag.RefSeqNum)));
            await peer.SendAsync("R", b => b.Add(131, "quote-req-1").Add(FixTag.NoRelatedSym, 1).Add(FixTag.Symbol, "MSFT"));
            var business = await peer.ExpectAsync(FixMsgType.BusinessMessageReject);
            Assert.Equal(("3", "R", "3"), (business.GetString(FixTag.BusinessRejectReason), business.GetString(FixTag.RefMsgType), business.GetString(FixTag.RefSeqNum)));
            await OrderIsAckedAsync(peer, "after-rejects");
        }
    }

    [Fact]
    public async Task A_missing_required_tag_is_rejected_and_the_order_is_not_taken()
    {
        var (venue, peer) = await LoggedOnAsync();
        await using (venue)
        await using (peer)
        {
            await peer.SendAsync(FixMsgType.NewOrderSingle, b => b.Add(FixTag.ClOrdId, "no-side").Add(FixTag.Symbol, "MSFT").AddTimestamp(FixTag.TransactTime, 0).Add(FixTag.OrdType, '1'));
            var reject = await peer.ExpectAsync(FixMsgType.Reject);
            Assert.Equal(("1", "54"), (reject.GetString(FixTag.SessionRejectReason), reject.GetString(FixTag.RefTagId)));
            Assert.Empty(venue.Venue.Accepted);
            await OrderIsAckedAsync(peer, "complete");
        }
    }

    [Fact]
    public async Task An_application_level_problem_gets_a_business_reject_naming_the_field()
    {
        var (venue, peer) = await LoggedOnAsync();
        await using (venue)
        await using (peer)
        {
            // Valid FIX, but a limit order without a price: the venue refuses it with 380=5.
            await peer.SendAsync(FixMsgType.NewOrderSingle, b => b.Add(FixTag.ClOrdId, "no-price").Add(FixTag.Symbol, "MSFT").Add(FixTag.Side, '1')
                .AddTimestamp(FixTag.TransactTime, 0).Add(FixTag.OrderQty, 5).Add(FixTag.OrdType, '2'));
            var business = await peer.ExpectAsync(FixMsgType.BusinessMessageReject);
            Assert.Equal("5", business.GetString(FixTag.BusinessRejectReason));
            Assert.Contains("Price (44)", business.GetString(FixTag.Text));
        }
    }

    [Fact]
    public async Task An_oversized_frame_is_dropped_and_the_session_survives()
    {
        var (venue, peer) = await LoggedOnAsync();
        await using (venue)
        await using (peer)
        {
            var huge = peer.Frame(FixMsgType.NewOrderSingle, b => FixSessionTests.Order(b.Add(FixTag.Text, new string('x', 100_000)), "huge"), seq: 2);
            await peer.SendRawAsync(huge);
            await OrderIsAckedAsync(peer, "after-huge");
            await venue.WaitForEventAsync("exceeds the maximum message size");
        }
    }

    [Fact]
    public async Task A_megabyte_of_noise_is_skipped_and_orders_keep_flowing()
    {
        var (venue, peer) = await LoggedOnAsync();
        await using (venue)
        await using (peer)
        {
            await OrderIsAckedAsync(peer, "before-noise");
            var rnd = new Random(3);
            var noise = new byte[1 << 20];
            rnd.NextBytes(noise);
            for (var i = 0; i < noise.Length; i++) if (noise[i] == (byte)'8') noise[i] = (byte)'7'; // keep frame starts out of the noise
            await peer.SendRawAsync(noise);
            await OrderIsAckedAsync(peer, "after-noise");
            Assert.Equal(["before-noise", "after-noise"], venue.Venue.Accepted.Select(o => o.OrderId));
        }
    }

    [Fact]
    public async Task A_slow_loris_peer_is_disconnected()
    {
        var (venue, peer) = await LoggedOnAsync();
        await using (venue)
        await using (peer)
        {
            var frame = peer.Frame(FixMsgType.Heartbeat);
            await peer.SendRawAsync(frame[..10]); // and nothing more
            Assert.True(await peer.ClosedWithinAsync(TimeSpan.FromSeconds(4)));
            await venue.WaitForEventAsync("stayed incomplete");
        }
    }

    [Fact]
    public async Task A_connection_that_never_logs_on_is_dropped()
    {
        await using var venue = LoopbackVenue.Start();
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port);
        Assert.True(await peer.ClosedWithinAsync(TimeSpan.FromSeconds(6)));
        await venue.WaitForEventAsync("no Logon received");
    }

    [Fact]
    public async Task The_first_message_must_be_a_logon()
    {
        await using var venue = LoopbackVenue.Start();
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port);
        await peer.SendAsync(FixMsgType.NewOrderSingle, b => FixSessionTests.Order(b, "early"));
        Assert.True(await peer.ClosedWithinAsync(TimeSpan.FromSeconds(3)));
        Assert.Empty(venue.Venue.Accepted);
        await venue.WaitForEventAsync("connection refused: its first message is MsgType D, not a Logon");
    }

    [Fact]
    public async Task A_tag_that_is_not_a_number_makes_the_message_invalid_and_it_is_ignored()
    {
        var (venue, peer) = await LoggedOnAsync();
        await using (venue)
        await using (peer)
        {
            await peer.SendAsync(FixMsgType.Heartbeat, b => b.AddRaw(Encoding.ASCII.GetBytes("abc=1\u0001")), seq: 2);
            await OrderIsAckedAsync(peer, "after-bad-tag"); // seq 2 again: the invalid message consumed nothing
            await venue.WaitForEventAsync("invalid message ignored: Field tag is invalid: abc");
        }
    }

    [Fact]
    public async Task Numeric_tags_the_dictionary_does_not_know_get_reject_0()
    {
        var (venue, peer) = await LoggedOnAsync();
        await using (venue)
        await using (peer)
        {
            await peer.SendAsync(FixMsgType.Heartbeat, b => b.AddRaw(Encoding.ASCII.GetBytes("-1=HI\u0001")));
            var reject = await peer.ExpectAsync(FixMsgType.Reject);
            Assert.Equal(("0", "-1", "Invalid tag number"), (reject.GetString(FixTag.SessionRejectReason), reject.GetString(FixTag.RefTagId), reject.GetString(FixTag.Text)));
        }
    }

    [Fact]
    public async Task The_conformance_acceptor_echoes_orders_and_security_definitions_and_rejects_the_rest()
    {
        await using var venue = LoopbackVenue.Start(application: new FixConformanceApplication());
        await using var peer = await RawFixPeer.ConnectAsync(venue.Port);
        await peer.LogonAsync();
        await peer.SendAsync(FixMsgType.NewOrderSingle, b => FixSessionTests.Order(b, "echo-1"));
        var echo = await peer.ExpectAsync(FixMsgType.NewOrderSingle);
        Assert.Equal(("echo-1", "MSFT", "99.5"), (echo.GetString(FixTag.ClOrdId), echo.GetString(FixTag.Symbol), echo.GetString(FixTag.Price)));
        await peer.SendAsync(FixMsgType.SecurityDefinition, b => b.Add(FixTag.SecurityReqId, "s1").Add(FixTag.SecurityResponseId, "r1").Add(FixTag.SecurityResponseType, 1).Add(FixTag.Symbol, "ESZ6"));
        var definition = await peer.ExpectAsync(FixMsgType.SecurityDefinition);
        Assert.Equal("ESZ6", definition.GetString(FixTag.Symbol));
        await peer.SendAsync(FixMsgType.MarketDataRequest, b => b.Add(FixTag.MdReqId, "m1").Add(FixTag.SubscriptionRequestType, '1').Add(FixTag.MarketDepth, 1)
            .Add(FixTag.NoMdEntryTypes, 1).Add(FixTag.MdEntryType, '0').Add(FixTag.NoRelatedSym, 1).Add(FixTag.Symbol, "MSFT"));
        var reject = await peer.ExpectAsync(FixMsgType.BusinessMessageReject);
        Assert.Equal(("3", "V"), (reject.GetString(FixTag.BusinessRejectReason), reject.GetString(FixTag.RefMsgType)));
    }
}
