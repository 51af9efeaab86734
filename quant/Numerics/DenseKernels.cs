using System.Numerics;
using System.Runtime.InteropServices;

namespace CroweLogic.Flow.Quant.Numerics;

/// <summary>
/// SIMD dot and axpy over spans: the inner loops of the dense factorisations and of every solver iteration
/// (MathNet's managed provider does not vectorise them).
/// </summary>
public static class DenseKernels
{
    /// <summary>Σ xᵢyᵢ over the common length.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var length = Math.Min(x.Length, y.Length);
        var i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && length >= 2 * Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x[..length]);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..length]);
            // Two accumulators hide the add latency.
            Vector<double> a0 = Vector<double>.Zero, a1 = Vector<double>.Zero;
            var k = 0;
            for (; k + 1 < vx.Length; k += 2)
            {
                a0 += vx[k] * vy[k];
                a1 += vx[k + 1] * vy[k + 1];
            }
            if (k < vx.Length) a0 += vx[k] * vy[k];
            sum = Vector.Sum(a0 + a1);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>y ← y + a·x over the common length.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        var length = Math.Min(x.Length, y.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated && length >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x[..length]);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..length]);
            var va = new Vector<double>(a);
            for (var k = 0; k < vx.Length; k++) vy[k] += va * vx[k];
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < length; i++) y[i] += a * x[i];
    }

    /// <summary>
    /// result ← M·x for a symmetric row-major n×n matrix as a sum of rows weighted by x's nonzeros: much cheaper than
    /// <see cref="MultiplySquare"/> when x is sparse (portfolios at their bounds).
    /// </summary>
    public static void MultiplySymmetricSparse(double[] rowMajor, int n, ReadOnlySpan<double> x, Span<double> result)
    {
        result[..n].Clear();
        for (var j = 0; j < n; j++)
            if (x[j] != 0) Axpy(x[j], rowMajor.AsSpan(j * n, n), result);
    }

    /// <summary>result ← M·x for a row-major n×n matrix.</summary>
    public static void MultiplySquare(double[] rowMajor, int n, ReadOnlySpan<double> x, Span<double> result)
    {
        for (var i = 0; i < n; i++) result[i] = Dot(rowMajor.AsSpan(i * n, n), x);
    }
}
