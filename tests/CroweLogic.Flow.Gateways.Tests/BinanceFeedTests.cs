using CroweLogic.Flow.Contracts.Execution;
using System.Collections.Concurrent;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.MarketData;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Gateways.MarketData.Binance;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// The Binance spot feed against the recorded BTCUSDT depth: the documented synchronisation checked at every update id
/// against an independent book, the recorded snapshot refused for being older than the recorded stream, and the whole
/// client over WebSocket and REST on 127.0.0.1 through rate limits, a sequence hole, a forced disconnect and a
/// malformed message, ending on the reference book exactly (decimal prices and quantities).
/// </summary>
public sealed class BinanceFeedTests
{
    [Fact]
    public void The_recorded_snapshot_is_older_than_the_recorded_stream_and_is_refused_as_the_venue_documents()
    {
        var sync = new BinanceDepthSync("BTCUSDT");
        Assert.Equal(DepthStep.Buffered, sync.OnEvent(BinanceRecording.Parsed(BinanceRecording.RecordedDepthJson())));
        var snapshot = BinanceMessages.ParseSnapshot(System.Text.Encoding.UTF8.GetBytes(BinanceRecording.SnapshotJson(BinanceRecording.SnapshotId, BinanceRecording.SnapshotLevels)));
        Assert.Equal(DepthStep.SnapshotTooOld, sync.OnSnapshot(snapshot));
        Assert.Equal("snapshot lastUpdateId 2098021528332 is older than the first buffered event (U=2098041693435)", sync.LastProblem);
        Assert.False(sync.Synchronised);
    }

    [Fact]
    public void The_book_equals_the_reference_at_every_update_id_and_a_hole_voids_it()
    {
        var chain = BinanceRecording.Chain(10);
        var sync = new BinanceDepthSync("BTCUSDT");
        // Two events arrive before the snapshot; one of them is already in it.
        sync.OnEvent(BinanceRecording.Parsed(BinanceRecording.DepthJson(chain[0].EventMillis, chain[0].First, chain[0].Final, chain[0].Levels)));
        var snapshot = BinanceMessages.ParseSnapshot(System.Text.Encoding.UTF8.GetBytes(BinanceRecording.SnapshotJson(chain[0].Final, Apply(BinanceRecording.SnapshotLevels, chain[0].Levels))));
        sync.OnEvent(BinanceRecording.Parsed(BinanceRecording.DepthJson(chain[1].EventMillis, chain[1].First, chain[1].Final, chain[1].Levels)));
        Assert.Equal(DepthStep.Synchronised, sync.OnSnapshot(snapshot));
        Assert.Equal(chain[1].Final, sync.Book.LastUpdateId);
        Assert.Null(BinanceRecording.Differs(sync.Book, BinanceRecording.Reference(BinanceRecording.SnapshotLevels, chain.Take(2).Select(c => c.Levels))));
        for (var k = 2; k < chain.Count; k++)
        {
            Assert.Equal(DepthStep.Applied, sync.OnEvent(BinanceRecording.Parsed(BinanceRecording.DepthJson(chain[k].EventMillis, chain[k].First, chain[k].Final, chain[k].Levels))));
            Assert.Equal(chain[k].Final, sync.Book.LastUpdateId);
            Assert.Null(BinanceRecording.Differs(sync.Book, BinanceRecording.Reference(BinanceRecording.SnapshotLevels, chain.Take(k + 1).Select(c => c.Levels))));
        }
        Assert.False(sync.Book.IsCrossed);
        // A replayed event is ignored; one after a hole voids the book.
        Assert.Equal(DepthStep.Ignored, sync.OnEvent(BinanceRecording.Parsed(BinanceRecording.DepthJson(chain[9].EventMillis, chain[9].First, chain[9].Final, chain[9].Levels))));
        var after = chain[^1].Final;
        Assert.Equal(DepthStep.Gap, sync.OnEvent(BinanceRecording.Parsed(BinanceRecording.DepthJson(0, after + 5, after + 6, []))));
        Assert.Equal($"diff depth U={after + 5} does not follow the book's update id {after} (expected U ≤ {after + 1}): 4 updates lost", sync.LastProblem);
        Assert.False(sync.Synchronised);
    }

    private static List<(string Side, string Price, string Quantity)> Apply(List<(string Side, string Price, string Quantity)> snapshot, List<(string Side, string Price, string Quantity)> levels) =>
        [.. BinanceRecording.Reference(snapshot, [levels]).Select(kv => (kv.Key.Side, kv.Key.Price.ToString(System.Globalization.CultureInfo.InvariantCulture), kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    private sealed class Recorder : IMarketDataEvents
    {
        public ConcurrentQueue<FeedBatch> Batches { get; } = new();
        public ConcurrentQueue<FeedGap> Gaps { get; } = new();
        public ConcurrentQueue<FeedStatus> Statuses { get; } = new();

        public void OnBatch(FeedBatch batch) => Batches.Enqueue(batch);

        public void OnGap(FeedGap gap) => Gaps.Enqueue(gap);

        public void OnStatus(FeedStatus status) => Statuses.Enqueue(status);

        public int Synchronised => Statuses.Count(s => s.State == FeedState.Synchronised);

        public async Task WaitAsync(Func<bool> done, string what)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!done())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}; gaps: {string.Join(" | ", Gaps.Select(g => g.Reason))}; statuses: {string.Join(" | ", Statuses.Select(s => s.Reason))}");
                await Task.Delay(20);
            }
        }
    }

    [Fact]
    public async Task The_client_over_websocket_and_rest_survives_rate_limits_a_hole_a_disconnect_and_a_malformed_message_and_ends_on_the_reference_book()
    {
        var chain = BinanceRecording.Chain(10);
        string Event(int k) => BinanceRecording.DepthJson(chain[k].EventMillis, chain[k].First, chain[k].Final, chain[k].Levels);
        string SnapshotAfter(int k) => BinanceRecording.SnapshotJson(chain[k].Final, Apply(BinanceRecording.SnapshotLevels, [.. chain.Take(k + 1).SelectMany(c => c.Levels)]));
        await using var server = await LocalBinanceServer.StartAsync();
        // The first snapshot request is rate limited, the second meets a 503, the third gets the recorded snapshot.
        server.Rest(429, "{\"code\":-1003,\"msg\":\"Too many requests\"}", retryAfter: 1);
        server.Rest(503, "{\"code\":-1001,\"msg\":\"Internal error\"}");
        server.Rest(200, BinanceRecording.SnapshotJson(BinanceRecording.SnapshotId, BinanceRecording.SnapshotLevels));
        var events = new Recorder();
        await using var feed = new BinanceSpotFeed(new BinanceOptions(server.Http, server.Ws) { ReconnectDelay = TimeSpan.FromMilliseconds(200), SnapshotRetryDelay = TimeSpan.FromMilliseconds(50) },
            () => Nanos.FromDateTimeOffset(DateTimeOffset.UtcNow));
        feed.Start(events);
        feed.Subscribe(["BTCUSDT"]);
        await server.WaitForSubscriptionAsync(1);
        Assert.Equal("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\",\"btcusdt@depth@100ms\"],\"id\":1}", server.Subscriptions[0]);
        for (var k = 0; k < 3; k++) await server.SendAsync(Event(k));
        await events.WaitAsync(() => events.Synchronised == 1, "the first synchronisation");
        Assert.Contains(events.Statuses, s => s.Reason.Contains("HTTP 429 (rate limit): waiting 1 s as Retry-After says"));
        Assert.Contains(events.Statuses, s => s.Reason.Contains("HTTP 503: retrying"));
        Assert.All(server.RestRequests, r => Assert.Equal("/api/v3/depth?symbol=BTCUSDT&limit=1000", r));

        // A trade, then event 4; event 5 is lost on the way: event 6 is a hole, and the book is rebuilt from a snapshot taken after 6.
        await server.SendAsync("{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1667347200100,\"s\":\"BTCUSDT\",\"t\":2098041700,\"p\":\"20473.30\",\"q\":\"0.015\",\"T\":1667347200099,\"m\":true,\"M\":true}}");
        await server.SendAsync(Event(3));
        await server.SendAsync(Event(4));
        server.Rest(200, SnapshotAfter(6));
        await server.SendAsync(Event(6));
        await events.WaitAsync(() => events.Synchronised == 2, "the resynchronisation after the hole");
        var hole = Assert.Single(events.Gaps);
        Assert.Equal((chain[4].Final + 1, chain[6].First), (hole.Expected, hole.Received));
        Assert.Contains($"diff depth U={chain[6].First} does not follow the book's update id {chain[4].Final}", hole.Reason);

        // A forced disconnect: a gap, a reconnect, a new SUBSCRIBE, and a rebuild.
        server.Rest(200, SnapshotAfter(7));
        server.Drop();
        await server.WaitForSubscriptionAsync(2);
        await server.SendAsync(Event(8));
        await events.WaitAsync(() => events.Synchronised == 3, "the rebuild after the reconnect");
        Assert.Equal(2, server.Connections);
        Assert.Contains("the Binance stream dropped", events.Gaps.ElementAt(1).Reason);

        // A malformed message voids the book; the next event is buffered and a snapshot rebuilds it.
        server.Rest(200, SnapshotAfter(8));
        await server.SendAsync("{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":");
        await server.SendAsync(Event(9));
        await events.WaitAsync(() => events.Synchronised == 4, "the rebuild after the malformed message");
        Assert.StartsWith("malformed JSON from the stream", events.Gaps.ElementAt(2).Reason);
        Assert.Equal(3, events.Gaps.Count);

        var reference = BinanceRecording.Reference(BinanceRecording.SnapshotLevels, chain.Select(c => c.Levels));
        await events.WaitAsync(() => BinanceRecording.Differs(feed.BookOf("BTCUSDT")!, reference) is null, "the reference book");
        Assert.Equal(chain[9].Final, feed.BookOf("BTCUSDT")!.LastUpdateId);
        Assert.Equal(20, feed.UsedWeight);

        // What reached the port: the trade at its trade time, and a last quote at the reference touch.
        await events.WaitAsync(() => events.Batches.Sum(b => b.Ticks.Length) > 3, "rows");
        var rows = events.Batches.SelectMany(b => Enumerable.Range(0, b.Ticks.Length).Select(r => (Batch: b.Ticks, Row: r))).ToList();
        var kind = (Func<int, Apache.Arrow.RecordBatch, byte>)((r, b) => ((Apache.Arrow.UInt8Array)b.Column("kind")).GetValue(r)!.Value);
        var trade = Assert.Single(rows, x => kind(x.Row, x.Batch) == TickKind.Trade);
        Assert.Equal(1667347200099L * 1_000_000, ((Apache.Arrow.Int64Array)trade.Batch.Column("ts")).GetValue(trade.Row));
        var last = rows.Last(x => kind(x.Row, x.Batch) == TickKind.Quote);
        var bestBid = reference.Where(l => l.Key.Side == "b").Max(l => l.Key.Price);
        var bestAsk = reference.Where(l => l.Key.Side == "a").Min(l => l.Key.Price);
        Assert.Equal((double)bestBid, ((Apache.Arrow.DoubleArray)last.Batch.Column("bid")).GetValue(last.Row));
        Assert.Equal((double)bestAsk, ((Apache.Arrow.DoubleArray)last.Batch.Column("ask")).GetValue(last.Row));
    }
}
