namespace CroweLogic.Flow.Quant.Risk;

/// <summary>
/// The RiskMetrics exponentially weighted covariance, kept online: after each period Σ ← λΣ + (1 − λ)·r rᵀ, zero mean
/// (daily returns' means are noise beside their dispersion). An asset without a return in a period (not traded, not
/// yet listed) counts a zero return. Dense and growable by asset index; an update costs n² multiply-adds.
/// </summary>
public sealed class EwmaCovariance
{
    private readonly double _decay;
    private double[] _sigma = [];
    private int _n;

    /// <summary>A covariance with decay λ in (0, 1) (RiskMetrics: 0.94 for daily returns).</summary>
    /// <exception cref="QuantInputException">λ outside (0, 1).</exception>
    public EwmaCovariance(double decay)
    {
        if (!(decay > 0 && decay < 1)) throw new QuantInputException($"the EWMA decay must lie in (0, 1), got {decay}");
        _decay = decay;
    }

    /// <summary>Periods seen.</summary>
    public long Observations { get; private set; }

    /// <summary>Assets the matrix spans.</summary>
    public int Dimension => _n;

    /// <summary>Adds one period's returns, asset i at index i; NaN (no return) counts as zero.</summary>
    /// <exception cref="QuantInputException">A return is infinite.</exception>
    public void Update(ReadOnlySpan<double> returns)
    {
        if (returns.Length > _n) Grow(returns.Length);
        var n = _n;
        var keep = 1 - _decay;
        Span<double> r = n <= 1024 ? stackalloc double[n] : new double[n];
        r.Clear();
        for (var i = 0; i < returns.Length; i++)
        {
            var v = returns[i];
            if (double.IsInfinity(v)) throw new QuantInputException($"asset {i} has an infinite return");
            r[i] = double.IsNaN(v) ? 0 : v;
        }
        var width = System.Numerics.Vector<double>.Count;
        var decay = new System.Numerics.Vector<double>(_decay);
        // The upper triangle only (the matrix is symmetric): n²/2 multiply-adds per period, in vector lanes, are what
        // keep a 500-name daily book cheap.
        for (var i = 0; i < n; i++)
        {
            var row = _sigma.AsSpan((i * n) + i, n - i);
            var tail = r[i..];
            var ri = keep * r[i];
            var scale = new System.Numerics.Vector<double>(ri);
            var j = 0;
            for (; j <= row.Length - width; j += width)
                ((decay * new System.Numerics.Vector<double>(row[j..])) + (scale * new System.Numerics.Vector<double>(tail[j..]))).CopyTo(row[j..]);
            for (; j < row.Length; j++) row[j] = (_decay * row[j]) + (ri * tail[j]);
        }
        Observations++;
    }

    /// <summary>Σ_ij (0 for an index the matrix does not span yet).</summary>
    public double Covariance(int i, int j) => i < _n && j < _n ? _sigma[(Math.Min(i, j) * _n) + Math.Max(i, j)] : 0;

    /// <summary>ρ_ij: 1 on the diagonal, 0 where either asset has no variance yet.</summary>
    public double Correlation(int i, int j)
    {
        if (i == j) return 1;
        var (vi, vj) = (Covariance(i, i), Covariance(j, j));
        return vi > 0 && vj > 0 ? Math.Clamp(Covariance(i, j) / Math.Sqrt(vi * vj), -1, 1) : 0;
    }

    /// <summary>yᵀRy for the correlation matrix R over the indices of <paramref name="y"/> (entries at 0 skipped): a book's variance with y_i = w_i σ_i.</summary>
    public double CorrelatedVariance(ReadOnlySpan<double> y)
    {
        // yᵀRy = Σ y_i² + Σ_{i≠j} z_i z_j Σ_ij with z_i = y_i / √Σ_ii: one square root per name, not per pair.
        Span<int> held = y.Length <= 4096 ? stackalloc int[y.Length] : new int[y.Length];
        Span<double> z = y.Length <= 4096 ? stackalloc double[y.Length] : new double[y.Length];
        var count = 0;
        double total = 0;
        for (var i = 0; i < y.Length; i++)
        {
            if (y[i] == 0) continue;
            total += y[i] * y[i];
            var v = Covariance(i, i);
            if (v > 0) (held[count], z[count++]) = (i, y[i] / Math.Sqrt(v));
        }
        for (var a = 0; a < count; a++)
        {
            var row = _sigma.AsSpan(held[a] * _n, _n);
            double cross = 0;
            for (var b = a + 1; b < count; b++) cross += z[b] * row[held[b]];
            total += 2 * z[a] * cross;
        }
        return Math.Max(0, total);
    }

    private void Grow(int size)
    {
        var grown = new double[size * size];
        for (var i = 0; i < _n; i++) Array.Copy(_sigma, i * _n, grown, i * size, _n);
        (_sigma, _n) = (grown, size);
    }
}
