namespace CroweLogic.Flow.Quant.Optimization;

/// <summary>
/// Per-variable convex terms gᵢ(xᵢ) = aᵢ|xᵢ| + bᵢ|xᵢ − cᵢ| + indicator(loᵢ ≤ xᵢ ≤ hiᵢ): box bounds, an L1 weight
/// penalty and an L1 distance penalty around a reference point (turnover). The solver handles them through their
/// exact proximal operator, so L1 penalties need no auxiliary variables and bounds no constraint rows.
/// </summary>
/// <param name="Lower">loᵢ (−∞ allowed).</param>
/// <param name="Upper">hiᵢ (+∞ allowed).</param>
/// <param name="Weight">aᵢ ≥ 0, the weight of |xᵢ|.</param>
/// <param name="Distance">bᵢ ≥ 0, the weight of |xᵢ − cᵢ|.</param>
/// <param name="Center">cᵢ, the reference point of the distance term.</param>
public sealed record SeparableTerms(double[] Lower, double[] Upper, double[] Weight, double[] Distance, double[] Center)
{
    /// <summary>Only box bounds.</summary>
    public static SeparableTerms Box(double[] lower, double[] upper) =>
        new(lower, upper, new double[lower.Length], new double[lower.Length], new double[lower.Length]);

    /// <summary>Number of variables.</summary>
    public int Count => Lower.Length;

    /// <summary>Checks lengths and values.</summary>
    /// <exception cref="QuantInputException">Lengths differ, a weight is negative or non-finite, or a lower bound is above its upper bound.</exception>
    public void Validate(int variables)
    {
        if (new[] { Lower.Length, Upper.Length, Weight.Length, Distance.Length, Center.Length }.Any(l => l != variables))
            throw new QuantInputException($"separable terms need {variables} entries per array");
        for (var i = 0; i < variables; i++)
        {
            if (double.IsNaN(Lower[i]) || double.IsNaN(Upper[i]) || Lower[i] > Upper[i])
                throw new QuantInputException($"variable {i} has lower bound {Lower[i]} above upper bound {Upper[i]}");
            if (!(Weight[i] >= 0) || !(Distance[i] >= 0) || !double.IsFinite(Weight[i]) || !double.IsFinite(Distance[i]) || !double.IsFinite(Center[i]))
                throw new QuantInputException($"variable {i} has an invalid L1 term (weights must be finite and non-negative)");
        }
    }

    /// <summary>aᵢ|x| + bᵢ|x − cᵢ| (the indicator is not included).</summary>
    public double Penalty(int i, double x) => Weight[i] * Math.Abs(x) + Distance[i] * Math.Abs(x - Center[i]);

    /// <summary>Whether variable i is unconstrained and unpenalised.</summary>
    public bool IsFree(int i) => double.IsNegativeInfinity(Lower[i]) && double.IsPositiveInfinity(Upper[i]) && Weight[i] == 0 && Distance[i] == 0;

    /// <summary>The slope of the penalty just left of x (−∞ at or below the lower bound).</summary>
    public double LeftSlope(int i, double x) =>
        x <= Lower[i] ? double.NegativeInfinity : Weight[i] * (x > 0 ? 1 : -1) + Distance[i] * (x > Center[i] ? 1 : -1);

    /// <summary>The slope of the penalty just right of x (+∞ at or above the upper bound).</summary>
    public double RightSlope(int i, double x) =>
        x >= Upper[i] ? double.PositiveInfinity : Weight[i] * (x >= 0 ? 1 : -1) + Distance[i] * (x >= Center[i] ? 1 : -1);

    /// <summary>Whether x sits on a kink or bound of gᵢ, where the subdifferential is an interval rather than a point.</summary>
    public bool IsBreakpoint(int i, double x) =>
        x == Lower[i] || x == Upper[i] || (Weight[i] > 0 && x == 0) || (Distance[i] > 0 && x == Center[i]);

    /// <summary>The nearest bound or kink strictly above x (+∞ if none).</summary>
    public double NextBreakpoint(int i, double x)
    {
        var next = Upper[i] > x ? Upper[i] : double.PositiveInfinity;
        if (Weight[i] > 0 && 0 > x) next = Math.Min(next, 0);
        if (Distance[i] > 0 && Center[i] > x) next = Math.Min(next, Center[i]);
        if (Lower[i] > x) next = Math.Min(next, Lower[i]);
        return next;
    }

    /// <summary>The nearest bound or kink strictly below x (−∞ if none).</summary>
    public double PreviousBreakpoint(int i, double x)
    {
        var previous = Lower[i] < x ? Lower[i] : double.NegativeInfinity;
        if (Weight[i] > 0 && 0 < x) previous = Math.Max(previous, 0);
        if (Distance[i] > 0 && Center[i] < x) previous = Math.Max(previous, Center[i]);
        if (Upper[i] < x) previous = Math.Max(previous, Upper[i]);
        return previous;
    }

    /// <summary>
    /// argmin_z gᵢ(z) + (ρ/2)(z − v)². Returns breakpoints exactly when the minimiser sits on one, which is what lets the
    /// polish step read the active set off the iterate.
    /// </summary>
    public double Prox(int i, double v, double rho)
    {
        double lo = Lower[i], hi = Upper[i];
        if (Weight[i] == 0 && Distance[i] == 0) return Math.Min(Math.Max(v, lo), hi);
        // Candidate points in order: lower bound, kinks inside the box, upper bound. On each open segment the slope is
        // constant; the optimality condition v − z ∈ ∂g(z)/ρ holds either inside one segment or at one point.
        Span<double> points = stackalloc double[4];
        var count = 0;
        points[count++] = lo;
        double k1 = Weight[i] > 0 ? 0 : double.NaN, k2 = Distance[i] > 0 ? Center[i] : double.NaN;
        if (k1 > k2) (k1, k2) = (k2, k1);
        if (k1 > lo && k1 < hi) points[count++] = k1;
        if (k2 > lo && k2 < hi && k2 != k1) points[count++] = k2;
        points[count++] = hi;
        for (var s = 0; s + 1 < count; s++)
        {
            double left = points[s], right = points[s + 1];
            var slope = SegmentSlope(i, left, right);
            var z = v - slope / rho;
            if (z > left && z < right) return z;
            if (double.IsFinite(right))
            {
                // At the point `right`: v ∈ [right + slope/ρ, right + nextSlope/ρ].
                var nextSlope = s + 2 < count ? SegmentSlope(i, right, points[s + 2]) : double.PositiveInfinity;
                if (v >= right + slope / rho && v <= right + nextSlope / rho) return right;
            }
            if (s == 0 && double.IsFinite(left) && v <= left + slope / rho) return left;
        }
        // A single point domain (lo = hi).
        return lo;
    }

    private double SegmentSlope(int i, double left, double right)
    {
        var mid = double.IsFinite(left) && double.IsFinite(right) ? 0.5 * (left + right)
            : double.IsFinite(left) ? left + 1 : double.IsFinite(right) ? right - 1 : 0;
        return Weight[i] * Math.Sign(mid) + Distance[i] * Math.Sign(mid - Center[i]);
    }
}
