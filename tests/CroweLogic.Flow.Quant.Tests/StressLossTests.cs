using CroweLogic.Flow.Contracts.Risk;
using CroweLogic.Flow.Quant.Risk;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>
/// Stress losses against a second method (the path loss as max(−Mᵀw) by MathNet's matrix product, to 1e-12), closed forms
/// (the LULD Plan's Tier 1 bands, exact), positive homogeneity (the premise of limit / loss as the scale that meets a
/// limit, to 1e-12 relative) and contributions that add up to the loss (to 1e-12).
/// </summary>
public class StressLossTests
{
    [Fact]
    public void The_path_loss_is_the_books_worst_point_and_agrees_with_a_matrix_product()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var (n, t) = (random.Next(1, 30), random.Next(1, 40));
            var w = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.2 ? 0 : random.NextDouble() - 0.5).ToArray();
            var moves = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, t).Select(_ => (random.NextDouble() - 0.6) * 0.5).ToArray()).ToArray();
            var m = Matrix<double>.Build.DenseOfRowArrays(moves);
            var expected = Math.Max(0, (-(m.Transpose() * Vector<double>.Build.DenseOfArray(w))).Maximum());
            var loss = StressLoss.Of(StressMode.Path, w, moves);
            Assert.Equal(expected, loss, 1e-12);
            Assert.Equal(2.5 * loss, StressLoss.Of(StressMode.Path, w.Select(x => 2.5 * x).ToArray(), moves), 1e-12 * Math.Max(1, loss));
            var contributions = StressLoss.Contributions(StressMode.Path, w, moves);
            if (loss > 0) Assert.Equal(loss, contributions.Sum(), 1e-12);
        }
    }

    [Fact]
    public void Worst_per_name_takes_each_position_at_its_own_worst_point()
    {
        // A long loses at the low, a short at the high; a gain on a name offsets the others' losses.
        double[][] moves = [[-0.20, 0.05], [-0.10, 0.04], [0.01, 0.03]];
        double[] w = [0.5, -0.25, 0.1];
        var expected = (0.5 * 0.20) + (0.25 * 0.04) + (-0.1 * 0.01);
        Assert.Equal(expected, StressLoss.Of(StressMode.WorstPerName, w, moves), 1e-15);
        Assert.Equal(expected, StressLoss.Contributions(StressMode.WorstPerName, w, moves).Sum(), 1e-15);
        // A book that gains at every point has no stress loss.
        Assert.Equal(0, StressLoss.Of(StressMode.WorstPerName, [0.1], [[0.02, 0.05]]));
    }

    [Theory]
    // The LULD Plan's Tier 1 percentage parameters, doubled (the opening and closing windows).
    [InlineData(150.0, 0.10)]
    [InlineData(3.01, 0.10)]
    [InlineData(3.00, 0.40)]
    [InlineData(0.75, 0.40)]
    [InlineData(0.50, 0.60)]   // the lesser of $0.15 and 75 %: $0.15 is 30 % of $0.50
    [InlineData(0.10, 1.00)]   // 75 % doubled, capped at a total loss
    [InlineData(double.NaN, 1.00)]
    public void Luld_bands_follow_the_plans_tier_1_table(double price, double band)
    {
        Assert.Equal(band, StressLoss.LuldBand(price), 1e-15);
        Assert.Equal(band * 0.3, StressLoss.Of(StressMode.LuldHalt, [-0.3], [[]], [price]), 1e-15);
    }

    [Fact]
    public void A_non_finite_move_or_ragged_moves_are_refused_by_name()
    {
        var nan = Assert.Throws<QuantInputException>(() => StressLoss.Of(StressMode.Path, [0.1, 0.2], [[0.01], [double.NaN]]));
        Assert.Equal("a move of the stress scenario is not finite (NaN)", nan.Message);
        var ragged = Assert.Throws<QuantInputException>(() => StressLoss.Of(StressMode.Path, [0.1, 0.2], [[0.01], [0.01, 0.02]]));
        Assert.Equal("move series 1 has 2 points, the others 1", ragged.Message);
        Assert.Throws<QuantInputException>(() => StressLoss.Of(StressMode.Path, [0.1], [[0.01], [0.01]]));
    }
}
