using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Profit and loss of a portfolio (or one instrument of it) at an instant, split by source.</summary>
/// <param name="Portfolio">Portfolio id.</param>
/// <param name="Instrument">Instrument symbol, or empty for the portfolio total.</param>
/// <param name="Ts">Snapshot time, ns UTC.</param>
/// <param name="Realized">Realised PnL.</param>
/// <param name="Unrealized">Unrealised PnL at the mark.</param>
/// <param name="Fees">Fees paid (positive = cost).</param>
/// <param name="Slippage">Execution slippage versus arrival price (positive = cost).</param>
/// <param name="Equity">Account equity after it.</param>
public sealed record PnlSnapshot(string Portfolio, string Instrument, long Ts, double Realized, double Unrealized, double Fees, double Slippage, double Equity)
{
    /// <summary>Total PnL net of fees.</summary>
    public double Total => Realized + Unrealized - Fees;

    /// <summary>The PnL schema and its batch conversion.</summary>
    public static ArrowRecordCodec<PnlSnapshot> Arrow { get; } = new("pnl",
    [
        Col.Utf8<PnlSnapshot>("portfolio", r => r.Portfolio),
        Col.Utf8<PnlSnapshot>("instrument", r => r.Instrument),
        Col.Time<PnlSnapshot>("ts", r => r.Ts),
        Col.Float64<PnlSnapshot>("realized", r => r.Realized),
        Col.Float64<PnlSnapshot>("unrealized", r => r.Unrealized),
        Col.Float64<PnlSnapshot>("fees", r => r.Fees),
        Col.Float64<PnlSnapshot>("slippage", r => r.Slippage),
        Col.Float64<PnlSnapshot>("equity", r => r.Equity),
    ], r => new PnlSnapshot(r.Utf8(0), r.Utf8(1), r.Int64(2), r.Float64(3), r.Float64(4), r.Float64(5), r.Float64(6), r.Float64(7)));
}
