using Apache.Arrow;

namespace CroweLogic.Flow.Gateways.Flight.FlightSql;

/// <summary>What a Flight SQL ticket yields: a statement to stream through the SQL path, or a metadata batch.</summary>
/// <param name="Sql">The user's statement (read-only, within the budget).</param>
/// <param name="Batch">A metadata result.</param>
internal sealed record FlightSqlResult(string? Sql, RecordBatch? Batch);
