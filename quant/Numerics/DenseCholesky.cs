namespace CroweLogic.Flow.Quant.Numerics;

/// <summary>
/// Cholesky factor L (A = LLᵀ) of a symmetric positive definite matrix, stored as packed lower-triangular rows and
/// computed row by row so each entry is one contiguous SIMD dot product. About n³/6 fused multiply-adds. Solves are
/// bound by memory bandwidth, which the packed layout halves against a full square.
/// </summary>
public sealed class DenseCholesky
{
    private readonly double[] _l;

    private DenseCholesky(double[] l, int n)
    {
        _l = l;
        Order = n;
    }

    /// <summary>Matrix order n.</summary>
    public int Order { get; }

    /// <summary>
    /// Factors the symmetric matrix given row-major (only the lower triangle is read). Returns null when a pivot is not
    /// positive, i.e. the matrix is not (numerically) positive definite.
    /// </summary>
    public static DenseCholesky? TryFactor(ReadOnlySpan<double> rowMajor, int n)
    {
        if (rowMajor.Length < n * n) throw new ArgumentException($"need {n * n} entries, got {rowMajor.Length}", nameof(rowMajor));
        var l = new double[n * (n + 1) / 2];
        for (var i = 0; i < n; i++)
        {
            var rowI = l.AsSpan(Start(i), i + 1);
            for (var j = 0; j <= i; j++)
            {
                var start = Start(j);
                var s = rowMajor[i * n + j] - DenseKernels.Dot(rowI[..j], l.AsSpan(start, j));
                if (i == j)
                {
                    if (!(s > 0)) return null;
                    rowI[i] = Math.Sqrt(s);
                }
                else rowI[j] = s / l[start + j];
            }
        }
        return new DenseCholesky(l, n);
    }

    /// <summary>Solves A·x = b in place (b is overwritten with x).</summary>
    public void SolveInPlace(Span<double> b)
    {
        var n = Order;
        // Forward: L·y = b, by rows.
        for (var i = 0; i < n; i++) b[i] = (b[i] - DenseKernels.Dot(_l.AsSpan(Start(i), i), b[..i])) / _l[Start(i) + i];
        // Backward: Lᵀ·x = y; Lᵀ's columns are L's rows, so eliminate with row axpys.
        for (var i = n - 1; i >= 0; i--)
        {
            b[i] /= _l[Start(i) + i];
            DenseKernels.Axpy(-b[i], _l.AsSpan(Start(i), i), b[..i]);
        }
    }

    // Row i of the packed triangle starts after rows 0..i−1, which hold 1 + 2 + … + i entries.
    private static int Start(int i) => (int)((long)i * (i + 1) / 2);
}
