using CroweLogic.Flow.Quant.Data;

namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>
/// What a portfolio construction model sees at a rebalance: the names the gate passed that have enough history, their
/// forecasts per slice, their return window, and the book's current raw weights.
/// </summary>
/// <param name="Ids">Instrument ids, ascending.</param>
/// <param name="Mu">Expected return per slice (the signal's μ over its horizon divided by the horizon's slices).</param>
/// <param name="Sigma">Forecast σ per slice (the signal's σ divided by the square root of the horizon's slices).</param>
/// <param name="Returns">The return window of <paramref name="Ids"/>, oldest slice first, NaN where a name had no return.</param>
/// <param name="Previous">The book's raw weight of each name before this rebalance (the turnover penalty's w_prev).</param>
public sealed record PortfolioInputs(int[] Ids, double[] Mu, double[] Sigma, Panel Returns, double[] Previous)
{
    /// <summary>Names in the rebalance.</summary>
    public int Count => Ids.Length;

    /// <summary>+1 for a name forecast to rise, −1 for one forecast to fall.</summary>
    public double Direction(int i) => Mu[i] < 0 ? -1 : 1;
}
