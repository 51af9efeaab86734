namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>One rebalance a cross-sectional model solved: what it saw and the weights it gave (the agent's raw targets).</summary>
/// <param name="Ts">Event time of the rebalance.</param>
/// <param name="Inputs">The model's inputs.</param>
/// <param name="Weights">The model's weights, in the inputs' order.</param>
public sealed record PortfolioRebalance(long Ts, PortfolioInputs Inputs, double[] Weights);
