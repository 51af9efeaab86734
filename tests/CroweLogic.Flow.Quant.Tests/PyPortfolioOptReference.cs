using System.Globalization;
using CroweLogic.Flow.Quant.Data;
using CroweLogic.Flow.Tests.Shared;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>PyPortfolioOpt 1.5.6's test data and the oracle matrices recomputed with numpy/pandas/sklearn (../shared/reference/pypfopt).</summary>
internal static class PyPortfolioOptReference
{
    public static string Dir => Path.Combine(SharedPaths.Reference, "pypfopt");

    public static Panel StockPrices { get; } = Panel.ReadCsv(Path.Combine(Dir, "stock_prices.csv"));

    public static Panel StockReturns { get; } = Returns.FromPrices(StockPrices);

    /// <summary>A matrix CSV with a header row and a label column, reordered to <paramref name="columns"/>.</summary>
    public static Matrix<double> Matrix(string file, IReadOnlyList<string> columns)
    {
        var lines = File.ReadAllLines(Path.Combine(Dir, "oracle", file));
        var header = lines[0].Split(',')[1..];
        var values = lines[1..].Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[1..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        var index = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i);
        return Matrix<double>.Build.Dense(columns.Count, columns.Count, (i, j) => values[columns[i]][index[columns[j]]]);
    }

    /// <summary>weights_hrp.csv as ticker → weight.</summary>
    public static Dictionary<string, double> HrpWeights() =>
        File.ReadAllLines(Path.Combine(Dir, "weights_hrp.csv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));

    public static void AssertClose(Matrix<double> expected, Matrix<double> actual, double relative, double absolute = 0)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        for (var i = 0; i < expected.RowCount; i++)
        for (var j = 0; j < expected.ColumnCount; j++)
        {
            var tolerance = absolute + relative * Math.Abs(expected[i, j]);
            Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= tolerance, $"({i}, {j}): expected {expected[i, j]:R}, got {actual[i, j]:R} (tolerance {tolerance:E2})");
        }
    }
}
