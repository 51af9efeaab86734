using CroweLogic.Flow.Quant.Execution;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// Implementation shortfall: trades along the Almgren–Chriss optimal holdings trajectory (quant/ AlmgrenChriss, the
/// discrete-time closed form), so a risk-averse parent front-loads and a risk-neutral one trades evenly.
/// </summary>
public sealed class ImplementationShortfallAlgorithm : ExecutionAlgorithm
{
    private readonly double[] _holdings;

    /// <summary>An IS algorithm whose AC model has the parent's quantity and window split into <paramref name="model"/>'s intervals.</summary>
    /// <exception cref="ArgumentException">The model's share count differs from the parent's quantity.</exception>
    public ImplementationShortfallAlgorithm(ParentOrder parent, AlmgrenChriss model, AlgoLimits? limits = null, int seed = 0) : base(parent, limits ?? new AlgoLimits(), seed)
    {
        if (Math.Abs(model.Shares - parent.Quantity) > 0.5) throw new ArgumentException($"the Almgren–Chriss model is for {model.Shares} shares, the parent for {parent.Quantity}");
        Model = model;
        _holdings = model.Holdings();
    }

    /// <summary>The execution model.</summary>
    public AlmgrenChriss Model { get; }

    /// <summary>x_k: shares still to trade at the start of interval k (x_0 = X, x_N = 0).</summary>
    public IReadOnlyList<double> Holdings => _holdings;

    /// <inheritdoc />
    public override long TargetFilled(long ts, in MarketSnapshot market)
    {
        // During interval k the schedule asks for the trades up to its end: X − x_{k+1}.
        var k = Math.Min(Model.Intervals - 1, (int)Math.Floor(Elapsed(ts) * Model.Intervals));
        return (long)Math.Round(Parent.Quantity - _holdings[k + 1]);
    }
}
