using Apache.Arrow;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// Builds a batch in the lane's interleaved tick shape (<see cref="MarketShape.Ticks"/>): trades carry price and size,
/// quotes carry the two sides, the other columns are null. One definition of the schema for feeds, benchmarks and tests.
/// </summary>
public sealed class TickBatchBuilder
{
    private readonly StringArray.Builder _symbol = new();
    private readonly Int64Array.Builder _ts = new(), _seq = new();
    private readonly UInt8Array.Builder _kind = new();
    private readonly DoubleArray.Builder _price = new(), _size = new(), _bid = new(), _bidSize = new(), _ask = new(), _askSize = new();

    /// <summary>Appends a trade.</summary>
    public TickBatchBuilder Trade(string symbol, long ts, long seq, double price, double size)
    {
        Key(symbol, ts, seq, TickKind.Trade);
        _price.Append(price);
        _size.Append(size);
        _bid.AppendNull();
        _bidSize.AppendNull();
        _ask.AppendNull();
        _askSize.AppendNull();
        return this;
    }

    /// <summary>Appends a two-sided quote.</summary>
    public TickBatchBuilder Quote(string symbol, long ts, long seq, double bid, double bidSize, double ask, double askSize)
    {
        Key(symbol, ts, seq, TickKind.Quote);
        _price.AppendNull();
        _size.AppendNull();
        _bid.Append(bid);
        _bidSize.Append(bidSize);
        _ask.Append(ask);
        _askSize.Append(askSize);
        return this;
    }

    /// <summary>The batch of everything appended.</summary>
    /// <remarks>Buffers are managed arrays (<see cref="Arrow.ManagedAllocator"/>), so short-lived batches stay out of full collections.</remarks>
    public RecordBatch Build()
    {
        var memory = Arrow.ManagedAllocator.Instance;
        return new RecordBatch.Builder()
            .Append("symbol", false, _symbol.Build(memory)).Append("ts", false, _ts.Build(memory)).Append("seq", false, _seq.Build(memory)).Append("kind", false, _kind.Build(memory))
            .Append("price", true, _price.Build(memory)).Append("size", true, _size.Build(memory)).Append("bid", true, _bid.Build(memory)).Append("bid_size", true, _bidSize.Build(memory))
            .Append("ask", true, _ask.Build(memory)).Append("ask_size", true, _askSize.Build(memory)).Build();
    }

    private void Key(string symbol, long ts, long seq, int kind)
    {
        _symbol.Append(symbol);
        _ts.Append(ts);
        _seq.Append(seq);
        _kind.Append((byte)kind);
    }
}
