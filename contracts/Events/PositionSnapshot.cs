using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>A portfolio's holding of one instrument at an instant.</summary>
/// <param name="Portfolio">Portfolio id.</param>
/// <param name="Instrument">Instrument symbol.</param>
/// <param name="Ts">Snapshot time, ns UTC.</param>
/// <param name="Quantity">Signed quantity held.</param>
/// <param name="AvgCost">Average cost of the open quantity.</param>
/// <param name="MarkPrice">Price the position is marked at.</param>
public sealed record PositionSnapshot(string Portfolio, string Instrument, long Ts, double Quantity, double AvgCost, double MarkPrice)
{
    /// <summary>Market value at the mark.</summary>
    public double MarketValue => Quantity * MarkPrice;

    /// <summary>The position schema and its batch conversion.</summary>
    public static ArrowRecordCodec<PositionSnapshot> Arrow { get; } = new("position",
    [
        Col.Utf8<PositionSnapshot>("portfolio", r => r.Portfolio),
        Col.Utf8<PositionSnapshot>("instrument", r => r.Instrument),
        Col.Time<PositionSnapshot>("ts", r => r.Ts),
        Col.Float64<PositionSnapshot>("quantity", r => r.Quantity),
        Col.Float64<PositionSnapshot>("avg_cost", r => r.AvgCost),
        Col.Float64<PositionSnapshot>("mark_price", r => r.MarkPrice),
    ], r => new PositionSnapshot(r.Utf8(0), r.Utf8(1), r.Int64(2), r.Float64(3), r.Float64(4), r.Float64(5)));
}
