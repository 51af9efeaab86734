using Apache.Arrow;

namespace CroweLogic.Flow.Storage;

/// <summary>
/// Record batches of a query. For the embedded backend they point straight into the engine's
/// output buffer (no copy); they are valid until this result is disposed.
/// </summary>
public sealed class ArrowQueryResult : IDisposable
{
    private readonly IDisposable? _owner;

    /// <summary>Wraps batches and whatever owns their memory.</summary>
    public ArrowQueryResult(Schema? schema, IReadOnlyList<RecordBatch> batches, StatementStats stats, IDisposable? owner)
    {
        Schema = schema;
        Batches = batches;
        Stats = stats;
        _owner = owner;
    }

    /// <summary>Result schema (null when the query returned no Arrow stream, e.g. zero columns).</summary>
    public Schema? Schema { get; }

    /// <summary>The batches, in order.</summary>
    public IReadOnlyList<RecordBatch> Batches { get; }

    /// <summary>Engine statistics.</summary>
    public StatementStats Stats { get; }

    /// <summary>Total rows across batches.</summary>
    public long RowCount => Batches.Sum(b => (long)b.Length);

    /// <summary>Reads a single scalar from the first column of the first row.</summary>
    public T Scalar<T>()
    {
        if (RowCount == 0) throw new InvalidOperationException("the query returned no rows");
        var view = Contracts.Arrow.ColumnView.For(Batches[0].Column(0), Batches[0].Schema.FieldsList[0].Name);
        if (typeof(T) == typeof(string)) return (T)(object)view.GetString(0);
        if (typeof(T) == typeof(double)) return (T)(object)view.GetDouble(0);
        if (typeof(T) == typeof(long)) return (T)(object)view.GetInt64(0);
        throw new NotSupportedException($"Scalar<{typeof(T).Name}> is not supported; use long, double or string");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var batch in Batches) batch.Dispose();
        _owner?.Dispose();
    }
}
