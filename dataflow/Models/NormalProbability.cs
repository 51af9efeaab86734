namespace CroweLogic.Flow.Dataflow.Models;

/// <summary>The standard normal CDF, for P(edge &gt; 0) = Φ(μ / σ).</summary>
public static class NormalProbability
{
    /// <summary>Φ(x).</summary>
    public static double Cdf(double x) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-x / Math.Sqrt(2));
}
