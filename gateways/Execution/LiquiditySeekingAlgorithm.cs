using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// Liquidity seeking: while the spread is at most <see cref="MaxSpread"/> it takes whatever the far touch displays
/// (up to the remaining quantity and the caps); otherwise it keeps pace with a minimum linear schedule
/// (<see cref="MinimumPace"/> of the quantity over the window) by joining the near touch.
/// </summary>
public sealed class LiquiditySeekingAlgorithm : ExecutionAlgorithm
{
    /// <summary>A liquidity-seeking algorithm.</summary>
    public LiquiditySeekingAlgorithm(ParentOrder parent, double maxSpread, double minimumPace = 0.5, AlgoLimits? limits = null, int seed = 0)
        : base(parent, limits ?? new AlgoLimits(), seed)
    {
        if (!(maxSpread >= 0)) throw new ArgumentException("the spread threshold must be non-negative");
        if (minimumPace is < 0 or > 1) throw new ArgumentException("the minimum pace must be in [0, 1]");
        (MaxSpread, MinimumPace) = (maxSpread, minimumPace);
    }

    /// <summary>Spread at or below which displayed liquidity is taken.</summary>
    public double MaxSpread { get; }

    /// <summary>Fraction of the quantity done linearly over the window whatever the spread.</summary>
    public double MinimumPace { get; }

    /// <inheritdoc />
    public override long TargetFilled(long ts, in MarketSnapshot market) =>
        IsTight(market) ? Parent.Quantity : (long)Math.Floor(Parent.Quantity * MinimumPace * Elapsed(ts));

    // Prices are decimal quantities held in doubles: 100.01 − 99.99 must count as a 0.02 spread.
    private bool IsTight(in MarketSnapshot market) => market.Ask - market.Bid <= MaxSpread + 1e-9 * Math.Max(1, market.Ask);

    /// <inheritdoc />
    protected override long CapChild(long need, in MarketSnapshot market)
    {
        if (!IsTight(market)) return need;
        var displayed = (long)Math.Floor(Parent.Side == Side.Buy ? market.AskSize : market.BidSize);
        return Math.Min(need, displayed);
    }
}
