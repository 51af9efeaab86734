using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Storage;

/// <summary>
/// A store table that holds one contract event type: Arrow batches in, Arrow batches (or records) out,
/// columns matched by the contract's names.
/// </summary>
/// <typeparam name="T">The event record.</typeparam>
public sealed class EventTable<T>(string name, ArrowRecordCodec<T> codec)
{
    /// <summary>Table name.</summary>
    public string Name { get; } = name;

    /// <summary>The event's codec.</summary>
    public ArrowRecordCodec<T> Codec { get; } = codec;

    private string ColumnList => string.Join(", ", Codec.ColumnNames.Select(Sql.Identifier));

    /// <summary>Appends records (encoded as Arrow batches of up to 256 Ki rows, the size libchdb scans fastest here).</summary>
    public Task<StatementStats> AppendAsync(IFlowStore store, IReadOnlyList<T> rows, CancellationToken cancellationToken = default) =>
        store.InsertArrowAsync($"{Name} ({ColumnList})", Codec.Schema, Codec.EncodeChunks(rows),
            // A backtest's decisions span decades of monthly partitions in one append.
            src => $"SELECT {ColumnList} FROM {src} SETTINGS max_partitions_per_insert_block = 10000", cancellationToken);

    /// <summary>Reads records, optionally filtered and ordered by SQL clauses.</summary>
    public async Task<List<T>> ReadAsync(IFlowStore store, string? where = null, string? orderBy = null, CancellationToken cancellationToken = default)
    {
        var sql = $"SELECT {ColumnList} FROM {Name}" + (where is null ? "" : $" WHERE {where}") + (orderBy is null ? "" : $" ORDER BY {orderBy}");
        using var result = await store.QueryArrowAsync(sql, cancellationToken).ConfigureAwait(false);
        return Codec.Decode(result.Batches);
    }
}

/// <summary>The store's event tables, one per contract.</summary>
public static class EventTables
{
    /// <summary>Instrument reference data.</summary>
    public static EventTable<Instrument> Instruments { get; } = new("instruments", Instrument.Arrow);

    /// <summary>Trades.</summary>
    public static EventTable<Trade> Trades { get; } = new("trades", Trade.Arrow);

    /// <summary>Quotes.</summary>
    public static EventTable<Quote> Quotes { get; } = new("quotes", Quote.Arrow);

    /// <summary>One-minute bars.</summary>
    public static EventTable<Bar> Bars1m { get; } = new("bars_1m", Bar.Arrow);

    /// <summary>Daily bars.</summary>
    public static EventTable<Bar> Bars1d { get; } = new("bars_1d", Bar.Arrow);

    /// <summary>One-second bars.</summary>
    public static EventTable<Bar> Bars1s { get; } = new("bars_1s", Bar.Arrow);

    /// <summary>Quote bars of any period.</summary>
    public static EventTable<QuoteBar> QuoteBars { get; } = new("quote_bars", QuoteBar.Arrow);

    /// <summary>L2 book deltas.</summary>
    public static EventTable<BookDelta> BookDeltas { get; } = new("book_deltas", BookDelta.Arrow);

    /// <summary>Corporate actions.</summary>
    public static EventTable<CorporateAction> CorporateActions { get; } = new("corporate_actions", CorporateAction.Arrow);

    /// <summary>Feature values.</summary>
    public static EventTable<FeatureVector> FeatureValues { get; } = new("feature_values", FeatureVector.Arrow);

    /// <summary>Signals.</summary>
    public static EventTable<Signal> Signals { get; } = new("signals", Signal.Arrow);

    /// <summary>Target positions.</summary>
    public static EventTable<TargetPosition> TargetPositions { get; } = new("target_positions", TargetPosition.Arrow);

    /// <summary>Orders.</summary>
    public static EventTable<Order> Orders { get; } = new("orders", Order.Arrow);

    /// <summary>Execution reports.</summary>
    public static EventTable<ExecutionReport> Executions { get; } = new("executions", ExecutionReport.Arrow);

    /// <summary>Position snapshots.</summary>
    public static EventTable<PositionSnapshot> Positions { get; } = new("positions", PositionSnapshot.Arrow);

    /// <summary>PnL snapshots.</summary>
    public static EventTable<PnlSnapshot> Pnl { get; } = new("pnl", PnlSnapshot.Arrow);

    /// <summary>Risk events.</summary>
    public static EventTable<RiskEvent> RiskEvents { get; } = new("risk_events", RiskEvent.Arrow);

    /// <summary>The audit log (append through <see cref="Audit.AuditLog"/> to keep the chain).</summary>
    public static EventTable<AuditRecord> AuditLog { get; } = new("audit_log", AuditRecord.Arrow);
}
