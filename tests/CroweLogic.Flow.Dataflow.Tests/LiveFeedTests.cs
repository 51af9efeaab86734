using System.Diagnostics;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.MarketData;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>The live feed turns the market-data port's events into the lane's messages in order, and never hides a hole.</summary>
public class LiveFeedTests
{
    private static FeedBatch Batch(WallClock clock, string symbol, int rows)
    {
        var builder = new TickBatchBuilder();
        for (var i = 0; i < rows; i++) builder.Quote(symbol, clock.NowNanos, i, 10, 100, 10.01, 100);
        return new FeedBatch(builder.Build(), clock.NowNanos, Stopwatch.GetTimestamp());
    }

    [Fact]
    public async Task Batches_gaps_and_resynchronisation_reach_the_lane_in_arrival_order()
    {
        var clock = new WallClock();
        await using var feed = new LiveFeed(clock, TimeSpan.FromMinutes(1));
        var first = Batch(clock, "A", 3);
        feed.OnBatch(first);
        feed.OnGap(new FeedGap("fix", "A", clock.NowNanos, "the session dropped"));
        feed.OnGap(new FeedGap("fix", "B", clock.NowNanos, "the session dropped"));
        feed.OnStatus(new FeedStatus("fix", FeedState.Synchronised, "A", clock.NowNanos, "A rebuilt"));
        feed.OnStatus(new FeedStatus("fix", FeedState.Synchronised, "B", clock.NowNanos, "B rebuilt"));
        feed.OnBatch(Batch(clock, "B", 2));
        feed.OnGap(new FeedGap("fix", "C", clock.NowNanos, "refused", Fatal: true));
        feed.Close();
        var messages = new List<LaneMessage>();
        await foreach (var message in feed.ReadAllAsync()) messages.Add(message);
        Assert.Equal(6, messages.Count);
        Assert.Same(first.Ticks, messages[0].Market!.Batch);
        Assert.Equal(first.ReceivedTimestamp, messages[0].Arrival);
        Assert.Equal([LaneCommandKind.FeedGap, LaneCommandKind.FeedGap, LaneCommandKind.FeedSynchronised], messages[1..4].Select(m => m.Command!.Kind));
        Assert.Equal("fix B: the session dropped", messages[2].Command!.Reason);
        Assert.Equal(2, messages[4].EventCount);
        Assert.Equal(LaneCommandKind.FeedLost, messages[5].Command!.Kind);
        Assert.Equal(5, feed.Events);
        Assert.Equal(3, feed.Gaps);
        Assert.True(feed.FreshnessNanos(0.99) >= 0);
    }

    [Fact]
    public async Task A_silent_feed_is_a_gap_and_data_again_lifts_it()
    {
        var clock = new WallClock();
        await using var feed = new LiveFeed(clock, TimeSpan.FromMilliseconds(300));
        var reader = feed.ReadAllAsync().GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(LaneCommandKind.FeedGap, reader.Current.Command!.Kind);
        Assert.Contains("no market data for", reader.Current.Command.Reason);
        feed.OnBatch(Batch(clock, "A", 1));
        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(LaneCommandKind.FeedSynchronised, reader.Current.Command!.Kind);
        Assert.True(await reader.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, reader.Current.EventCount);
        feed.Close();
        await reader.DisposeAsync();
    }

    [Fact]
    public async Task A_full_queue_holds_the_feed_thread_and_close_releases_it_without_queueing_more()
    {
        var clock = new WallClock();
        await using var feed = new LiveFeed(clock, TimeSpan.FromMinutes(1), capacity: 2);
        feed.OnBatch(Batch(clock, "A", 1));
        feed.OnBatch(Batch(clock, "A", 1));
        var blocked = Task.Run(() => feed.OnBatch(Batch(clock, "A", 1)));
        await Task.Delay(200);
        Assert.False(blocked.IsCompleted);
        Assert.Equal(1, feed.Waits);
        feed.Close();
        await blocked.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, feed.AfterClose);
    }
}
