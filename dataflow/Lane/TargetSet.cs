namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// Target weights decided at one point in the message: instrument id → signed fraction of equity, for the instruments
/// whose target changed, with the reasons each went through (they end up on the order).
/// </summary>
/// <param name="at">Insertion point among the message's feature rows.</param>
/// <param name="ts">Event time of the decision.</param>
public sealed class TargetSet(int at, long ts)
{
    /// <summary>Insertion point among the message's feature rows.</summary>
    public int At { get; } = at;

    /// <summary>Event time of the decision.</summary>
    public long Ts { get; } = ts;

    /// <summary>Target weights of the instruments that changed.</summary>
    public TargetWeights Weights { get; } = new();

    /// <summary>Reasons per instrument, in the order the gates added them.</summary>
    public Dictionary<int, List<string>> Reasons { get; } = [];

    /// <summary>Equity the weights are fractions of (the overlay agent's mark-to-market of the lane's book).</summary>
    public double Equity { get; set; }

    /// <summary>
    /// Why the lane goes flat now (a kill switch, a stand-down, a drawdown guard), or null: every working order is then
    /// cancelled at the venue, and every position closed at once from what is held, whatever the weights list.
    /// </summary>
    public string? Flatten { get; set; }

    /// <summary>Sets a weight with a reason.</summary>
    public void Set(int id, double weight, string reason)
    {
        Weights[id] = weight;
        Note(id, reason);
    }

    /// <summary>Adds a reason for an instrument.</summary>
    public void Note(int id, string reason)
    {
        if (!Reasons.TryGetValue(id, out var list)) Reasons[id] = list = [];
        list.Add(reason);
    }
}
