using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>A model's forecast placed in the message: it applies after the first <paramref name="At"/> feature rows.</summary>
/// <param name="At">Insertion point among the message's feature rows (0 … Count).</param>
/// <param name="Id">Instrument id.</param>
/// <param name="Signal">The forecast.</param>
/// <param name="Rebalance">True when the model re-forecasts the whole universe at this point (instruments it leaves out go flat).</param>
public readonly record struct LaneSignal(int At, int Id, Signal Signal, bool Rebalance);
