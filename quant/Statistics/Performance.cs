using CroweLogic.Flow.Quant.Risk;
using MathNet.Numerics.Distributions;

namespace CroweLogic.Flow.Quant.Statistics;

/// <summary>Performance statistics of a periodic return series (blueprint §10 KPIs).</summary>
public static class Performance
{
    /// <summary>Annualised Sharpe ratio: mean excess return over its standard deviation (n−1), × √periods.</summary>
    public static double Sharpe(IReadOnlyList<double> returns, double riskFreePerPeriod = 0, int periodsPerYear = 252)
    {
        var (mean, sd, _, _) = TailRisk.Moments(returns);
        return (mean - riskFreePerPeriod) / sd * Math.Sqrt(periodsPerYear);
    }

    /// <summary>Annualised Sortino ratio: mean excess return over the downside deviation √(mean(min(0, r − target)²)).</summary>
    public static double Sortino(IReadOnlyList<double> returns, double targetPerPeriod = 0, int periodsPerYear = 252)
    {
        var mean = returns.Average() - targetPerPeriod;
        var downside = Math.Sqrt(returns.Average(r => Math.Pow(Math.Min(0, r - targetPerPeriod), 2)));
        if (downside == 0) throw new QuantInputException("no return falls below the target: the downside deviation is zero and Sortino is unbounded");
        return mean / downside * Math.Sqrt(periodsPerYear);
    }

    /// <summary>Compound annual growth rate.</summary>
    public static double Cagr(IReadOnlyList<double> returns, int periodsPerYear = 252)
    {
        var equity = Drawdown.EquityFromReturns(returns);
        return Math.Pow(equity[^1], (double)periodsPerYear / returns.Count) - 1;
    }

    /// <summary>Calmar ratio: CAGR over the absolute maximum drawdown.</summary>
    public static double Calmar(IReadOnlyList<double> returns, int periodsPerYear = 252)
    {
        var mdd = Drawdown.Max(Drawdown.EquityFromReturns(returns));
        if (mdd == 0) throw new QuantInputException("the series never draws down: Calmar is unbounded");
        return Cagr(returns, periodsPerYear) / -mdd;
    }

    /// <summary>Share of non-zero returns that are positive.</summary>
    public static double HitRate(IReadOnlyList<double> returns)
    {
        var traded = returns.Where(r => r != 0).ToArray();
        return traded.Length == 0 ? throw new QuantInputException("no non-zero return: hit rate undefined") : (double)traded.Count(r => r > 0) / traded.Length;
    }

    /// <summary>Average winning and average losing return (the loss is negative); NaN where there is none.</summary>
    public static (double AverageWin, double AverageLoss) WinLoss(IReadOnlyList<double> returns)
    {
        var wins = returns.Where(r => r > 0).ToArray();
        var losses = returns.Where(r => r < 0).ToArray();
        return (wins.Length == 0 ? double.NaN : wins.Average(), losses.Length == 0 ? double.NaN : losses.Average());
    }

    /// <summary>Average one-way turnover between consecutive weight vectors: ½ Σ|w_t − w_{t−1}|.</summary>
    public static double Turnover(IReadOnlyList<double[]> weights)
    {
        if (weights.Count < 2) throw new QuantInputException("turnover needs at least two weight vectors");
        double total = 0;
        for (var t = 1; t < weights.Count; t++)
        {
            if (weights[t].Length != weights[t - 1].Length) throw new QuantInputException($"weight vector {t} has {weights[t].Length} entries, the previous {weights[t - 1].Length}");
            total += 0.5 * weights[t].Zip(weights[t - 1], (a, b) => Math.Abs(a - b)).Sum();
        }
        return total / (weights.Count - 1);
    }

    /// <summary>
    /// Probabilistic Sharpe ratio (Bailey &amp; López de Prado 2012): P(true SR &gt; benchmark) given the observed per-period
    /// SR over n returns with skewness γ₃ and kurtosis γ₄: Φ((SR − SR*)√(n−1) / √(1 − γ₃SR + (γ₄−1)/4·SR²)).
    /// </summary>
    public static double ProbabilisticSharpe(double sharpePerPeriod, double benchmarkPerPeriod, int observations, double skewness, double kurtosis)
    {
        if (observations < 2) throw new QuantInputException("the probabilistic Sharpe ratio needs at least two observations");
        var variance = 1 - skewness * sharpePerPeriod + (kurtosis - 1) / 4 * sharpePerPeriod * sharpePerPeriod;
        if (!(variance > 0)) throw new QuantInputException($"skewness {skewness} and kurtosis {kurtosis} give a non-positive Sharpe variance at SR {sharpePerPeriod}");
        return Normal.CDF(0, 1, (sharpePerPeriod - benchmarkPerPeriod) * Math.Sqrt(observations - 1) / Math.Sqrt(variance));
    }

    /// <summary>PSR of a return series against a per-period benchmark Sharpe ratio.</summary>
    public static double ProbabilisticSharpe(IReadOnlyList<double> returns, double benchmarkPerPeriod = 0)
    {
        var (mean, sd, skew, excess) = TailRisk.Moments(returns);
        return ProbabilisticSharpe(mean / sd, benchmarkPerPeriod, returns.Count, skew, excess + 3);
    }

    /// <summary>Minimum track record length: observations needed for PSR ≥ <paramref name="confidence"/>.</summary>
    public static double MinimumTrackRecordLength(double sharpePerPeriod, double benchmarkPerPeriod, double skewness, double kurtosis, double confidence = 0.95)
    {
        if (sharpePerPeriod <= benchmarkPerPeriod) throw new QuantInputException("the observed Sharpe ratio does not exceed the benchmark: no track record length suffices");
        var z = Normal.InvCDF(0, 1, confidence);
        return 1 + (1 - skewness * sharpePerPeriod + (kurtosis - 1) / 4 * sharpePerPeriod * sharpePerPeriod) * Math.Pow(z / (sharpePerPeriod - benchmarkPerPeriod), 2);
    }

    /// <summary>
    /// Expected maximum of N independent Sharpe-ratio estimates with zero true skill and variance V (Bailey &amp; López de
    /// Prado 2014): √V·((1−γ)Φ⁻¹(1−1/N) + γΦ⁻¹(1−1/(N·e))), γ the Euler–Mascheroni constant.
    /// </summary>
    public static double ExpectedMaxSharpe(int trials, double sharpeVariance)
    {
        if (trials < 2) throw new QuantInputException("the expected maximum Sharpe needs at least two trials");
        if (!(sharpeVariance >= 0)) throw new QuantInputException("the variance of the trials' Sharpe ratios must be non-negative");
        const double gamma = 0.5772156649015329;
        return Math.Sqrt(sharpeVariance) * ((1 - gamma) * Normal.InvCDF(0, 1, 1 - 1.0 / trials) + gamma * Normal.InvCDF(0, 1, 1 - 1 / (trials * Math.E)));
    }

    /// <summary>
    /// Deflated Sharpe ratio: the PSR against the Sharpe ratio expected from the best of N unskilled trials, so a
    /// strategy chosen from many backtests is not credited with the selection.
    /// </summary>
    public static double DeflatedSharpe(double sharpePerPeriod, int observations, double skewness, double kurtosis, int trials, double trialSharpeVariance) =>
        ProbabilisticSharpe(sharpePerPeriod, ExpectedMaxSharpe(trials, trialSharpeVariance), observations, skewness, kurtosis);
}
