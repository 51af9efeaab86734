namespace CroweLogic.Flow.Contracts.Events;

/// <summary>
/// An instrument's prevailing bid and ask built from quote updates that may carry one side only (consolidated tick feeds
/// such as LEAN's send each exchange's change to one side with the other empty): a side with a positive price replaces
/// that side, an empty side keeps the last one.
/// </summary>
/// <param name="Ts">Time of the last update.</param>
/// <param name="Bid">Best bid (NaN until one is seen).</param>
/// <param name="BidSize">Size at the bid.</param>
/// <param name="Ask">Best ask (NaN until one is seen).</param>
/// <param name="AskSize">Size at the ask.</param>
public readonly record struct TopOfBook(long Ts, double Bid, double BidSize, double Ask, double AskSize)
{
    /// <summary>A book with neither side yet.</summary>
    public static TopOfBook Empty { get; } = new(long.MinValue, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>Both sides known and not crossed.</summary>
    public bool IsTwoSided => Bid > 0 && Ask > 0 && Bid <= Ask;

    /// <summary>The book after one update.</summary>
    public TopOfBook Update(long ts, double bid, double bidSize, double ask, double askSize) => new(
        ts,
        bid > 0 ? bid : Bid,
        bid > 0 ? (bidSize >= 0 ? bidSize : 0) : BidSize,
        ask > 0 ? ask : Ask,
        ask > 0 ? (askSize >= 0 ? askSize : 0) : AskSize);
}
