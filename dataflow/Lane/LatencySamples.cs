namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>The most recent samples of a latency (a ring), for percentiles on a live status line. Thread-safe.</summary>
public sealed class LatencySamples(int capacity)
{
    private readonly long[] _ring = new long[capacity];
    private readonly Lock _gate = new();
    private long _count;

    /// <summary>Samples taken so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Adds a sample.</summary>
    public void Add(long value)
    {
        lock (_gate) _ring[_count++ % _ring.Length] = value;
    }

    /// <summary>The <paramref name="quantile"/> of the recent samples (nearest rank), NaN before any.</summary>
    public double Quantile(double quantile)
    {
        long[] copy;
        lock (_gate) copy = _ring[..(int)Math.Min(_count, _ring.Length)];
        return Nearest(copy, quantile);
    }

    /// <summary>The nearest-rank <paramref name="quantile"/> of <paramref name="values"/> (NaN when empty); the one percentile of live status lines and benches.</summary>
    public static double Nearest(IEnumerable<long> values, double quantile)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0) return double.NaN;
        Array.Sort(sorted);
        return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
