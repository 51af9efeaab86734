namespace CroweLogic.Flow.Quant.Portfolio;

/// <summary>Constraints on portfolio weights.</summary>
/// <param name="Lower">Per-asset lower bounds (null: 0, long-only; use −∞ for unbounded shorts).</param>
/// <param name="Upper">Per-asset upper bounds (null: 1).</param>
/// <param name="InequalityMatrix">G in G·w ≤ h (rows: sector, factor or issuer limits), or null.</param>
/// <param name="InequalityBound">h in G·w ≤ h.</param>
/// <param name="MarketNeutral">Weights sum to 0 instead of 1.</param>
public sealed record PortfolioConstraints(double[]? Lower = null, double[]? Upper = null, double[,]? InequalityMatrix = null, double[]? InequalityBound = null, bool MarketNeutral = false)
{
    /// <summary>Long-only, fully invested.</summary>
    public static PortfolioConstraints LongOnly { get; } = new();

    /// <summary>The same box for every asset.</summary>
    public static PortfolioConstraints Box(int assets, double lower, double upper, bool marketNeutral = false) =>
        new(Enumerable.Repeat(lower, assets).ToArray(), Enumerable.Repeat(upper, assets).ToArray(), MarketNeutral: marketNeutral);

    internal double LowerOf(int i) => Lower?[i] ?? 0;

    internal double UpperOf(int i) => Upper?[i] ?? 1;

    internal void Validate(int assets)
    {
        if (Lower is not null && Lower.Length != assets) throw new QuantInputException($"{Lower.Length} lower bounds for {assets} assets");
        if (Upper is not null && Upper.Length != assets) throw new QuantInputException($"{Upper.Length} upper bounds for {assets} assets");
        for (var i = 0; i < assets; i++)
            if (double.IsNaN(LowerOf(i)) || double.IsNaN(UpperOf(i)) || LowerOf(i) > UpperOf(i))
                throw new QuantInputException($"asset {i}: lower bound {LowerOf(i)} is above upper bound {UpperOf(i)}");
        if ((InequalityMatrix is null) != (InequalityBound is null)) throw new QuantInputException("give both the inequality matrix G and its bound h, or neither");
        if (InequalityMatrix is not null && (InequalityMatrix.GetLength(1) != assets || InequalityMatrix.GetLength(0) != InequalityBound!.Length))
            throw new QuantInputException($"G is {InequalityMatrix.GetLength(0)}×{InequalityMatrix.GetLength(1)} and h has {InequalityBound!.Length} entries for {assets} assets");
        var budget = MarketNeutral ? 0.0 : 1.0;
        if (Enumerable.Range(0, assets).Sum(LowerOf) > budget + 1e-12 || Enumerable.Range(0, assets).Sum(UpperOf) < budget - 1e-12)
            throw new QuantInputException($"the bounds cannot meet a weight sum of {budget}: lower bounds sum to {Enumerable.Range(0, assets).Sum(LowerOf)}, upper bounds to {Enumerable.Range(0, assets).Sum(UpperOf)}");
    }
}

/// <summary>Penalties added to the objective.</summary>
/// <param name="L2">γ·‖w‖² (diversification / regularisation).</param>
/// <param name="WeightL1">κ·‖w‖₁ (sparsity, gross exposure).</param>
/// <param name="TurnoverL1">τ·‖w − w_prev‖₁ (proportional trading cost).</param>
/// <param name="PreviousWeights">w_prev for the turnover penalty (null: all zero).</param>
public sealed record PortfolioPenalties(double L2 = 0, double WeightL1 = 0, double TurnoverL1 = 0, double[]? PreviousWeights = null)
{
    /// <summary>No penalties.</summary>
    public static PortfolioPenalties None { get; } = new();

    internal bool HasL1 => WeightL1 > 0 || TurnoverL1 > 0;
}

/// <summary>An optimised portfolio and its ex-ante statistics.</summary>
/// <param name="Weights">Weights per asset.</param>
/// <param name="ExpectedReturn">μᵀw (NaN when no expected returns were given).</param>
/// <param name="Volatility">√(wᵀΣw).</param>
public sealed record PortfolioResult(double[] Weights, double ExpectedReturn, double Volatility)
{
    /// <summary>(μᵀw − r_f)/σ.</summary>
    public double Sharpe(double riskFreeRate) => (ExpectedReturn - riskFreeRate) / Volatility;
}
