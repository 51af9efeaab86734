using Apache.Arrow;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// Hands a market batch's rows to what stands behind the execution port (<see cref="IMarketObserver"/>: replay venues,
/// algorithms), one row at a time and without allocating: the batch's columns are read once into plain arrays.
/// </summary>
public sealed class MarketRows(MarketShape shape)
{
    private RecordBatch? _batch;
    private byte[] _kind = [];
    private double[] _a = [], _b = [], _c = [], _d = [], _e = [], _f = [];

    /// <summary>Passes row <paramref name="row"/> (instrument <paramref name="id"/>, time <paramref name="ts"/>) to the observer.</summary>
    public void Deliver(IMarketObserver observer, RecordBatch batch, int row, int id, long ts)
    {
        if (!ReferenceEquals(batch, _batch)) Read(batch);
        if (shape == MarketShape.Ticks) observer.OnTick(id, ts, _kind[row], _a[row], _b[row], _c[row], _d[row], _e[row], _f[row]);
        else observer.OnBar(id, ts, _a[row], _b[row], _c[row], _d[row], _e[row], _f[row]);
    }

    private void Read(RecordBatch batch)
    {
        _batch = batch;
        if (shape == MarketShape.Ticks)
        {
            var kinds = LaneColumns.Bytes(LaneColumns.Column(batch, "kind", "the execution port"), ref _kind);
            if (_kind.Length < kinds.Length) _kind = new byte[kinds.Length];
            kinds.CopyTo(_kind);
            Read(batch, "price", ref _a);
            Read(batch, "size", ref _b);
            Read(batch, "bid", ref _c);
            Read(batch, "bid_size", ref _d);
            Read(batch, "ask", ref _e);
            Read(batch, "ask_size", ref _f);
        }
        else
        {
            Read(batch, "open", ref _a);
            ReadOptional(batch, "high", ref _b);
            ReadOptional(batch, "low", ref _c);
            Read(batch, "close", ref _d);
            ReadOptional(batch, "adj_close", ref _e);
            Read(batch, "volume", ref _f);
        }
    }

    private static void Read(RecordBatch batch, string name, ref double[] into)
    {
        var values = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(batch, name, "the execution port"), ref into);
        if (into.Length < values.Length) into = new double[values.Length];
        values.CopyTo(into);
    }

    private static void ReadOptional(RecordBatch batch, string name, ref double[] into)
    {
        if (batch.Schema.GetFieldIndex(name) >= 0)
        {
            Read(batch, name, ref into);
            return;
        }
        if (into.Length < batch.Length) into = new double[batch.Length];
        into.AsSpan(0, batch.Length).Fill(double.NaN);
    }
}
