using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>What a user says about files whose columns do not say it themselves.</summary>
/// <param name="Table">The target table of CSV/Parquet files, when their columns fit several (bars of which period?) or none is inferred.</param>
/// <param name="Symbol">
/// The instrument of a CSV that has no symbol column (one file per instrument, as most vendors' bar downloads are);
/// files with a symbol column keep their own.
/// </param>
public sealed record ImportOptions(MarketDataTable? Table = null, string? Symbol = null)
{
    /// <summary>No table or symbol given: everything inferred from the files.</summary>
    public static ImportOptions Inferred { get; } = new();
}
