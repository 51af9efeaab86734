using System.Collections.Concurrent;
using System.Net;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.MarketData;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Session;
using CroweLogic.Flow.Gateways.MarketData;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// The FIX market-data client against the simulated exchange as a standalone FIX venue, over TCP: the book it rebuilds
/// from the snapshot and incremental refreshes equals the venue's own book exactly (decimal prices and sizes), trades
/// arrive as trade rows, a dropped session is a gap per instrument followed by a rebuild from a fresh snapshot, a
/// refused subscription is a fatal gap with the venue's text, and a malformed entry is a gap and a new request.
/// </summary>
public sealed class FixMarketDataClientTests
{
    private static long Now() => Nanos.FromDateTimeOffset(DateTimeOffset.UtcNow);

    private sealed class Recorder : IMarketDataEvents
    {
        public ConcurrentQueue<FeedBatch> Batches { get; } = new();
        public ConcurrentQueue<FeedGap> Gaps { get; } = new();
        public ConcurrentQueue<FeedStatus> Statuses { get; } = new();

        public void OnBatch(FeedBatch batch) => Batches.Enqueue(batch);

        public void OnGap(FeedGap gap) => Gaps.Enqueue(gap);

        public void OnStatus(FeedStatus status) => Statuses.Enqueue(status);

        public int Rows(int kind) => Batches.Sum(b => Enumerable.Range(0, b.Ticks.Length).Count(r => ((Apache.Arrow.UInt8Array)b.Ticks.Column("kind")).GetValue(r) == kind));

        public async Task WaitAsync(Func<bool> done, string what)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!done())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}; gaps: {string.Join(" | ", Gaps.Select(g => g.Reason))}; statuses: {string.Join(" | ", Statuses.Select(s => s.Reason))}");
                await Task.Delay(20);
            }
        }
    }

    // Quotes around 100 and client orders resting inside and behind them, so the book has depth on both sides.
    private static async Task TradeAsync(SimulatedFixVenue venue, FixExecutionClient orders, string symbol, int seed, int steps)
    {
        var random = new Random(seed);
        var mid = 100.0;
        for (var i = 0; i < steps; i++)
        {
            mid += (random.Next(3) - 1) * 0.01;
            var half = 0.01 * (1 + random.Next(3));
            if (random.Next(4) == 0) venue.Trade(symbol, Math.Round(mid + ((random.NextDouble() - 0.5) * half), 2), 100 * (1 + random.Next(3)));
            else venue.Quote(symbol, Math.Round(mid - half, 2), 100 * (1 + random.Next(9)), Math.Round(mid + half, 2), 100 * (1 + random.Next(9)));
            if (i % 10 == 0)
            {
                var side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
                var price = Math.Round(side == Side.Buy ? mid - (0.01 * random.Next(1, 8)) : mid + (0.01 * random.Next(1, 8)), 2);
                orders.Send(new SubmitOrder(new Order($"{symbol}-{seed}-{i}", "", symbol, Now(), side, OrderType.Limit, TimeInForce.Day, 100 * (1 + random.Next(5)), price, null, "", "SIM", "", []), 0));
            }
            if (i % 25 == 0) await Task.Delay(1);
        }
    }

    private sealed class NullEvents : IExecutionEvents
    {
        public void OnReport(ExecutionReport report)
        {
        }

        public void OnCancelRejected(OrderCancelRejected reject)
        {
        }

        public void OnFillCost(FillCost cost)
        {
        }

        public void OnChildOrder(Order child)
        {
        }

        public void OnConnection(bool connected, string reason)
        {
        }
    }

    private static async Task QuietAsync(SimulatedFixVenue venue, FixMarketDataClient client)
    {
        // Settled when nothing more is published or received for a while.
        long published = -1, received = -1;
        while (published != venue.Published || received != client.Messages)
        {
            (published, received) = (venue.Published, client.Messages);
            await Task.Delay(300);
        }
    }

    [Fact]
    public async Task The_rebuilt_book_equals_the_venue_book_and_a_dropped_session_resynchronises_from_a_snapshot()
    {
        await using var venue = new SimulatedFixVenue(new SimulatedVenueOptions(0));
        var endpoint = venue.Start();
        venue.List(["AAA", "BBB"]);
        await using var orders = new FixExecutionClient(new FixVenueOptions(IPAddress.Loopback.ToString(), endpoint.Port) { TimestampPrecision = 9, Venue = "SIM" });
        orders.Start(new NullEvents());
        var events = new Recorder();
        await using var client = new FixMarketDataClient(new FixFeedOptions(IPAddress.Loopback.ToString(), endpoint.Port) { ReconnectDelay = TimeSpan.FromMilliseconds(200) }, Now);
        client.Start(events);
        client.Subscribe(["AAA", "BBB"]);
        await events.WaitAsync(() => events.Statuses.Count(s => s.State == FeedState.Synchronised) == 2, "two snapshots");

        await Task.WhenAll(TradeAsync(venue, orders, "AAA", 1, 400), TradeAsync(venue, orders, "BBB", 2, 400));
        await QuietAsync(venue, client);
        foreach (var symbol in new[] { "AAA", "BBB" })
        {
            var reference = venue.Book(symbol);
            Assert.True(reference.Count > 4, $"{symbol}: the scenario needs depth, the venue holds {reference.Count} levels");
            Assert.Null(client.Book(symbol)!.Difference(reference));
        }
        Assert.Equal((int)venue.Trades, events.Rows(TickKind.Trade));
        Assert.True(events.Rows(TickKind.Quote) > 100);
        Assert.Empty(events.Gaps);

        // A network loss: every instrument is a gap, then rebuilt from a fresh snapshot after the reconnect.
        client.Abort("test: the network dropped");
        await events.WaitAsync(() => events.Statuses.Count(s => s.State == FeedState.Synchronised) == 4, "both books rebuilt after the reconnect");
        Assert.Equal(["AAA", "BBB"], events.Gaps.Select(g => g.Symbol).Order());
        Assert.All(events.Gaps, g => Assert.Contains("the FIX market-data session dropped", g.Reason));
        Assert.Contains(events.Statuses, s => s.State == FeedState.Disconnected);
        await TradeAsync(venue, orders, "AAA", 3, 200);
        await QuietAsync(venue, client);
        Assert.Null(client.Book("AAA")!.Difference(venue.Book("AAA")));
        Assert.Null(client.Book("BBB")!.Difference(venue.Book("BBB")));
    }

    [Fact]
    public async Task A_refused_subscription_is_a_fatal_gap_with_the_venue_text()
    {
        await using var venue = new SimulatedFixVenue(new SimulatedVenueOptions(0));
        var endpoint = venue.Start();
        var events = new Recorder();
        await using var client = new FixMarketDataClient(new FixFeedOptions(IPAddress.Loopback.ToString(), endpoint.Port), Now);
        client.Start(events);
        client.Subscribe(["NOPE"]);
        await events.WaitAsync(() => !events.Gaps.IsEmpty, "the reject");
        var gap = Assert.Single(events.Gaps);
        Assert.True(gap.Fatal);
        Assert.Equal("NOPE", gap.Symbol);
        Assert.Equal("the venue refused market data for NOPE (MDReqRejReason 0): NOPE is not listed on SIM", gap.Reason);
    }

    // A venue that answers every request with a snapshot and then an incremental whose new entry has no price.
    private sealed class MalformedVenue : IFixApplication
    {
        public int Requests;

        public void FromApp(FixMessage message, FixSession session)
        {
            if (message.MsgTypeString != FixMsgType.MarketDataRequest || message.GetString(FixTag.SubscriptionRequestType) != "1") return;
            var id = message.GetString(FixTag.MdReqId)!;
            var count = Interlocked.Increment(ref Requests);
            var snapshot = new FixOutbound(FixMsgType.MarketDataSnapshotFullRefresh);
            snapshot.Body.Add(FixTag.MdReqId, id).Add(FixTag.Symbol, "AAA").Add(FixTag.NoMdEntries, 2)
                .Add(FixTag.MdEntryType, '0').Add(FixTag.MdEntryPx, 99.5m).Add(FixTag.MdEntrySize, 10m)
                .Add(FixTag.MdEntryType, '1').Add(FixTag.MdEntryPx, 100.5m).Add(FixTag.MdEntrySize, 10m);
            var bad = new FixOutbound(FixMsgType.MarketDataIncrementalRefresh);
            bad.Body.Add(FixTag.MdReqId, id).Add(FixTag.NoMdEntries, 1).Add(FixTag.MdUpdateAction, '0').Add(FixTag.MdEntryType, '0').Add(FixTag.Symbol, "AAA").Add(FixTag.MdEntrySize, 5m);
            _ = Task.Run(() =>
            {
                session.Send(snapshot);
                if (count == 1) session.Send(bad);
            });
        }
    }

    [Fact]
    public async Task A_malformed_entry_is_a_gap_and_the_instrument_is_requested_again()
    {
        var app = new MalformedVenue();
        await using var acceptor = new FixAcceptor();
        acceptor.AddSession(new FixSessionSettings("SIM", "FLOW-MD"), new MemoryFixMessageStore(), app);
        var endpoint = acceptor.Start(IPAddress.Loopback, 0);
        var events = new Recorder();
        await using var client = new FixMarketDataClient(new FixFeedOptions(IPAddress.Loopback.ToString(), endpoint.Port), Now);
        client.Start(events);
        client.Subscribe(["AAA"]);
        await events.WaitAsync(() => events.Statuses.Count(s => s.State == FeedState.Synchronised) == 2, "the second snapshot");
        var gap = Assert.Single(events.Gaps);
        Assert.False(gap.Fatal);
        Assert.Equal("malformed MarketDataIncrementalRefresh for AAA: entry 1 has no positive MDEntryPx (270); the book is void until a new snapshot", gap.Reason);
        Assert.Equal(2, app.Requests);
        Assert.Equal((99.5m, 10m), client.Book("AAA")!.Best(BookSide.Bid));
    }
}
