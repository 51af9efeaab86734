namespace CroweLogic.Flow.Contracts.Risk;

/// <summary>
/// A stress scenario as the pre-trade check and <c>flow stress</c> apply it: per instrument, its price moves as simple
/// returns from the scenario's base (one per day of a <see cref="StressMode.Path"/>, or the points of a
/// <see cref="StressMode.WorstPerName"/> shock), and the move of a name the scenario has no data for.
/// </summary>
/// <param name="Name">One of <see cref="StressScenarioNames.All"/>.</param>
/// <param name="Description">What the moves are and where they came from.</param>
/// <param name="Mode">How the moves combine.</param>
/// <param name="Moves">Moves by symbol, each as long as <paramref name="Proxy"/>.</param>
/// <param name="Proxy">
/// The moves of a name without data in the scenario (it was not listed then): the equal-weighted average of the names
/// that have data, point by point — a beta of one to the scenario's market.
/// </param>
public sealed record StressScenario(string Name, string Description, StressMode Mode, IReadOnlyDictionary<string, double[]> Moves, double[] Proxy)
{
    /// <summary>The moves of <paramref name="symbol"/>, or the proxy's.</summary>
    public double[] MovesOf(string symbol) => Moves.TryGetValue(symbol, out var moves) ? moves : Proxy;
}
