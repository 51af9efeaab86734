using CroweLogic.Flow.Quant.Data;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// The last <see cref="Capacity"/> slices of every instrument's log mark change (a slice is a session on bars, a minute
/// on ticks), kept online as feature rows pass: a slice closes on the first row of a later one, and an instrument that
/// did not trade in a slice has no return for it (NaN), and a slice without any return (the first) is not kept. Covariance estimators and CVaR scenarios read it as a
/// <see cref="Panel"/>, oldest slice first. Each agent that needs returns owns its own window (blocks run in parallel).
/// </summary>
public sealed class ReturnWindow
{
    /// <summary>
    /// Sees each slice as it closes: its first row's time, the row of the message that closed it (−1 when
    /// <see cref="CloseBefore"/> did), and every instrument's return (NaN: none), by id up to <see cref="Width"/>.
    /// </summary>
    public delegate void SliceHandler(long ts, int row, ReadOnlySpan<double> returns);

    private readonly double[][] _ring;
    // The same slices as simple returns e^r − 1, for books' scenario returns.
    private readonly double[][] _simple;
    private readonly long[] _sliceTs;
    private readonly Func<long, long> _sliceOf;
    private double[] _mark = [];
    private double[] _previous = [];
    private long[] _touchedIn = [];
    private readonly List<int> _touched = [];
    private long _slice = long.MinValue;
    private long _openTs;
    private long _closed;
    private int _width;

    /// <summary>A window of <paramref name="capacity"/> slices.</summary>
    /// <param name="capacity">Slices kept.</param>
    /// <param name="shape">Bars slice by session, ticks by minute.</param>
    public ReturnWindow(int capacity, MarketShape shape)
    {
        if (capacity < 2) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a return window needs at least two slices");
        Capacity = capacity;
        _ring = new double[capacity][];
        _simple = new double[capacity][];
        for (var i = 0; i < capacity; i++) (_ring[i], _simple[i]) = ([], []);
        _sliceTs = new long[capacity];
        _sliceOf = shape == MarketShape.Bars ? ts => ts : ts => ts / 60_000_000_000L;
    }

    /// <summary>Slices kept.</summary>
    public int Capacity { get; }

    /// <summary>One more than the highest instrument id seen.</summary>
    public int Width => _width;

    /// <summary>Called as each slice closes (an online estimator's feed).</summary>
    public SliceHandler? SliceClosed { get; init; }

    /// <summary>Slices closed so far (the window holds the last min(this, capacity)).</summary>
    public long Closed => _closed;

    /// <summary>Slices in the window now.</summary>
    public int Count => (int)Math.Min(_closed, Capacity);

    /// <summary>Feeds feature rows [<paramref name="from"/>, <paramref name="to"/>): closes slices as later times arrive.</summary>
    public void Observe(FeatureRows rows, int from, int to)
    {
        for (var row = from; row < to; row++)
        {
            var ts = rows.Ts[row];
            var key = _sliceOf(ts);
            if (key != _slice)
            {
                if (_slice != long.MinValue) Close(row);
                (_slice, _openTs) = (key, ts);
            }
            var id = rows.Ids[row];
            if (id >= _mark.Length) Grow(id);
            if (id >= _width) _width = id + 1;
            if (_touchedIn[id] != _slice)
            {
                _touchedIn[id] = _slice;
                _touched.Add(id);
            }
            _mark[id] = rows.Mark[row];
        }
    }

    /// <summary>
    /// Closes the open slice when <paramref name="ts"/> belongs to a later one, so a decision made on the first row of a
    /// new slice sees the return of the slice that just ended (the row itself is observed later).
    /// </summary>
    public void CloseBefore(long ts)
    {
        if (_slice == long.MinValue || _sliceOf(ts) == _slice) return;
        Close(-1);
        _slice = long.MinValue;
    }

    /// <summary>
    /// The window's returns of <paramref name="ids"/> as a panel (rows: slices, oldest first; columns named by
    /// <paramref name="names"/>), NaN where an instrument had no return in a slice.
    /// </summary>
    public Panel Panel(IReadOnlyList<int> ids, IReadOnlyList<string> names)
    {
        var count = Count;
        var rows = new double[count][];
        for (var t = 0; t < count; t++)
        {
            var slice = _ring[Index(_closed - count + t)];
            var row = rows[t] = new double[ids.Count];
            for (var j = 0; j < ids.Count; j++) row[j] = ids[j] < slice.Length ? slice[ids[j]] : double.NaN;
        }
        return new Panel(names, rows);
    }

    /// <summary>
    /// A book's simple return in each slice of the window, Σ_i w_i (e^{r_i} − 1) with weights by instrument id (a missing
    /// return counts as zero), oldest first, into <paramref name="into"/>; returns how many slices were written.
    /// </summary>
    public int BookReturns(ReadOnlySpan<double> weights, Span<double> into)
    {
        var count = Math.Min(Count, into.Length);
        // Only the held names: a daily book holds a few hundred of the instruments the window spans.
        Span<int> held = weights.Length <= 4096 ? stackalloc int[weights.Length] : new int[weights.Length];
        var n = 0;
        for (var id = 0; id < weights.Length; id++) if (weights[id] != 0) held[n++] = id;
        for (var t = 0; t < count; t++)
        {
            var slice = _simple[Index(_closed - count + t)];
            double r = 0;
            for (var k = 0; k < n; k++)
            {
                var id = held[k];
                if (id >= slice.Length) continue;
                var v = slice[id];
                if (!double.IsNaN(v)) r += weights[id] * v;
            }
            into[t] = r;
        }
        return count;
    }

    /// <summary>Returns instrument <paramref name="id"/> has in the window.</summary>
    public int Observations(int id)
    {
        var count = Count;
        var n = 0;
        for (var t = 0; t < count; t++)
        {
            var slice = _ring[Index(_closed - count + t)];
            if (id < slice.Length && !double.IsNaN(slice[id])) n++;
        }
        return n;
    }

    /// <summary>The event time of the first row of each slice in the window, oldest first.</summary>
    public long[] SliceTimes()
    {
        var count = Count;
        var times = new long[count];
        for (var t = 0; t < count; t++) times[t] = _sliceTs[Index(_closed - count + t)];
        return times;
    }

    private void Close(int row)
    {
        var at = Index(_closed);
        var slice = _ring[at];
        if (slice.Length < _mark.Length) slice = _ring[at] = new double[_mark.Length];
        slice.AsSpan().Fill(double.NaN);
        var any = false;
        foreach (var id in _touched)
        {
            var (now, before) = (_mark[id], _previous[id]);
            if (before > 0 && now > 0 && double.IsFinite(before) && double.IsFinite(now))
            {
                slice[id] = Math.Log(now / before);
                any = true;
            }
            _previous[id] = now;
        }
        _touched.Clear();
        // A slice in which no instrument has a return yet (the first) is no scenario and no observation.
        if (!any) return;
        var simple = _simple[at];
        if (simple.Length < slice.Length) simple = _simple[at] = new double[slice.Length];
        for (var id = 0; id < slice.Length; id++) simple[id] = double.IsNaN(slice[id]) ? double.NaN : Math.Exp(slice[id]) - 1;
        _sliceTs[at] = _openTs;
        _closed++;
        SliceClosed?.Invoke(_openTs, row, slice.AsSpan(0, _width));
    }

    private int Index(long slice) => (int)(slice % Capacity);

    private void Grow(int id)
    {
        var size = Math.Max(id + 1, _mark.Length * 2);
        var old = _mark.Length;
        Array.Resize(ref _mark, size);
        Array.Resize(ref _previous, size);
        Array.Resize(ref _touchedIn, size);
        _touchedIn.AsSpan(old).Fill(long.MinValue);
        _mark.AsSpan(old).Fill(double.NaN);
        _previous.AsSpan(old).Fill(double.NaN);
    }
}
