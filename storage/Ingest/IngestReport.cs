namespace CroweLogic.Flow.Storage.Ingest;

/// <summary>What one ingested batch did: rows_in = accepted + rejected + duplicates.</summary>
/// <param name="BatchId">Batch id (also on every stored and rejected row).</param>
/// <param name="Table">Target table.</param>
/// <param name="Source">Where the rows came from.</param>
/// <param name="Checksum">Content checksum (sha256:… of a file, or cityhash64sum:… of Arrow content).</param>
/// <param name="RowsIn">Rows offered.</param>
/// <param name="Accepted">Rows stored.</param>
/// <param name="Rejected">Rows quarantined.</param>
/// <param name="Duplicates">Valid rows already stored (or repeated within the batch).</param>
/// <param name="RejectsByReason">Quarantined rows per reason.</param>
/// <param name="AlreadyLoaded">True when a batch with the same checksum was loaded before, so nothing was done.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record IngestReport(
    Guid BatchId, string Table, string Source, string Checksum, long RowsIn, long Accepted, long Rejected, long Duplicates,
    IReadOnlyDictionary<string, long> RejectsByReason, bool AlreadyLoaded, TimeSpan Elapsed)
{
    /// <summary>The report of a batch skipped because its checksum was loaded before.</summary>
    public static IngestReport Skipped(string table, string source, string checksum, TimeSpan elapsed) =>
        new(Guid.Empty, table, source, checksum, 0, 0, 0, 0, new Dictionary<string, long>(), true, elapsed);
}
