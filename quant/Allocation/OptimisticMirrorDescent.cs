namespace CroweLogic.Flow.Quant.Allocation;

/// <summary>
/// Optimistic mirror descent on the probability simplex with the entropy mirror map (optimistic exponentiated gradient):
/// a secondary iterate û_{t+1} ∝ û_t·e^(−η g_t) and the played allocation u_{t+1} ∝ û_{t+1}·e^(−η M_{t+1}) with the hint
/// M_{t+1} = g_t. Regret against the best fixed allocation is at most ln(n)/η + η·Σ‖g_t − M_t‖²_∞.
/// </summary>
public sealed class OptimisticMirrorDescent
{
    private readonly double _eta;
    private double[] _secondary;
    private double[]? _hint;

    /// <summary>Starts from the uniform allocation over <paramref name="assets"/> with step size η.</summary>
    public OptimisticMirrorDescent(int assets, double eta)
    {
        if (assets < 1 || !(eta > 0)) throw new QuantInputException("mirror descent needs at least one asset and a positive step size");
        _eta = eta;
        _secondary = [.. Enumerable.Repeat(1.0 / assets, assets)];
        Allocation = (double[])_secondary.Clone();
    }

    /// <summary>The allocation to play now.</summary>
    public double[] Allocation { get; private set; }

    /// <summary>Observes the loss gradient of the allocation just played and moves to the next allocation.</summary>
    public void Observe(double[] gradient)
    {
        if (gradient.Length != _secondary.Length || gradient.Any(g => !double.IsFinite(g))) throw new QuantInputException("one finite gradient entry per asset is required");
        _secondary = Exponentiate(_secondary, gradient, _eta);
        _hint = (double[])gradient.Clone();
        Allocation = Exponentiate(_secondary, _hint, _eta);
    }

    private static double[] Exponentiate(double[] weights, double[] gradient, double eta)
    {
        // Shift by the minimum gradient so the exponentials stay in range.
        var min = gradient.Min();
        var next = weights.Zip(gradient, (w, g) => w * Math.Exp(-eta * (g - min))).ToArray();
        var total = next.Sum();
        return [.. next.Select(v => v / total)];
    }
}
