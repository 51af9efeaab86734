using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Arrow;
using CroweLogic.Flow.Dataflow.Clocks;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>Clean-align against a plain list model: nothing lost, nothing duplicated, every hold-back explained.</summary>
public class CleanAlignAgentTests
{
    private static Quote Make(string symbol, long ts, long seq, double? bid = 10) => new(symbol, ts, ts, seq, bid, bid is null ? null : 100, 10.5, 200, "XNAS", seq % 2 == 0 ? "" : "R");

    /// <summary>The obvious implementation: a per-symbol last (ts, seq) kept in a list of pairs.</summary>
    private static (List<Quote> Accepted, List<(int Row, string Reason)> Held) Model(IReadOnlyList<Quote> events, long now, CleanAlignSettings settings, List<(string Symbol, long Ts, long Seq)> state)
    {
        var accepted = new List<Quote>();
        var held = new List<(int, string)>();
        for (var row = 0; row < events.Count; row++)
        {
            var e = events[row];
            var index = state.FindIndex(s => s.Symbol == e.Symbol);
            string? reason = null;
            if (index >= 0)
            {
                var last = state[index];
                if (e.Ts == last.Ts && e.Sequence == last.Seq) reason = "duplicate";
                else if (e.Ts < last.Ts || (e.Ts == last.Ts && e.Sequence < last.Seq)) reason = "out_of_order";
            }
            if (reason is null && now - e.Ts > settings.MaxStalenessNanos) reason = "stale";
            if (reason is null && e.Ts - now > settings.MaxFutureNanos) reason = "from_the_future";
            if (reason is null)
            {
                if (index >= 0) state[index] = (e.Symbol, e.Ts, e.Sequence);
                else state.Add((e.Symbol, e.Ts, e.Sequence));
                accepted.Add(e);
            }
            else held.Add((row, reason));
        }
        return (accepted, held);
    }

    [Fact]
    public void Random_streams_with_repeats_and_disorder_match_the_model_across_batches()
    {
        var events = Gen.Elements("AAA", "BBB", "CCC").SelectMany(s => Gen.Choose(0, 30).SelectMany(ts => Gen.Choose(0, 3).Select(seq => (s, ts, seq))));
        Prop.ForAll(Arb.From(events.ArrayOf().SelectMany(a => Gen.Choose(1, 4).Select(parts => (a, parts)))), input =>
        {
            var (raw, parts) = input;
            var quotes = raw.Select(e => Make(e.s, 1_000L * e.ts, e.seq, e.ts % 5 == 0 ? null : 10)).ToList();
            var settings = new CleanAlignSettings(MaxStalenessNanos: 25_000, MaxFutureNanos: 2_000);
            var clock = new SimulatedClock(20_000);
            var agent = new CleanAlignAgent(clock, settings);
            var state = new List<(string, long, long)>();
            var size = Math.Max(1, (quotes.Count + parts - 1) / parts);
            for (var start = 0; start < quotes.Count; start += size)
            {
                var chunk = quotes.Skip(start).Take(size).ToList();
                var result = agent.Process(Quote.Arrow.Encode(chunk.ToArray()));
                var (expected, held) = Model(chunk, clock.NowNanos, settings, state);
                Assert.Equal(expected, Quote.Arrow.Decode(result.Accepted));
                Assert.Equal(held, result.Quarantined.Select(q => (q.Row, q.Reason)).ToList());
                Assert.Equal(chunk.Count, result.Accepted.Length + result.Quarantined.Count);
                foreach (var q in result.Quarantined) Assert.Equal((chunk[q.Row].Symbol, chunk[q.Row].Ts, chunk[q.Row].Sequence), (q.Symbol, q.Ts, q.Sequence));
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Stale_and_future_events_are_held_against_the_clock()
    {
        var clock = new SimulatedClock(10_000_000_000);
        var agent = new CleanAlignAgent(clock, new CleanAlignSettings(MaxStalenessNanos: 1_000_000_000, MaxFutureNanos: 100_000_000));
        var result = agent.Process(Quote.Arrow.Encode([Make("A", 8_000_000_000, 0), Make("A", 9_500_000_000, 1), Make("A", 10_200_000_000, 2), Make("A", 10_050_000_000, 3)]));
        Assert.Equal([(0, "stale"), (2, "from_the_future")], result.Quarantined.Select(q => (q.Row, q.Reason)));
        Assert.Equal([9_500_000_000L, 10_050_000_000L], Quote.Arrow.Decode(result.Accepted).Select(q => q.Ts));
    }

    [Fact]
    public void A_clean_batch_passes_through_without_a_copy_and_a_batch_without_keys_is_refused()
    {
        var agent = new CleanAlignAgent(new SimulatedClock(5_000), new CleanAlignSettings(long.MaxValue / 2, long.MaxValue / 2));
        var batch = Quote.Arrow.Encode([Make("A", 1_000, 0), Make("B", 1_000, 0), Make("A", 2_000, 0)]);
        Assert.Same(batch, agent.Process(batch).Accepted);
        var bars = Bar.Arrow.Encode([new Bar("A", 0, 1, 1, 1, 1, 1, null, 0, null)]);
        Assert.Contains("no 'seq' column; clean-align needs it", Assert.Throws<ArgumentException>(() => agent.Process(bars)).Message);
    }

    [Fact]
    public void Take_keeps_nulls_strings_and_order()
    {
        var quotes = new[] { Make("A", 1, 0, null), Make("BB", 2, 1), Make("CCC", 3, 2, null), Make("D", 4, 3) };
        var batch = Quote.Arrow.Encode(quotes);
        Assert.Equal([quotes[3], quotes[0], quotes[2]], Quote.Arrow.Decode(BatchTake.Rows(batch, [3, 0, 2])));
        Assert.Empty(Quote.Arrow.Decode(BatchTake.Rows(batch, [])));
    }
}
