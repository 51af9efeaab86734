namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// Percentage of volume: aims at a participation rate of the market volume since start, and never exceeds the cap
/// (filled + working ≤ cap × market volume), whatever the volume does.
/// </summary>
public sealed class PovAlgorithm : ExecutionAlgorithm
{
    /// <summary>A POV at <paramref name="rate"/> (capped at the same rate unless the limits say otherwise).</summary>
    public PovAlgorithm(ParentOrder parent, double rate, AlgoLimits? limits = null, int seed = 0)
        : base(parent, (limits ?? new AlgoLimits()) with { MaxParticipation = (limits?.MaxParticipation ?? 0) is > 0 and var cap ? Math.Min(cap, rate) : rate }, seed)
    {
        if (rate is <= 0 or > 1) throw new ArgumentException($"the participation rate must be in (0, 1], got {rate}");
        Rate = rate;
    }

    /// <summary>Target participation rate.</summary>
    public double Rate { get; }

    /// <inheritdoc />
    public override long TargetFilled(long ts, in MarketSnapshot market) => (long)Math.Floor(Rate * market.MarketVolume);
}
