using System.Text.Json;
using Apache.Arrow;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Audit;

namespace CroweLogic.Flow.Activities.Backtest;

/// <summary>
/// Writes a lane run to the store: orders, executions, risk events, PnL, quarantined events (into <c>rejects</c>, table
/// <c>lane</c>) and one audit entry per order with its policy id and gate reasons and per refused rebalance with its reason, plus the run's gate and compliance
/// summary at the end. A backtest holds it all until it completes, because a store feed holds the embedded engine while
/// it streams; a live session, whose feed is not the store, calls <see cref="FlushAsync"/> as it runs, so a killed
/// process loses at most what arrived since the last flush.
/// </summary>
public sealed class StoreLaneSink(IFlowStore store, string runId, Func<LaneGraph> graph) : LaneRecorder
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private int _orders, _children, _reports, _risk, _pnl, _quarantined;

    /// <summary>Flushes that wrote something.</summary>
    public int Flushes { get; private set; }

    /// <inheritdoc />
    public override void Accept(LaneMessage message)
    {
        lock (_gate) base.Accept(message);
    }

    /// <summary>Writes what arrived since the last flush (safe to call from another thread while the lane runs).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            List<Contracts.Events.Order> orders, children;
            List<Contracts.Events.ExecutionReport> reports;
            List<Contracts.Events.RiskEvent> risk;
            List<Contracts.Events.PnlSnapshot> pnl;
            List<(long, QuarantinedEvent)> quarantined;
            lock (_gate)
            {
                orders = Orders[_orders..];
                children = ChildOrders[_children..];
                reports = Reports[_reports..];
                risk = RiskEvents[_risk..];
                pnl = Pnl[_pnl..];
                quarantined = Quarantined[_quarantined..];
            }
            if (orders.Count + children.Count > 0) await EventTables.Orders.AppendAsync(store, [.. orders, .. children], cancellationToken);
            if (reports.Count > 0) await EventTables.Executions.AppendAsync(store, reports, cancellationToken);
            if (risk.Count > 0) await EventTables.RiskEvents.AppendAsync(store, risk, cancellationToken);
            if (pnl.Count > 0) await EventTables.Pnl.AppendAsync(store, pnl, cancellationToken);
            if (quarantined.Count > 0) await WriteQuarantineAsync(quarantined, cancellationToken);
            // Every order with its reasons, and every rebalance portfolio construction refused with its own.
            List<(string, string, string, string)> audited =
            [
                .. orders.Concat(children).Select(o => ("lane", "order", o.OrderId, JsonSerializer.Serialize(new
                {
                    run = runId, o.PolicyId, parent = o.ParentOrderId, o.Instrument, side = o.Side.ToString(), o.Quantity, o.LimitPrice, type = o.Type.ToString(), ts = o.Ts, o.Reasons,
                }))),
                .. risk.Where(e => e.Source == PortfolioAgent.Source).Select(e => ("lane", e.Kind, e.EventId, JsonSerializer.Serialize(new { run = runId, e.PolicyId, ts = e.Ts, reason = e.Message }))),
            ];
            if (audited.Count > 0) await new AuditLog(store, GovernanceServices.NowNanos).AppendManyAsync(audited, cancellationToken);
            (_orders, _children, _reports, _risk, _pnl, _quarantined) =
                (_orders + orders.Count, _children + children.Count, _reports + reports.Count, _risk + risk.Count, _pnl + pnl.Count, _quarantined + quarantined.Count);
            if (orders.Count + children.Count + reports.Count + risk.Count + pnl.Count + quarantined.Count > 0) Flushes++;
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <inheritdoc />
    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var lane = graph();
        var audit = new AuditLog(store, GovernanceServices.NowNanos);
        List<(string, string, string, string)> entries = [];
        entries.Add(("lane", "run", runId, JsonSerializer.Serialize(new
        {
            signals_judged = lane.Gate.Judged, signals_passed = lane.Gate.Passed, gate_failures = lane.Gate.Failures,
            compliance = lane.Compliance.Rejections, orders = Orders.Count, child_orders = ChildOrders.Count, fills = lane.Pnl.Fills,
            quarantined = Quarantined.GroupBy(q => q.Event.Reason).ToDictionary(g => g.Key, g => g.Count()),
        })));
        await audit.AppendManyAsync(entries, cancellationToken);
    }

    private Task WriteQuarantineAsync(List<(long Sequence, QuarantinedEvent Event)> quarantined, CancellationToken cancellationToken)
    {
        var table = new StringArray.Builder();
        var source = new StringArray.Builder();
        var reason = new StringArray.Builder();
        var symbol = new StringArray.Builder();
        var ts = new Int64Array.Builder();
        var row = new StringArray.Builder();
        foreach (var (sequence, q) in quarantined)
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
