namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>A read request resolved against the store.</summary>
/// <param name="Sql">The statement that answers it.</param>
/// <param name="HeaderSql">The same statement returning no rows (for its schema).</param>
/// <param name="Dataset">The dataset read, for dataset requests; null for SQL tickets.</param>
public sealed record ResolvedRead(string Sql, string HeaderSql, DatasetInfo? Dataset);
