using System.Net;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Fix.Session;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>The simulated exchange as a FIX acceptor: two firms trading with each other, market data, and a disconnected firm's fills.</summary>
public class SimulatedExchangeFixTests
{
    private static long Now => Nanos.FromDateTimeOffset(DateTimeOffset.UtcNow);

    private sealed class MarketDataRecorder : IFixApplication
    {
        public RecordingApplication Orders { get; } = new();
        public System.Collections.Concurrent.ConcurrentQueue<FixMessage> MarketData { get; } = new();

        public void FromApp(FixMessage message, FixSession session)
        {
            if (message.MsgTypeString is FixMsgType.MarketDataSnapshotFullRefresh or FixMsgType.MarketDataIncrementalRefresh or FixMsgType.MarketDataRequestReject)
                MarketData.Enqueue(message.Clone());
            else Orders.FromApp(message, session);
        }
    }

    private static async Task<(FixAcceptor Acceptor, SimulatedExchangeFixApplication Venue)> StartAsync()
    {
        var venue = new SimulatedExchangeFixApplication([new VenueInstrument("MSFT", 0.01, MakerFeeBps: -0.2, TakerFeeBps: 0.3, PriceBand: 0)]);
        var acceptor = new FixAcceptor(new MemoryFixLog());
        acceptor.AddSession(new FixSessionSettings("SIM", "BUYER"), new MemoryFixMessageStore(), venue);
        acceptor.AddSession(new FixSessionSettings("SIM", "SELLER"), new MemoryFixMessageStore(), venue);
        acceptor.Start(IPAddress.Loopback, 0);
        await Task.CompletedTask;
        return (acceptor, venue);
    }

    private static Order Limit(string id, Side side, double price, double qty) =>
        new(id, "", "MSFT", Now, side, OrderType.Limit, TimeInForce.Day, qty, price, null, "", "SIM", "", []);

    [Fact]
    public async Task Two_firms_trade_with_maker_and_taker_fees_and_see_market_data()
    {
        var (acceptor, venue) = await StartAsync();
        await using (acceptor)
        await using (venue)
        {
            var port = acceptor.Endpoint!.Port;
            var seller = new RecordingApplication();
            var buyer = new MarketDataRecorder();
            await using var sellerFix = new FixInitiator(new FixSessionSettings("SELLER", "SIM") { ResetOnLogon = true }, new MemoryFixMessageStore(), seller);
            await using var buyerFix = new FixInitiator(new FixSessionSettings("BUYER", "SIM") { ResetOnLogon = true }, new MemoryFixMessageStore(), buyer);
            await sellerFix.ConnectAsync("127.0.0.1", port);
            await buyerFix.ConnectAsync("127.0.0.1", port);

            sellerFix.Session.Send(FixOrderMessages.NewOrderSingle(Limit("s-1", Side.Sell, 101.25, 300), Now));
            await seller.WaitUntilAsync(a => a.Reports.Count >= 1, "seller ack");

            var request = new FixOutbound(FixMsgType.MarketDataRequest);
            request.Body.Add(FixTag.MdReqId, "md-1").Add(FixTag.SubscriptionRequestType, '1').Add(FixTag.MarketDepth, 5).Add(FixTag.NoMdEntryTypes, 2)
                .Add(FixTag.MdEntryType, '0').Add(FixTag.MdEntryType, '1').Add(FixTag.NoRelatedSym, 2).Add(FixTag.Symbol, "MSFT").Add(FixTag.Symbol, "NOPE");
            buyerFix.Session.Send(request);
            await buyer.Orders.WaitUntilAsync(_ => buyer.MarketData.Count >= 2, "snapshot and reject");
            var snapshot = buyer.MarketData.First(m => m.MsgTypeString == FixMsgType.MarketDataSnapshotFullRefresh);
            Assert.Equal(("1", "1", "101.25", "300"), (snapshot.GetString(FixTag.NoMdEntries), snapshot.GetString(FixTag.MdEntryType), snapshot.GetString(FixTag.MdEntryPx), snapshot.GetString(FixTag.MdEntrySize)));
            Assert.Contains(buyer.MarketData, m => m.MsgTypeString == FixMsgType.MarketDataRequestReject && m.GetString(FixTag.Text)!.Contains("NOPE"));

            buyerFix.Session.Send(FixOrderMessages.NewOrderSingle(Limit("b-1", Side.Buy, 101.30, 200), Now));
            await buyer.Orders.WaitUntilAsync(a => a.Reports.Count >= 2, "buyer ack and fill");
            await seller.WaitUntilAsync(a => a.Reports.Count >= 2, "seller fill");
            var taker = buyer.Orders.Reports.Last();
            var maker = seller.Reports.Last();
            Assert.Equal((200.0, 101.25, OrderStatus.Filled, "taker"), (taker.LastQty, taker.LastPrice, taker.Status, taker.Liquidity));
            Assert.Equal((200.0, OrderStatus.PartiallyFilled, 100.0, "maker"), (maker.LastQty, maker.Status, maker.LeavesQty, maker.Liquidity));
            Assert.Equal(200 * 101.25 * 0.3 / 1e4, taker.Fee, 9);
            Assert.Equal(-200 * 101.25 * 0.2 / 1e4, maker.Fee, 9);
            await buyer.Orders.WaitUntilAsync(_ => buyer.MarketData.Any(m => m.MsgTypeString == FixMsgType.MarketDataIncrementalRefresh && m.Is(FixTag.MdEntrySize, "100")), "incremental refresh of the ask level");
        }
    }

    [Fact]
    public async Task Fills_for_a_disconnected_firm_are_delivered_at_its_next_logon()
    {
        var (acceptor, venue) = await StartAsync();
        await using (acceptor)
        await using (venue)
        {
            var port = acceptor.Endpoint!.Port;
            var sellerStore = new MemoryFixMessageStore();
            var seller = new RecordingApplication();
            var sellerFix = new FixInitiator(new FixSessionSettings("SELLER", "SIM"), sellerStore, seller);
            await sellerFix.ConnectAsync("127.0.0.1", port);
            sellerFix.Session.Send(FixOrderMessages.NewOrderSingle(Limit("s-9", Side.Sell, 100.00, 100), Now));
            await seller.WaitUntilAsync(a => a.Reports.Count >= 1, "ack");
            sellerFix.Abort("network loss");
            await sellerFix.Disconnected;

            var buyer = new RecordingApplication();
            await using var buyerFix = new FixInitiator(new FixSessionSettings("BUYER", "SIM") { ResetOnLogon = true }, new MemoryFixMessageStore(), buyer);
            await buyerFix.ConnectAsync("127.0.0.1", port);
            buyerFix.Session.Send(FixOrderMessages.NewOrderSingle(Limit("b-9", Side.Buy, 100.00, 100), Now));
            await buyer.WaitUntilAsync(a => a.Reports.Any(r => r.IsFill), "buyer fill");

            var again = new FixInitiator(new FixSessionSettings("SELLER", "SIM"), sellerStore, seller);
            await using (again)
            {
                await again.ConnectAsync("127.0.0.1", port);
                await seller.WaitUntilAsync(a => a.Reports.Any(r => r.IsFill), "the fill that happened while disconnected");
                Assert.Equal(("s-9", OrderStatus.Filled), (seller.Reports.Last().OrderId, seller.Reports.Last().Status));
            }
        }
    }
}
