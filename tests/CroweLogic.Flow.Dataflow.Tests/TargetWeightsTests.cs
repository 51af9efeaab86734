using CroweLogic.Flow.Dataflow.Lane;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>The target set's weights behave like a sorted map of id → weight (the type they replace), whatever the write order.</summary>
public class TargetWeightsTests
{
    [Fact]
    public void Any_sequence_of_writes_reads_back_like_a_sorted_dictionary()
    {
        var writes = Gen.Zip(Gen.Choose(0, 60), Gen.Choose(-1000, 1000)).ArrayOf();
        Prop.ForAll(Arb.From(writes), input =>
        {
            var weights = new TargetWeights();
            var reference = new SortedDictionary<int, double>();
            foreach (var (id, w) in input)
            {
                weights[id] = w / 1000.0;
                reference[id] = w / 1000.0;
            }
            Assert.Equal(reference.Count, weights.Count);
            Assert.Equal(reference.ToList(), [.. weights]);
            Assert.Equal(reference.Keys, weights.Keys);
            for (var i = 0; i < weights.Count; i++) Assert.Equal(reference.ElementAt(i), new KeyValuePair<int, double>(weights.IdAt(i), weights.WeightAt(i)));
            for (var id = -1; id <= 61; id++)
            {
                Assert.Equal(reference.ContainsKey(id), weights.ContainsKey(id));
                Assert.Equal(reference.TryGetValue(id, out var expected), weights.TryGetValue(id, out var actual));
                Assert.Equal(expected, actual);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void A_weight_rewritten_by_position_keeps_its_instrument_and_the_order()
    {
        var weights = new TargetWeights { [7] = 0.1, [3] = -0.2, [11] = 0.3 };
        Assert.Equal([3, 7, 11], weights.Keys);
        weights.SetWeightAt(1, 0.05);
        Assert.Equal(0.05, weights[7]);
        Assert.Equal([3, 7, 11], weights.Keys);
    }

    [Fact]
    public void Reading_a_missing_instrument_or_position_says_which()
    {
        var weights = new TargetWeights { [2] = 0.1 };
        Assert.Equal("instrument id 5 has no target in this set", Assert.Throws<KeyNotFoundException>(() => weights[5]).Message);
        Assert.StartsWith("a target set of 1", Assert.Throws<ArgumentOutOfRangeException>(() => weights.IdAt(1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => weights.SetWeightAt(-1, 0));
    }
}
