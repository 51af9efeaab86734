using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>An OHLCV bar; <see cref="Ts"/> is the bar's opening instant.</summary>
/// <param name="Symbol">Instrument symbol.</param>
/// <param name="Ts">Bar open time, ns UTC (00:00 UTC of the trading date for daily bars).</param>
/// <param name="Open">Open price (unadjusted).</param>
/// <param name="High">High price.</param>
/// <param name="Low">Low price.</param>
/// <param name="Close">Close price (unadjusted).</param>
/// <param name="Volume">Traded volume.</param>
/// <param name="Vwap">Volume-weighted average price when known.</param>
/// <param name="TradeCount">Number of trades, 0 when unknown.</param>
/// <param name="AdjustedClose">Split- and dividend-adjusted close when the source provides it.</param>
public sealed record Bar(string Symbol, long Ts, double Open, double High, double Low, double Close, double Volume, double? Vwap, long TradeCount, double? AdjustedClose)
{
    /// <summary>The bar schema and its batch conversion.</summary>
    public static ArrowRecordCodec<Bar> Arrow { get; } = new("bar",
    [
        Col.Utf8<Bar>("symbol", r => r.Symbol),
        Col.Time<Bar>("ts", r => r.Ts),
        Col.Float64<Bar>("open", r => r.Open),
        Col.Float64<Bar>("high", r => r.High),
        Col.Float64<Bar>("low", r => r.Low),
        Col.Float64<Bar>("close", r => r.Close),
        Col.Float64<Bar>("volume", r => r.Volume),
        Col.Float64<Bar>("vwap", r => r.Vwap),
        Col.Int64<Bar>("trade_count", r => r.TradeCount),
        Col.Float64<Bar>("adj_close", r => r.AdjustedClose),
    ], r => new Bar(r.Utf8(0), r.Int64(1), r.Float64(2), r.Float64(3), r.Float64(4), r.Float64(5), r.Float64(6), r.Float64OrNull(7), r.Int64(8), r.Float64OrNull(9)));
}
