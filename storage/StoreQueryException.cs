namespace CroweLogic.Flow.Storage;

/// <summary>ClickHouse refused a statement. <see cref="Exception.Message"/> carries ClickHouse's own message.</summary>
public sealed class StoreQueryException(string message, string sql) : Exception(message)
{
    /// <summary>The statement, truncated for display.</summary>
    public string Sql { get; } = sql.Length > 2000 ? sql[..2000] + "…" : sql;
}
