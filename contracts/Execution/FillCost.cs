namespace CroweLogic.Flow.Contracts.Execution;

/// <summary>How a simulated fill's price was made: the venue's spread and impact components, in currency.</summary>
/// <param name="ExecId">The execution report.</param>
/// <param name="Spread">Cost of crossing the spread.</param>
/// <param name="Impact">Cost of market impact.</param>
public readonly record struct FillCost(string ExecId, double Spread, double Impact);
