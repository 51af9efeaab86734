using CroweLogic.Flow.Contracts.Risk;

namespace CroweLogic.Flow.Quant.Risk;

/// <summary>
/// The loss of a book held through a stress scenario, as a fraction of equity (positive is a loss, never below zero).
/// Every mode is positively homogeneous in the weights, so the scale that brings a book within a stress limit is
/// limit / loss.
/// </summary>
public static class StressLoss
{
    /// <summary>
    /// The loss of weights <paramref name="weights"/> (by position) whose moves are <paramref name="moves"/> (the same
    /// positions; every array as long as the scenario's proxy) and, for <see cref="StressMode.LuldHalt"/>, whose last
    /// prices are <paramref name="prices"/>.
    /// </summary>
    /// <exception cref="QuantInputException">A weight or move is not finite, or the moves disagree in length.</exception>
    public static double Of(StressMode mode, ReadOnlySpan<double> weights, IReadOnlyList<double[]> moves, ReadOnlySpan<double> prices = default)
    {
        switch (mode)
        {
            case StressMode.Path:
                return Path(weights, moves);
            case StressMode.WorstPerName:
                return WorstPerName(weights, moves);
            case StressMode.LuldHalt:
                double loss = 0;
                for (var i = 0; i < weights.Length; i++)
                {
                    if (weights[i] == 0) continue;
                    Finite(weights[i], "weight");
                    loss += Math.Abs(weights[i]) * LuldBand(i < prices.Length ? prices[i] : double.NaN);
                }
                return loss;
            default:
                throw new QuantInputException($"unknown stress mode {mode}");
        }
    }

    /// <summary>
    /// Each position's share of <see cref="Of"/>'s loss (positive is a loss): on a path, its loss at the book's worst
    /// point; worst per name, its own worst point; in a halt, its band. They sum to the loss whenever the loss is positive.
    /// </summary>
    public static double[] Contributions(StressMode mode, ReadOnlySpan<double> weights, IReadOnlyList<double[]> moves, ReadOnlySpan<double> prices = default)
    {
        var contributions = new double[weights.Length];
        if (mode == StressMode.LuldHalt)
        {
            for (var i = 0; i < weights.Length; i++) contributions[i] = Math.Abs(weights[i]) * (weights[i] == 0 ? 0 : LuldBand(i < prices.Length ? prices[i] : double.NaN));
            return contributions;
        }
        var points = Points(weights, moves);
        if (points == 0) return contributions;
        if (mode == StressMode.WorstPerName)
        {
            for (var i = 0; i < weights.Length; i++)
            {
                if (weights[i] == 0) continue;
                var worst = double.NegativeInfinity;
                foreach (var m in moves[i].AsSpan(0, points)) worst = Math.Max(worst, -weights[i] * m);
                contributions[i] = worst;
            }
            return contributions;
        }
        var (at, value) = (0, double.PositiveInfinity);
        for (var t = 0; t < points; t++)
        {
            double v = 0;
            for (var i = 0; i < weights.Length; i++) if (weights[i] != 0) v += weights[i] * moves[i][t];
            if (v < value) (at, value) = (t, v);
        }
        for (var i = 0; i < weights.Length; i++) if (weights[i] != 0) contributions[i] = -weights[i] * moves[i][at];
        return contributions;
    }

    /// <summary>max(0, max_t −Σ_i w_i m_{i,t}): the book's worst point on the scenario's path.</summary>
    public static double Path(ReadOnlySpan<double> weights, IReadOnlyList<double[]> moves)
    {
        var points = Points(weights, moves);
        Span<double> value = points <= 512 ? stackalloc double[points] : new double[points];
        value.Clear();
        for (var i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            if (w == 0) continue;
            Finite(w, "weight");
            var m = moves[i];
            for (var t = 0; t < points; t++) value[t] += w * Finite(m[t], "move");
        }
        double worst = 0;
        foreach (var v in value) worst = Math.Max(worst, -v);
        return worst;
    }

    /// <summary>max(0, Σ_i max_t −w_i m_{i,t}): each position at its own worst point.</summary>
    public static double WorstPerName(ReadOnlySpan<double> weights, IReadOnlyList<double[]> moves)
    {
        var points = Points(weights, moves);
        double loss = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            if (w == 0) continue;
            Finite(w, "weight");
            var worst = double.NegativeInfinity;
            foreach (var m in moves[i].AsSpan(0, points)) worst = Math.Max(worst, -w * Finite(m, "move"));
            if (points > 0) loss += worst;
        }
        return Math.Max(0, loss);
    }

    /// <summary>
    /// The limit-up/limit-down band of a Tier 1 NMS stock at reference price <paramref name="price"/> (the LULD Plan,
    /// Appendix A: 5 % above $3.00, 20 % from $0.75 to $3.00, the lesser of $0.15 and 75 % below $0.75), doubled as in the
    /// first fifteen minutes and the last twenty-five of the session, when the widest band applies. An unknown price
    /// takes the widest band of all, 75 % doubled: capped at a total loss.
    /// </summary>
    public static double LuldBand(double price)
    {
        double band = !(price > 0) ? 0.75
            : price > 3.0 ? 0.05
            : price >= 0.75 ? 0.20
            : Math.Min(0.15 / price, 0.75);
        return Math.Min(1, 2 * band);
    }

    private static int Points(ReadOnlySpan<double> weights, IReadOnlyList<double[]> moves)
    {
        if (moves.Count != weights.Length) throw new QuantInputException($"{moves.Count} move series for {weights.Length} weights");
        var points = -1;
        for (var i = 0; i < moves.Count; i++)
        {
            if (weights[i] == 0) continue;
            if (points < 0) points = moves[i].Length;
            else if (moves[i].Length != points) throw new QuantInputException($"move series {i} has {moves[i].Length} points, the others {points}");
        }
        return Math.Max(points, 0);
    }

    private static double Finite(double value, string what) =>
        double.IsFinite(value) ? value : throw new QuantInputException($"a {what} of the stress scenario is not finite ({value})");
}
