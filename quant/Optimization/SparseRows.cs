using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Optimization;

/// <summary>
/// A constraint matrix as its rows' nonzeros. Portfolio rows are short (sector and issuer limits) or few (budget), so
/// products, AᵀRA and the polish all walk nonzeros only.
/// </summary>
internal sealed class SparseRows
{
    private SparseRows(int[][] columns, double[][] values, int width)
    {
        Columns = columns;
        Values = values;
        Width = width;
    }

    public int[][] Columns { get; }

    public double[][] Values { get; }

    public int Count => Columns.Length;

    public int Width { get; }

    public static SparseRows Of(Matrix<double> a)
    {
        var columns = new int[a.RowCount][];
        var values = new double[a.RowCount][];
        var cols = new List<int>();
        var vals = new List<double>();
        for (var i = 0; i < a.RowCount; i++)
        {
            cols.Clear();
            vals.Clear();
            for (var j = 0; j < a.ColumnCount; j++)
            {
                var v = a[i, j];
                if (v == 0) continue;
                cols.Add(j);
                vals.Add(v);
            }
            columns[i] = [.. cols];
            values[i] = [.. vals];
        }
        return new SparseRows(columns, values, a.ColumnCount);
    }

    public double Coefficient(int row, int column)
    {
        var at = Array.BinarySearch(Columns[row], column);
        return at >= 0 ? Values[row][at] : 0;
    }

    public double RowDot(int row, ReadOnlySpan<double> x)
    {
        var (columns, values) = (Columns[row], Values[row]);
        double sum = 0;
        for (var k = 0; k < columns.Length; k++) sum += values[k] * x[columns[k]];
        return sum;
    }

    /// <summary>result ← A·x.</summary>
    public void Multiply(ReadOnlySpan<double> x, Span<double> result)
    {
        for (var i = 0; i < Count; i++) result[i] = RowDot(i, x);
    }

    /// <summary>result ← result + Aᵀ·y.</summary>
    public void TransposeMultiplyAdd(ReadOnlySpan<double> y, Span<double> result)
    {
        for (var i = 0; i < Count; i++)
        {
            var yi = y[i];
            if (yi == 0) continue;
            var (columns, values) = (Columns[i], Values[i]);
            for (var k = 0; k < columns.Length; k++) result[columns[k]] += values[k] * yi;
        }
    }
}
