namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>Time-weighted: equal slices over the window; the target steps up by Q/N at each slice start.</summary>
public sealed class TwapAlgorithm : ExecutionAlgorithm
{
    /// <summary>A TWAP over <paramref name="slices"/> equal slices.</summary>
    public TwapAlgorithm(ParentOrder parent, int slices, AlgoLimits? limits = null, int seed = 0) : base(parent, limits ?? new AlgoLimits(), seed)
    {
        if (slices <= 0) throw new ArgumentException($"a TWAP needs at least one slice, got {slices}");
        Slices = slices;
    }

    /// <summary>Number of slices.</summary>
    public int Slices { get; }

    /// <inheritdoc />
    public override long TargetFilled(long ts, in MarketSnapshot market)
    {
        // Slice k (0-based) starts at k/N of the window and brings the target to (k+1)/N of the quantity.
        var slice = Math.Min(Slices - 1, (int)Math.Floor(Elapsed(ts) * Slices));
        return Parent.Quantity * (slice + 1) / Slices;
    }
}
