using System.Globalization;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant.Data;
using CroweLogic.Flow.Quant.Risk;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Dataflow.Models.Portfolio;

/// <summary>The policy's covariance estimator on a return window, per slice (frequency 1: no annualisation).</summary>
public static class ReturnCovariance
{
    /// <summary>Σ of one slice's returns by <paramref name="estimator"/>, and a line naming it (with the shrinkage intensity).</summary>
    public static (Matrix<double> Sigma, string Detail) Estimate(string estimator, Panel returns)
    {
        switch (estimator)
        {
            case CovarianceEstimators.LedoitWolf:
                var lw = Covariance.LedoitWolf(returns, frequency: 1);
                return (lw.Matrix, Shrunk("Ledoit–Wolf", lw.Shrinkage, returns.RowCount));
            case CovarianceEstimators.Oas:
                var oas = Covariance.OracleApproximating(returns, frequency: 1);
                return (oas.Matrix, Shrunk("OAS", oas.Shrinkage, returns.RowCount));
            case CovarianceEstimators.Sample:
                return (Covariance.Sample(returns, frequency: 1), $"sample Σ of {returns.RowCount} slices");
            case CovarianceEstimators.ConstantCorrelation:
                var cc = Covariance.LedoitWolfConstantCorrelation(returns, frequency: 1, sample: ShrinkageSample.PairwiseComplete);
                return (cc.Matrix, Shrunk("constant-correlation Ledoit–Wolf", cc.Shrinkage, returns.RowCount));
            case CovarianceEstimators.Semicovariance:
                return (Covariance.Semicovariance(returns, benchmark: 0, frequency: 1), $"semicovariance below 0 of {returns.RowCount} slices");
            default:
                throw new ArgumentException($"unknown covariance estimator '{estimator}' (expected one of {string.Join(", ", CovarianceEstimators.All)})");
        }
    }

    /// <summary>
    /// A long-only risk allocation (HRP, ERC) of the names each held long in its forecast's direction: the allocator sees
    /// DΣD, D = diag(directions), and its weights x come back as w = D·x.
    /// </summary>
    public static PortfolioSolution Signed(string estimator, PortfolioInputs inputs, string method, Func<Matrix<double>, IReadOnlyList<double>> allocate)
    {
        var (sigma, estimate) = Estimate(estimator, inputs.Returns);
        var signed = Matrix<double>.Build.Dense(sigma.RowCount, sigma.ColumnCount, (i, j) => inputs.Direction(i) * inputs.Direction(j) * sigma[i, j]);
        return new PortfolioSolution([.. allocate(signed).Select((x, i) => inputs.Direction(i) * x)], $"{method} of the direction-signed {estimate}");
    }

    private static string Shrunk(string name, double shrinkage, int slices) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} Σ of {slices} slices, shrinkage {shrinkage:0.###}");
}
