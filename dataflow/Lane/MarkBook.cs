namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// The last mark, bid, ask and tick direction of every instrument, advanced through a message's feature rows in event
/// order, so an agent that acts at insertion point k sees exactly the prices of the first k rows.
/// </summary>
public sealed class MarkBook
{
    private double[] _mark = [];
    private double[] _bid = [];
    private double[] _ask = [];
    private sbyte[] _tick = [];
    private FeatureRows? _rows;
    private int _cursor;

    /// <summary>Starts walking a message's rows (null: a message without market rows).</summary>
    public void Begin(FeatureRows? rows) => (_rows, _cursor) = (rows, 0);

    /// <summary>Applies rows up to insertion point <paramref name="at"/>; <paramref name="moved"/> sees (row, id, previous mark).</summary>
    public void AdvanceTo(int at, Action<int, int, double>? moved = null)
    {
        if (_rows is not { } rows) return;
        var end = Math.Min(at, rows.Count);
        for (; _cursor < end; _cursor++)
        {
            var id = rows.Ids[_cursor];
            Ensure(id);
            var previous = _mark[id];
            (_mark[id], _bid[id], _ask[id], _tick[id]) = (rows.Mark[_cursor], rows.Bid[_cursor], rows.Ask[_cursor], rows.Tick[_cursor]);
            moved?.Invoke(_cursor, id, previous);
        }
    }

    /// <summary>Applies the rest of the message.</summary>
    public void Finish(Action<int, int, double>? moved = null) => AdvanceTo(int.MaxValue, moved);

    /// <summary>Last mark (NaN before the first).</summary>
    public double Mark(int id) => id < _mark.Length ? _mark[id] : double.NaN;

    /// <summary>Last bid (NaN for bars or before the first quote).</summary>
    public double Bid(int id) => id < _bid.Length ? _bid[id] : double.NaN;

    /// <summary>Last ask.</summary>
    public double Ask(int id) => id < _ask.Length ? _ask[id] : double.NaN;

    /// <summary>Last tick direction (+1, −1, 0 unknown).</summary>
    public int Tick(int id) => id < _tick.Length ? _tick[id] : 0;

    private void Ensure(int id)
    {
        if (id < _mark.Length) return;
        var size = Math.Max(id + 1, _mark.Length * 2);
        var old = _mark.Length;
        Array.Resize(ref _mark, size);
        Array.Resize(ref _bid, size);
        Array.Resize(ref _ask, size);
        Array.Resize(ref _tick, size);
        _mark.AsSpan(old).Fill(double.NaN);
        _bid.AsSpan(old).Fill(double.NaN);
        _ask.AsSpan(old).Fill(double.NaN);
    }
}
