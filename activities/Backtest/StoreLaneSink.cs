using System.Text.Json;
using Apache.Arrow;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Audit;

namespace CroweLogic.Flow.Activities.Backtest;

/// <summary>
/// Writes a lane run to the store when it completes: orders, executions, risk events, PnL, quarantined events (into
/// <c>rejects</c>, table <c>lane</c>) and one audit entry per order with its policy id and gate reasons, plus the run's
/// gate and compliance summary. Held in memory until then, because a store feed holds the embedded engine while it streams.
/// </summary>
public sealed class StoreLaneSink(IFlowStore store, string runId, Func<LaneGraph> graph) : LaneRecorder
{
    /// <inheritdoc />
    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (Orders.Count + ChildOrders.Count > 0) await EventTables.Orders.AppendAsync(store, [.. Orders, .. ChildOrders], cancellationToken);
        if (Reports.Count > 0) await EventTables.Executions.AppendAsync(store, Reports, cancellationToken);
        if (RiskEvents.Count > 0) await EventTables.RiskEvents.AppendAsync(store, RiskEvents, cancellationToken);
        if (Pnl.Count > 0) await EventTables.Pnl.AppendAsync(store, Pnl, cancellationToken);
        if (Quarantined.Count > 0) await WriteQuarantineAsync(cancellationToken);
        var lane = graph();
        var audit = new AuditLog(store, GovernanceServices.NowNanos);
        var entries = Orders.Concat(ChildOrders).Select(o => ("lane", "order", o.OrderId, JsonSerializer.Serialize(new
        {
            run = runId, o.PolicyId, parent = o.ParentOrderId, o.Instrument, side = o.Side.ToString(), o.Quantity, o.LimitPrice, type = o.Type.ToString(), ts = o.Ts, o.Reasons,
        }))).ToList();
        entries.Add(("lane", "run", runId, JsonSerializer.Serialize(new
        {
            signals_judged = lane.Gate.Judged, signals_passed = lane.Gate.Passed, gate_failures = lane.Gate.Failures,
            compliance = lane.Compliance.Rejections, orders = Orders.Count, child_orders = ChildOrders.Count, fills = lane.Pnl.Fills,
            quarantined = Quarantined.GroupBy(q => q.Event.Reason).ToDictionary(g => g.Key, g => g.Count()),
        })));
        await audit.AppendManyAsync(entries, cancellationToken);
    }

    private Task WriteQuarantineAsync(CancellationToken cancellationToken)
    {
        var table = new StringArray.Builder();
        var source = new StringArray.Builder();
        var reason = new StringArray.Builder();
        var symbol = new StringArray.Builder();
        var ts = new Int64Array.Builder();
        var row = new StringArray.Builder();
        foreach (var (sequence, q) in Quarantined)
        {
            table.Append("lane");
            source.Append($"{runId}#{sequence}");
            reason.Append(q.Reason);
            symbol.Append(q.Symbol);
            ts.Append(q.Ts);
            row.Append(JsonSerializer.Serialize(new { message = sequence, row = q.Row, seq = q.Sequence }));
        }
        var batch = new RecordBatch.Builder()
            .Append("table_name", false, table.Build()).Append("source", false, source.Build()).Append("reason", false, reason.Build())
            .Append("symbol", false, symbol.Build()).Append("ts", false, ts.Build()).Append("row", false, row.Build()).Build();
        return store.InsertArrowAsync("rejects (table_name, batch_id, source, reason, symbol, ts, row)", batch.Schema, [batch],
            src => $"SELECT table_name, generateUUIDv4(), source, reason, symbol, fromUnixTimestamp64Nano(ts, 'UTC'), row FROM {src}", cancellationToken);
    }
}
