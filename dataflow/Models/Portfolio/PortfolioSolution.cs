namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>A model's target weights for a rebalance and one line on how it got them (it goes on every order's reasons).</summary>
/// <param name="Weights">Weight per name of the inputs, in their order.</param>
/// <param name="Detail">The method, its parameters and the estimates it used.</param>
public sealed record PortfolioSolution(double[] Weights, string Detail);
