using Apache.Arrow;

namespace CroweLogic.Flow.Storage;

/// <summary>
/// The platform's time-series store: ClickHouse SQL with Arrow in and Arrow out.
/// Both backends (embedded libchdb, ClickHouse server) run the same SQL.
/// </summary>
public interface IFlowStore : IDisposable
{
    /// <summary>Describes the backend and where its data lives.</summary>
    string Description { get; }

    /// <summary>Runs a statement (DDL, INSERT … SELECT, etc.) and returns its statistics.</summary>
    /// <exception cref="StoreQueryException">ClickHouse refused the statement; the message is ClickHouse's.</exception>
    Task<StatementStats> ExecuteAsync(string sql, CancellationToken cancellationToken = default);

    /// <summary>Runs a query and returns its rows as Arrow record batches (valid until the result is disposed).</summary>
    Task<ArrowQueryResult> QueryArrowAsync(string sql, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a query and streams its rows as Arrow record batches with bounded memory. The embedded engine runs one
    /// statement at a time, so other calls on it wait until the stream is read to the end or disposed.
    /// </summary>
    /// <exception cref="StoreQueryException">ClickHouse refused the query; the message is ClickHouse's.</exception>
    Task<ArrowBatchStream> StreamArrowAsync(string sql, CancellationToken cancellationToken = default);

    /// <summary>Runs a query and returns the output in a ClickHouse format (CSVWithNames, JSONEachRow, PrettyCompact…).</summary>
    Task<byte[]> QueryFormattedAsync(string sql, string format, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams Arrow batches into <paramref name="table"/> as <c>INSERT INTO table (columns) &lt;query&gt;</c>, where
    /// <paramref name="query"/> receives the SQL table expression of the batches (e.g. <c>arrowstream(x)</c>) and returns the
    /// SELECT to insert, so callers cast, join and validate in SQL without materialising rows in .NET.
    /// </summary>
    /// <param name="table">Target table, optionally followed by a column list in parentheses.</param>
    /// <param name="schema">Schema of the batches.</param>
    /// <param name="batches">The data.</param>
    /// <param name="query">Builds the SELECT from the source expression; null means <c>SELECT * FROM source</c>.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    Task<StatementStats> InsertArrowAsync(string table, Schema schema, IEnumerable<RecordBatch> batches, Func<string, string>? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads a file in a ClickHouse input format (CSV, CSVWithNames, Parquet, …) into <paramref name="table"/> as
    /// <c>INSERT INTO table &lt;query&gt;</c>, where <paramref name="query"/> receives the table expression that reads the file
    /// with <paramref name="structure"/>. The embedded engine reads the file itself; a server receives its bytes.
    /// </summary>
    Task<StatementStats> InsertFileAsync(string table, string path, string format, string structure, Func<string, string>? query = null, CancellationToken cancellationToken = default);
}
