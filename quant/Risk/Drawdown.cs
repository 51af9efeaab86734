namespace CroweLogic.Flow.Quant.Risk;

/// <summary>Drawdowns of an equity curve.</summary>
public static class Drawdown
{
    /// <summary>Drawdown at each point: equity / running peak − 1 (0 at a new high, negative below it).</summary>
    /// <exception cref="QuantInputException">Empty curve, or a non-finite or non-positive equity value.</exception>
    public static double[] Series(IReadOnlyList<double> equity)
    {
        if (equity.Count == 0) throw new QuantInputException("the equity curve is empty");
        var result = new double[equity.Count];
        var peak = double.NegativeInfinity;
        for (var t = 0; t < equity.Count; t++)
        {
            var e = equity[t];
            if (!double.IsFinite(e) || e <= 0) throw new QuantInputException($"equity at {t} is {e}; equity must be finite and positive");
            peak = Math.Max(peak, e);
            result[t] = e / peak - 1;
        }
        return result;
    }

    /// <summary>The deepest drawdown (≤ 0).</summary>
    public static double Max(IReadOnlyList<double> equity) => Series(equity).Min();

    /// <summary>The equity curve of compounded period returns, starting at 1.</summary>
    public static double[] EquityFromReturns(IReadOnlyList<double> returns)
    {
        var equity = new double[returns.Count + 1];
        equity[0] = 1;
        for (var t = 0; t < returns.Count; t++)
        {
            if (!double.IsFinite(returns[t]) || returns[t] <= -1) throw new QuantInputException($"return at {t} is {returns[t]}; returns must be finite and above −100 %");
            equity[t + 1] = equity[t] * (1 + returns[t]);
        }
        return equity;
    }
}
