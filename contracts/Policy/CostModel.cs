namespace CroweLogic.Flow.Contracts.Policy;

/// <summary>The policy's <c>costs</c> section: what the simulated venue charges and how it moves prices.</summary>
/// <param name="CommissionBps">Commission per traded notional, basis points.</param>
/// <param name="HalfSpreadBps">Half the quoted spread paid on daily-bar fills (tick fills pay the real quoted spread).</param>
/// <param name="ImpactCoefficient">Y in the square-root impact law: cost = Y · σ_daily · sqrt(Q / ADV).</param>
/// <param name="BorrowBpsAnnual">Borrow fee on short notional, basis points per year.</param>
/// <param name="LatencyMillis">Decision-to-venue latency; the order reaches the venue this long after its triggering event.</param>
/// <param name="InitialEquity">Starting equity of the simulated account.</param>
public sealed record CostModel(double CommissionBps, double HalfSpreadBps, double ImpactCoefficient, double BorrowBpsAnnual, double LatencyMillis, double InitialEquity)
{
    /// <summary>0.5 bp commission, 2 bp half spread, Y = 0.7, 50 bp/year borrow, 1 ms latency, 10 M equity.</summary>
    public static CostModel Default { get; } = new(0.5, 2, 0.7, 50, 1, 10_000_000);

    /// <summary>
    /// Fee on a passive (maker) fill in the simulated venues, basis points of notional, negative for a rebate
    /// (<c>maker_fee_bps</c>); the commission is the taker's. Also what the LADDER algorithm weighs a passive fill at.
    /// Default −0.2 (a 0.2 bp rebate).
    /// </summary>
    public double MakerFeeBps { get; init; } = -0.2;
}
