namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>A store table as the Flight service offers it.</summary>
/// <param name="Name">Table name (the dataset name).</param>
/// <param name="Engine">ClickHouse table engine.</param>
/// <param name="Rows">Rows stored (the engine's count; -1 when it does not know).</param>
/// <param name="Bytes">Bytes on disk (-1 when unknown).</param>
/// <param name="Columns">Column names and ClickHouse types, in table order.</param>
/// <param name="SymbolColumn">The column a <c>symbols</c> filter applies to (symbol or instrument), if any.</param>
/// <param name="TimeColumn">The column a <c>from</c>/<c>to</c> filter applies to (ts), if any.</param>
public sealed record DatasetInfo(
    string Name, string Engine, long Rows, long Bytes, IReadOnlyList<(string Name, string Type)> Columns, string? SymbolColumn, string? TimeColumn);

/// <summary>What <c>dataset-stats</c> reports.</summary>
/// <param name="Name">Dataset.</param>
/// <param name="Rows">Exact row count.</param>
/// <param name="BytesOnDisk">Compressed bytes of active parts.</param>
/// <param name="Parts">Active parts (many small parts slow reads; <c>flush</c> merges them).</param>
/// <param name="Partitions">Partitions holding active parts (a merge leaves at least one part per partition).</param>
/// <param name="Symbols">Distinct symbols, when the dataset has a symbol column.</param>
/// <param name="MinTime">Earliest timestamp, when the dataset has a time column.</param>
/// <param name="MaxTime">Latest timestamp, when the dataset has a time column.</param>
public sealed record DatasetStats(string Name, long Rows, long BytesOnDisk, long Parts, long Partitions, long? Symbols, string? MinTime, string? MaxTime);
