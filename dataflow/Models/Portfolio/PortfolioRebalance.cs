namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>One rebalance a cross-sectional model solved: what it saw, what it gave, and the regime budget the lane applied on top.</summary>
/// <param name="Ts">Event time of the rebalance.</param>
/// <param name="Inputs">The model's inputs.</param>
/// <param name="Weights">The model's weights, in the inputs' order (before the budget).</param>
/// <param name="Budget">The regime's risk budget the targets were multiplied by.</param>
public sealed record PortfolioRebalance(long Ts, PortfolioInputs Inputs, double[] Weights, double Budget);
