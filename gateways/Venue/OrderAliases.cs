using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// FIX reports a cancelled or replaced order under the ClOrdID of the request that changed it; the lane knows each
/// order by the ClOrdID it was submitted with. A venue client registers each cancel and replace id here and reports
/// every event under the original id.
/// </summary>
public sealed class OrderAliases
{
    private readonly Dictionary<string, string> _original = new(StringComparer.Ordinal);

    /// <summary><paramref name="requestId"/> (a cancel or replace) acts on the order submitted as <paramref name="origClOrdId"/> (itself perhaps an alias).</summary>
    public void Add(string requestId, string origClOrdId) => _original[requestId] = Original(origClOrdId);

    /// <summary>The ClOrdID the order was submitted with.</summary>
    public string Original(string clOrdId) => _original.TryGetValue(clOrdId, out var original) ? original : clOrdId;

    /// <summary>The report under the order's original ClOrdID.</summary>
    public ExecutionReport Resolve(ExecutionReport report) =>
        _original.TryGetValue(report.OrderId, out var original) ? report with { OrderId = original } : report;

    /// <summary>The cancel reject about the order's original ClOrdID (the request's own id is kept).</summary>
    public OrderCancelRejected Resolve(OrderCancelRejected reject) =>
        _original.TryGetValue(reject.OrigClOrdId, out var original) ? reject with { OrigClOrdId = original } : reject;
}
