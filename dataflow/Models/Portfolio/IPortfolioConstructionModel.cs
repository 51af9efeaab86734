namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>
/// A portfolio construction model (LEAN's Algorithm.Framework shape): the gated forecasts of a rebalance in, target
/// weights out. Pure: the same inputs give the same weights, so backtest, paper and live agree and a signed policy means
/// one behaviour.
/// </summary>
public interface IPortfolioConstructionModel
{
    /// <summary>The policy's name for the method.</summary>
    string Name { get; }

    /// <summary>Target weights for the rebalance.</summary>
    /// <exception cref="Quant.QuantInputException">The inputs admit no portfolio (an infeasible constraint set, a covariance the method cannot use): the rebalance is refused with this reason.</exception>
    PortfolioSolution Construct(PortfolioInputs inputs);
}
