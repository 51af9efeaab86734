using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Features;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>Incremental features against their definitions recomputed from the whole history at every quote.</summary>
public class FeatureFactoryTests
{
    private static readonly FeatureSet Set = FeatureSet.Of("microstructure", 1, "spread_bps", "imbalance", "mid_return:3", "realized_vol:4", "trade_intensity:2s");

    /// <summary>The definitions, evaluated naively over everything seen so far.</summary>
    private static double[] Reference(List<(long Ts, double Mid)> mids, List<long> trades, Quote q)
    {
        double a = q.Ask!.Value, b = q.Bid!.Value, bs = q.BidSize!.Value, az = q.AskSize!.Value, mid = (a + b) / 2;
        var n = mids.Count;
        double Ret(int back) => Math.Log(mids[n - 1 - back].Mid / mids[n - 2 - back].Mid);
        return
        [
            (a - b) / mid * 1e4,
            bs + az > 0 ? (bs - az) / (bs + az) : double.NaN,
            n > 3 ? Math.Log(mid / mids[n - 4].Mid) : double.NaN,
            n > 4 ? Math.Sqrt(Enumerable.Range(0, 4).Sum(k => Ret(k) * Ret(k))) : double.NaN,
            trades.Count(t => t > q.Ts - 2_000_000_000L && t <= q.Ts) / 2.0,
        ];
    }

    [Fact]
    public void Online_features_equal_their_definitions_on_random_streams()
    {
        var step = Gen.Elements("A", "B").SelectMany(s => Gen.Choose(0, 9).SelectMany(kind => Gen.Choose(1, 400).SelectMany(price => Gen.Choose(0, 50).Select(size => (s, kind, price, size)))));
        Prop.ForAll(Arb.From(step.ArrayOf().SelectMany(a => Gen.Choose(1, 3).Select(parts => (a, parts)))), input =>
        {
            var factory = new FeatureFactory(Set, "1m");
            var mids = new Dictionary<string, List<(long, double)>> { ["A"] = [], ["B"] = [] };
            var trades = new Dictionary<string, List<long>> { ["A"] = [], ["B"] = [] };
            long ts = 1_000_000_000_000;
            var steps = input.a;
            var size = Math.Max(1, (steps.Length + input.parts - 1) / input.parts);
            for (var start = 0; start < steps.Length; start += size)
            {
                var chunk = steps.Skip(start).Take(size).ToList();
                var chunkTrades = new List<Trade>();
                var chunkQuotes = new List<Quote>();
                var expected = new List<(string, long, double[])>();
                foreach (var (s, kind, price, sz) in chunk)
                {
                    ts += 250_000_000; // a quarter second per event
                    if (kind < 3)
                    {
                        chunkTrades.Add(new Trade(s, ts, ts, 0, price, sz + 1, "X", ""));
                        continue;
                    }
                    // kind 3 is a one-sided quote: no vector.
                    var q = new Quote(s, ts, ts, 0, kind == 3 ? null : price, kind == 3 ? null : sz, price + 1 + (kind % 3), 50 - sz, "X", "");
                    chunkQuotes.Add(q);
                }
                // Trades of a chunk are observed before its quotes, as the graph delivers them; the reference does the same.
                foreach (var t in chunkTrades) trades[t.Symbol].Add(t.Ts);
                foreach (var q in chunkQuotes.Where(q => q.Bid is not null))
                {
                    mids[q.Symbol].Add((q.Ts, (q.Ask!.Value + q.Bid!.Value) / 2));
                    expected.Add((q.Symbol, q.Ts, Reference(mids[q.Symbol], trades[q.Symbol], q)));
                }
                if (chunkTrades.Count > 0) factory.ObserveTrades(Trade.Arrow.Encode(chunkTrades.ToArray()));
                var vectors = chunkQuotes.Count > 0 ? factory.Process(Quote.Arrow.Encode(chunkQuotes.ToArray())) : [];
                Assert.Equal(expected.Count, vectors.Count);
                for (var i = 0; i < vectors.Count; i++)
                {
                    Assert.Equal((expected[i].Item1, expected[i].Item2), (vectors[i].Instrument, vectors[i].AsOf));
                    Assert.Equal("microstructure@1", vectors[i].FeatureSet);
                    for (var f = 0; f < Set.Features.Count; f++)
                    {
                        var want = expected[i].Item3[f];
                        var got = vectors[i].Values[f];
                        if (double.IsNaN(want)) Assert.True(double.IsNaN(got), $"{Set.Features[f].Name}: expected NaN, got {got}");
                        else Assert.True(Math.Abs(got - want) <= 1e-12 * Math.Max(1, Math.Abs(want)), $"{Set.Features[f].Name}: {got} vs {want}");
                    }
                    Assert.Equal(expected[i].Item3.Count(double.IsFinite) / 5.0, vectors[i].Coverage, 12);
                }
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Theory]
    [InlineData("spread", "unknown feature 'spread'")]
    [InlineData("mid_return", "needs a window")]
    [InlineData("realized_vol:0", "between 1 and 100000")]
    [InlineData("trade_intensity:60", "window is in seconds")]
    [InlineData("imbalance:5", "takes no window")]
    public void Invalid_feature_specs_are_refused(string spec, string expected)
    {
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => FeatureDefinition.Parse(spec)).Message);
    }

    [Fact]
    public void Sets_are_versioned_and_refuse_repeats()
    {
        Assert.Equal("microstructure@1", Set.Id);
        Assert.Equal(["spread_bps", "imbalance", "mid_return:3", "realized_vol:4", "trade_intensity:2s"], Set.Features.Select(f => f.Name));
        Assert.Contains("lists imbalance twice", Assert.Throws<ArgumentException>(() => FeatureSet.Of("x", 1, "imbalance", "imbalance")).Message);
        Assert.Contains("version must be positive", Assert.Throws<ArgumentException>(() => FeatureSet.Of("x", 0, "imbalance")).Message);
    }
}
