using Apache.Arrow;

namespace CroweLogic.Flow.Contracts.Arrow;

/// <summary>
/// The Arrow schema of one event type and its conversion to and from <see cref="RecordBatch"/>es.
/// Columns are bound by name on decode, so batches from any producer (ClickHouse, Flight clients)
/// with extra or reordered columns decode as long as the contract's columns are present.
/// </summary>
/// <typeparam name="T">The event record.</typeparam>
public sealed class ArrowRecordCodec<T>
{
    private readonly ArrowColumn<T>[] _columns;
    private readonly Func<ArrowRow, T> _read;

    /// <summary>Creates a codec from its columns and a row reader that rebuilds the record.</summary>
    /// <param name="name">The event type's name (also its schema metadata).</param>
    /// <param name="columns">Columns in schema order.</param>
    /// <param name="read">Builds a record from one row; column indexes follow <paramref name="columns"/>.</param>
    public ArrowRecordCodec(string name, ArrowColumn<T>[] columns, Func<ArrowRow, T> read)
    {
        Name = name;
        _columns = columns;
        _read = read;
        var schema = new Schema.Builder().Metadata("crowelogic.flow.event", name).Metadata("crowelogic.flow.schema_version", "1");
        foreach (var c in columns) schema.Field(c.Field);
        Schema = schema.Build();
    }

    /// <summary>The event type's name, e.g. "trade".</summary>
    public string Name { get; }

    /// <summary>The Arrow schema shared by dataflow batches, store tables and Flight streams.</summary>
    public Schema Schema { get; }

    /// <summary>Column names in schema order.</summary>
    public IEnumerable<string> ColumnNames => _columns.Select(c => c.Name);

    /// <summary>Encodes records into one batch.</summary>
    public RecordBatch Encode(ReadOnlySpan<T> rows)
    {
        var arrays = new IArrowArray[_columns.Length];
        for (var i = 0; i < _columns.Length; i++) arrays[i] = _columns[i].Build(rows);
        return new RecordBatch(Schema, arrays, rows.Length);
    }

    /// <summary>Encodes records into batches of at most <paramref name="batchSize"/> rows.</summary>
    public IEnumerable<RecordBatch> EncodeChunks(IReadOnlyList<T> rows, int batchSize = 262_144)
    {
        var array = rows as T[] ?? [.. rows];
        for (var start = 0; start < array.Length; start += batchSize)
            yield return Encode(array.AsSpan(start, Math.Min(batchSize, array.Length - start)));
    }

    /// <summary>Decodes every row of a batch.</summary>
    /// <exception cref="ArrowContractException">A contract column is missing or has an incompatible type.</exception>
    public List<T> Decode(RecordBatch batch)
    {
        var views = Bind(batch);
        var result = new List<T>(batch.Length);
        for (var row = 0; row < batch.Length; row++) result.Add(_read(new ArrowRow(views, row, Name)));
        return result;
    }

    /// <summary>Decodes every row of several batches.</summary>
    public List<T> Decode(IEnumerable<RecordBatch> batches) => [.. batches.SelectMany(Decode)];

    private ColumnView[] Bind(RecordBatch batch)
    {
        var views = new ColumnView[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            var name = _columns[i].Name;
            var index = batch.Schema.GetFieldIndex(name);
            if (index < 0)
                throw new ArrowContractException($"{Name}: column '{name}' is missing from the batch (it has: {string.Join(", ", batch.Schema.FieldsList.Select(f => f.Name))})");
            try
            {
                views[i] = ColumnView.For(batch.Column(index), name);
            }
            catch (ArrowContractException e)
            {
                throw new ArrowContractException($"{Name}: {e.Message}");
            }
        }
        return views;
    }
}

/// <summary>One row of a bound batch, read by column position in the codec's schema.</summary>
public readonly struct ArrowRow
{
    private readonly ColumnView[] _views;
    private readonly int _row;
    private readonly string _event;

    internal ArrowRow(ColumnView[] views, int row, string eventName)
    {
        _views = views;
        _row = row;
        _event = eventName;
    }

    /// <summary>A required int64 (timestamps come back in nanoseconds).</summary>
    public long Int64(int column) => Required(column).GetInt64(_row);

    /// <summary>A required int32.</summary>
    public int Int32(int column) => checked((int)Required(column).GetInt64(_row));

    /// <summary>A required double.</summary>
    public double Float64(int column) => Required(column).GetDouble(_row);

    /// <summary>An optional double.</summary>
    public double? Float64OrNull(int column) => _views[column].IsNull(_row) ? null : _views[column].GetDouble(_row);

    /// <summary>A boolean.</summary>
    public bool Bool(int column) => Required(column).GetInt64(_row) != 0;

    /// <summary>Required text.</summary>
    public string Utf8(int column) => Required(column).GetString(_row);

    /// <summary>Optional text.</summary>
    public string? Utf8OrNull(int column) => _views[column].IsNull(_row) ? null : _views[column].GetString(_row);

    /// <summary>An enum stored as its snake_case name.</summary>
    public TEnum Enum<TEnum>(int column) where TEnum : struct, System.Enum => EnumText<TEnum>.Parse(Utf8(column));

    /// <summary>A list of strings.</summary>
    public string[] Utf8List(int column) => _views[column].GetStringList(_row);

    /// <summary>A list of doubles.</summary>
    public double[] Float64List(int column) => _views[column].GetDoubleList(_row);

    private ColumnView Required(int column)
    {
        var view = _views[column];
        if (view.IsNull(_row)) throw new ArrowContractException($"{_event}: required column #{column} is null at row {_row}");
        return view;
    }
}
