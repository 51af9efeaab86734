using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Quant.Execution;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// A TWAP whose passive children are priced by the smart limit ladder (blueprint §16.4, quant/ SmartLimitLadder): the
/// offset from the touch that maximises expected value given spread, imbalance, short-term alpha and queue depth.
/// </summary>
public sealed class LadderAlgorithm : ExecutionAlgorithm
{
    private readonly TwapAlgorithm _schedule;
    private readonly Func<MarketSnapshot, LadderState> _state;

    /// <summary>A laddered TWAP.</summary>
    /// <param name="parent">The parent.</param>
    /// <param name="slices">TWAP slices.</param>
    /// <param name="tickSize">Price increment; candidate offsets are 0…<paramref name="maxTicks"/> ticks.</param>
    /// <param name="maxTicks">Largest offset considered, in ticks.</param>
    /// <param name="fee">Fee per unit for a passive fill (negative: rebate).</param>
    /// <param name="depthPerPriceUnit">Book depth per unit of price behind the touch.</param>
    /// <param name="state">The ladder state for a snapshot (imbalance, alpha, queue, depletion, horizon).</param>
    /// <param name="limits">Limits.</param>
    /// <param name="seed">Jitter seed.</param>
    public LadderAlgorithm(ParentOrder parent, int slices, double tickSize, int maxTicks, double fee, double depthPerPriceUnit, Func<MarketSnapshot, LadderState> state, AlgoLimits? limits = null, int seed = 0)
        : base(parent, limits ?? new AlgoLimits(), seed)
    {
        if (!(tickSize > 0) || maxTicks < 0) throw new ArgumentException("the tick size must be positive and the offset range non-negative");
        _schedule = new TwapAlgorithm(parent, slices, limits, seed);
        _state = state;
        Candidates = [.. Enumerable.Range(0, maxTicks + 1).Select(k => k * tickSize)];
        (Fee, DepthPerPriceUnit) = (fee, depthPerPriceUnit);
    }

    /// <summary>Offsets considered.</summary>
    public IReadOnlyList<double> Candidates { get; }

    /// <summary>Passive fee per unit.</summary>
    public double Fee { get; }

    /// <summary>Depth per unit of price.</summary>
    public double DepthPerPriceUnit { get; }

    /// <summary>The offset the ladder picks for a snapshot.</summary>
    public double Offset(in MarketSnapshot market) => SmartLimitLadder.Choose(Candidates, _state(market), Fee, DepthPerPriceUnit).Offset;

    /// <inheritdoc />
    public override long TargetFilled(long ts, in MarketSnapshot market) => _schedule.TargetFilled(ts, market);

    /// <inheritdoc />
    protected override double PassivePrice(in MarketSnapshot market) =>
        Parent.Side == Side.Buy ? market.Bid - Offset(market) : market.Ask + Offset(market);
}
