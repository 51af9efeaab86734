using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <typeparam name="TKey">Instrument key (symbol or lane id).</typeparam>
/// <summary>Target weights after the risk overlays, and the events of every overlay that acted.</summary>
/// <param name="Weights">Target weights by instrument (fractions of equity, signed).</param>
/// <param name="Events">What the overlays did and why.</param>
public sealed record RiskOverlayResult<TKey>(IReadOnlyDictionary<TKey, double> Weights, IReadOnlyList<RiskEvent> Events)
    where TKey : notnull;
