namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>What the rows of a market batch are.</summary>
public enum MarketShape
{
    /// <summary>Trades and quotes interleaved in time order: <c>symbol, ts, seq, kind (0 trade, 1 quote), price, size, bid, bid_size, ask, ask_size</c>.</summary>
    Ticks,

    /// <summary>Bars in time order: <c>symbol, ts, seq, open, high, low, close, volume, adj_close</c>.</summary>
    Bars,
}
