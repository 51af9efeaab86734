using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Gateways.Venue;
using Apache.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>The whole graph on random tick feeds with faults, cut and queued at random: every event is accounted for exactly once and the orders never change.</summary>
public class LanePropertyTests
{
    /// <summary>Appendix A on one-minute ticks with the quote-imbalance model: the tick lane's test policy.</summary>
    internal static readonly string PolicyText = PolicyLoaderTests.AppendixA
        .Replace("horizons: [1d, 5d]", "horizons: [1m]").Replace("prob_edge_min: 0.58", "prob_edge_min: 0.505").Replace("sigma_max: 0.03", "sigma_max: 0.5")
        // Corrupt rows are quarantined but do not stand the lane down here, so the random feeds keep trading (stand-down has its own tests).
        .Replace("on_data_gap: true", "on_data_gap: false") + """

        strategy:
          model: quote_imbalance
          lookback: 5
          skip: 0
          rebalance_every: 1
          information_coefficient: 0.2
          max_weight: 0.2
        """;

    internal static readonly TradingPolicy Policy = PolicyLoader.Parse(PolicyText);

    /// <summary>Ticks over four instruments, 20 ms apart, with repeats, late events and corrupt values mixed in.</summary>
    internal static RecordBatch Ticks(int count, int seed)
    {
        var random = new Random(seed);
        var mids = new[] { 20.0, 50.0, 80.0, 120.0 };
        var seq = new long[8];
        var batch = new TickBatchBuilder();
        long last = 0;
        for (var i = 0; i < count; i++)
        {
            var s = random.Next(4);
            var trade = random.Next(4) == 0;
            var fault = random.Next(40);
            var stream = (s * 2) + (trade ? 0 : 1);
            // 1 in 40 repeats the stream's last sequence number (a duplicate), 1 in 40 goes back in time (out of order).
            var t = 1_700_000_000_000_000_000 + (fault == 1 ? Math.Max(0, last - 100_000_000) : last += 20_000_000);
            var n = fault == 0 && seq[stream] > 0 ? seq[stream] - 1 : seq[stream]++;
            mids[s] *= 1 + ((random.NextDouble() - 0.5) * 0.002);
            // 1 in 40 is corrupt: a non-positive trade price or a crossed quote.
            var corrupt = fault == 2;
            if (trade) batch.Trade($"P{s}", t, n, corrupt ? -1 : Math.Round(mids[s], 2), 100);
            else batch.Quote($"P{s}", t, n, Math.Round(mids[s] - (corrupt ? -0.05 : 0.01), 2), 100 * (1 + random.Next(9)), Math.Round(mids[s] + 0.01, 2), 100 * (1 + random.Next(9)));
        }
        return batch.Build();
    }

    private static async IAsyncEnumerable<LaneMessage> Feed(RecordBatch all, int[] cuts, int pauses)
    {
        var (start, c, sequence) = (0, 0, 0L);
        while (start < all.Length)
        {
            var size = Math.Min(cuts[c++ % cuts.Length], all.Length - start);
            yield return new LaneMessage(new MarketBatch(MarketShape.Ticks, all.Slice(start, size), sequence++));
            start += size;
            // Random hand-over timing: the feed sometimes outruns the graph and sometimes waits on it.
            if (pauses > 0 && sequence % pauses == 0) await Task.Delay(1);
            else await Task.Yield();
        }
    }

    private static async Task<(CheckingSink Sink, LaneRunResult Result)> Run(RecordBatch all, int[] cuts, int capacity, int pauses)
    {
        var sink = new CheckingSink();
        var lane = new LaneGraph(Policy, new LaneOptions(MarketShape.Ticks, new SimulatedClock()) { CleanAlign = CleanAlignSettings.Replay, Capacity = capacity, Execution = names => ExecutionVenues.Replay(Policy, true, names) }, sink);
        return (sink, await lane.RunAsync(Feed(all, cuts, pauses)));
    }

    [Fact]
    public void No_event_is_lost_or_duplicated_whatever_the_cuts_queues_and_timing()
    {
        var cases = from count in Gen.Choose(100, 1500)
                    from seed in Gen.Choose(0, 1_000_000)
                    from capacity in Gen.Choose(1, 8)
                    from cuts in Gen.Choose(1, 300).ArrayOf(4)
                    from pauses in Gen.Choose(0, 3)
                    select (count, seed, capacity, cuts, pauses);
        var trading = 0;
        Prop.ForAll(Arb.From(cases), input =>
        {
            var (count, seed, capacity, cuts, pauses) = input;
            var all = Ticks(count, seed);
            var (reference, _) = Run(all, [4096], 4, 0).GetAwaiter().GetResult();
            var (sink, result) = Run(all, cuts.Length == 0 ? [7] : cuts, capacity, pauses).GetAwaiter().GetResult();
            if (reference.Orders.Count > 0) trading++;
            Assert.Equal(count, result.Events);
            Assert.Equal(Enumerable.Range(0, sink.Messages.Count).Select(i => (long)i), sink.Messages.Select(m => m.Sequence));
            Assert.Equal(count, sink.Messages.Sum(m => m.Events));
            Assert.Equal(count, sink.Messages.Sum(m => m.Accepted) + sink.Quarantined.Count);
            Assert.Empty(sink.Violations);
            // No agent failed: a fault would stand the lane down, and where it falls depends on the cuts.
            Assert.DoesNotContain(reference.RiskEvents, r => r.Kind is "agent_fault" or "stand_down");
            Assert.DoesNotContain(sink.RiskEvents, r => r.Kind is "agent_fault" or "stand_down");
            // Faults were injected and held back with the same reasons, whatever the cuts.
            Assert.Equal(Keys(reference), Keys(sink));
            Assert.NotEmpty(sink.Quarantined);
            Assert.Equal(reference.Orders.Select(Fields), sink.Orders.Select(Fields));
            Assert.Equal(reference.ChildOrders.Select(Fields), sink.ChildOrders.Select(Fields));
            Assert.Equal(reference.Orders.Select(o => string.Join("|", o.Reasons)), sink.Orders.Select(o => string.Join("|", o.Reasons)));
            Assert.Equal(reference.Reports.Select(r => (r.OrderId, r.ExecType, r.LastQty, r.LastPrice)), sink.Reports.Select(r => (r.OrderId, r.ExecType, r.LastQty, r.LastPrice)));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
        Assert.True(trading >= 10, $"only {trading} of 40 random feeds produced orders: the property would not exercise routing and fills");
    }

    private static (string, string, long, Side, OrderType, TimeInForce, double, double?) Fields(Order o) => (o.OrderId, o.Instrument, o.Ts, o.Side, o.Type, o.TimeInForce, o.Quantity, o.LimitPrice);

    private static List<(string, long, long, string)> Keys(LaneRecorder sink) => [.. sink.Quarantined.Select(q => (q.Event.Symbol, q.Event.Ts, q.Event.Sequence, q.Event.Reason))];

    /// <summary>A recorder that also checks each message: every row either has an id or is quarantined, never both, never twice.</summary>
    private sealed class CheckingSink : LaneRecorder
    {
        public List<string> Violations { get; } = [];

        public override void Accept(LaneMessage message)
        {
            if (message.Market is { } market)
            {
                if (message.Ids.Length != market.Batch.Length) Violations.Add($"message {market.Sequence}: {message.Ids.Length} ids for {market.Batch.Length} rows");
                var held = new HashSet<int>();
                foreach (var q in message.Quarantined)
                {
                    if (!held.Add(q.Row)) Violations.Add($"message {market.Sequence}: row {q.Row} quarantined twice");
                    if (q.Row < message.Ids.Length && message.Ids[q.Row] >= 0) Violations.Add($"message {market.Sequence}: row {q.Row} both accepted and quarantined");
                }
                for (var row = 0; row < message.Ids.Length; row++)
                {
                    if (message.Ids[row] < 0 && !held.Contains(row)) Violations.Add($"message {market.Sequence}: row {row} dropped without a reason");
                }
            }
            base.Accept(message);
        }
    }
}
