namespace CroweLogic.Flow.Quant.Data;

/// <summary>
/// A T×N table of observations (rows in time order, one column per asset) where NaN marks a missing value,
/// e.g. before an asset's listing. Estimators state how they treat missing values.
/// </summary>
public sealed class Panel
{
    private readonly double[][] _rows;

    /// <summary>Creates a panel; every row must have one value per column.</summary>
    public Panel(IReadOnlyList<string> columns, double[][] rows)
    {
        if (columns.Count == 0) throw new QuantInputException("a panel needs at least one column");
        if (columns.Distinct(StringComparer.Ordinal).Count() != columns.Count) throw new QuantInputException("panel column names must be unique");
        for (var t = 0; t < rows.Length; t++)
            if (rows[t].Length != columns.Count) throw new QuantInputException($"row {t} has {rows[t].Length} values for {columns.Count} columns");
        Columns = columns;
        _rows = rows;
    }

    /// <summary>Column (asset) names.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of rows (observations).</summary>
    public int RowCount => _rows.Length;

    /// <summary>Number of columns (assets).</summary>
    public int ColumnCount => Columns.Count;

    /// <summary>The value at row <paramref name="t"/>, column <paramref name="i"/> (NaN when missing).</summary>
    public double this[int t, int i] => _rows[t][i];

    /// <summary>One column as an array (NaN kept).</summary>
    public double[] Column(int i)
    {
        var result = new double[_rows.Length];
        for (var t = 0; t < _rows.Length; t++) result[t] = _rows[t][i];
        return result;
    }

    /// <summary>Index of a named column.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++) if (Columns[i] == column) return i;
        throw new KeyNotFoundException($"no column '{column}'");
    }

    /// <summary>The sub-panel of the given columns, in that order.</summary>
    public Panel Select(IReadOnlyList<int> columns) =>
        new([.. columns.Select(c => Columns[c])], [.. _rows.Select(r => columns.Select(c => r[c]).ToArray())]);

    /// <summary>Rows where every column is present (listwise deletion).</summary>
    public Panel CompleteRows() => new(Columns, [.. _rows.Where(r => r.All(v => !double.IsNaN(v)))]);

    /// <summary>Reads a CSV with a header (first column a date or label, ignored) and empty cells as missing.</summary>
    public static Panel ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? throw new QuantInputException($"{path} is empty")).Split(',');
        var rows = new List<double[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            var row = new double[header.Length - 1];
            for (var i = 1; i < header.Length; i++)
                row[i - 1] = i < cells.Length && cells[i].Length > 0 ? double.Parse(cells[i], System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
            rows.Add(row);
        }
        return new Panel(header[1..], [.. rows]);
    }
}
