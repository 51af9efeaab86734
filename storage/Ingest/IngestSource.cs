using Apache.Arrow;

namespace CroweLogic.Flow.Storage.Ingest;

/// <summary>Rows offered to the ingest pipeline, in the target table's contract columns.</summary>
public abstract record IngestSource(string Name)
{
    /// <summary>
    /// Loads the source into <paramref name="stagingTable"/>; <paramref name="stage"/> turns the SQL expression of a relation
    /// with the contract columns plus <c>_source_reason</c> and <c>_raw</c> (the source row as text where the source rejected
    /// it, else empty) into the SELECT that fills the staging table.
    /// </summary>
    internal abstract Task LoadAsync(IFlowStore store, string stagingTable, Func<string, string> stage, CancellationToken cancellationToken);

    /// <summary>A checksum known before loading (file hash), or null to use the staged content's.</summary>
    internal virtual string? KnownChecksum => null;
}

/// <summary>Arrow record batches in the contract schema (from the live lane, Flight, or an importer).</summary>
/// <param name="Name">Provenance shown in reports.</param>
/// <param name="Schema">The batches' schema.</param>
/// <param name="Batches">The rows.</param>
public sealed record ArrowIngestSource(string Name, Schema Schema, IReadOnlyList<RecordBatch> Batches) : IngestSource(Name)
{
    internal override Task LoadAsync(IFlowStore store, string stagingTable, Func<string, string> stage, CancellationToken cancellationToken) =>
        store.InsertArrowAsync(stagingTable, Schema, Batches, src => stage($"(SELECT *, '' AS _source_reason, '' AS _raw FROM {src})"), cancellationToken);
}

/// <summary>
/// A file read by ClickHouse (CSV, Parquet…) and mapped to the contract columns by SQL, so parsing is the engine's.
/// </summary>
/// <param name="Name">Provenance shown in reports.</param>
/// <param name="Path">The file.</param>
/// <param name="Format">ClickHouse input format.</param>
/// <param name="Structure">Column structure the file is read with (read fields as String to quarantine unparseable ones).</param>
/// <param name="Mapping">Builds, from the file relation, a SELECT yielding the contract columns plus <c>_source_reason</c> and <c>_raw</c>.</param>
/// <param name="Sha256">SHA-256 of the content (the checksum that makes re-loading the same file a no-op).</param>
/// <param name="Settings">ClickHouse input-format settings for reading it, e.g. <c>input_format_csv_skip_first_lines = 1</c>.</param>
public sealed record FileIngestSource(string Name, string Path, string Format, string Structure, Func<string, string> Mapping, string Sha256, string? Settings = null) : IngestSource(Name)
{
    internal override string? KnownChecksum => "sha256:" + Sha256;

    internal override Task LoadAsync(IFlowStore store, string stagingTable, Func<string, string> stage, CancellationToken cancellationToken) =>
        store.InsertFileAsync(stagingTable, Path, Format, Structure,
            src => stage($"({Mapping(src)})") + (Settings is null ? "" : $" SETTINGS {Settings}"), cancellationToken);

    /// <summary>Hashes a file for <see cref="Sha256"/>.</summary>
    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
