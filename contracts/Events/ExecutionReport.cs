using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>A venue's report on an order (FIX 35=8); a fill is a report with <see cref="LastQty"/> &gt; 0.</summary>
/// <param name="ExecId">Venue execution id (unique per report).</param>
/// <param name="OrderId">Client order id it reports on.</param>
/// <param name="Instrument">Instrument symbol.</param>
/// <param name="Ts">Venue transaction time, ns UTC.</param>
/// <param name="ExecType">What happened.</param>
/// <param name="Status">Order status after it.</param>
/// <param name="Side">Order side.</param>
/// <param name="LastQty">Quantity filled by this report.</param>
/// <param name="LastPrice">Price of this fill.</param>
/// <param name="CumQty">Total filled so far.</param>
/// <param name="LeavesQty">Quantity still open.</param>
/// <param name="AvgPrice">Average fill price so far.</param>
/// <param name="Fee">Fee charged by this report (negative = rebate).</param>
/// <param name="Venue">Venue that executed.</param>
/// <param name="Liquidity">"maker", "taker" or empty.</param>
/// <param name="Text">Venue text, e.g. a reject reason.</param>
public sealed record ExecutionReport(
    string ExecId, string OrderId, string Instrument, long Ts, ExecType ExecType, OrderStatus Status, Side Side,
    double LastQty, double LastPrice, double CumQty, double LeavesQty, double AvgPrice, double Fee, string Venue, string Liquidity, string Text)
{
    /// <summary>True when this report carries a fill.</summary>
    public bool IsFill => ExecType == ExecType.Trade && LastQty > 0;

    /// <summary>Signed filled quantity (negative for sells).</summary>
    public double SignedLastQty => Side == Side.Buy ? LastQty : -LastQty;

    /// <summary>The execution report schema and its batch conversion.</summary>
    public static ArrowRecordCodec<ExecutionReport> Arrow { get; } = new("execution_report",
    [
        Col.Utf8<ExecutionReport>("exec_id", r => r.ExecId),
        Col.Utf8<ExecutionReport>("order_id", r => r.OrderId),
        Col.Utf8<ExecutionReport>("instrument", r => r.Instrument),
        Col.Time<ExecutionReport>("ts", r => r.Ts),
        Col.Enum<ExecutionReport, ExecType>("exec_type", r => r.ExecType),
        Col.Enum<ExecutionReport, OrderStatus>("status", r => r.Status),
        Col.Enum<ExecutionReport, Side>("side", r => r.Side),
        Col.Float64<ExecutionReport>("last_qty", r => r.LastQty),
        Col.Float64<ExecutionReport>("last_price", r => r.LastPrice),
        Col.Float64<ExecutionReport>("cum_qty", r => r.CumQty),
        Col.Float64<ExecutionReport>("leaves_qty", r => r.LeavesQty),
        Col.Float64<ExecutionReport>("avg_price", r => r.AvgPrice),
        Col.Float64<ExecutionReport>("fee", r => r.Fee),
        Col.Utf8<ExecutionReport>("venue", r => r.Venue),
        Col.Utf8<ExecutionReport>("liquidity", r => r.Liquidity),
        Col.Utf8<ExecutionReport>("text", r => r.Text),
    ], r => new ExecutionReport(r.Utf8(0), r.Utf8(1), r.Utf8(2), r.Int64(3), r.Enum<ExecType>(4), r.Enum<OrderStatus>(5), r.Enum<Side>(6),
        r.Float64(7), r.Float64(8), r.Float64(9), r.Float64(10), r.Float64(11), r.Float64(12), r.Utf8(13), r.Utf8(14), r.Utf8(15)));
}
