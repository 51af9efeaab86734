namespace CroweLogic.Flow.Storage;

/// <summary>What a statement did, as the engine reports it.</summary>
/// <param name="RowsRead">Rows read.</param>
/// <param name="BytesRead">Bytes read.</param>
/// <param name="RowsWritten">Rows written (inserts).</param>
/// <param name="Elapsed">Engine time.</param>
public readonly record struct StatementStats(ulong RowsRead, ulong BytesRead, ulong RowsWritten, TimeSpan Elapsed);
