namespace CroweLogic.Flow.Storage.Embedded;

/// <summary>
/// One statement as a client of the engine sends it (the ClickHouse HTTP interface): in a database, with settings that
/// hold for this statement only, its output in a format.
/// </summary>
/// <param name="Sql">The statement.</param>
/// <param name="Format">The output format when the statement names none.</param>
public sealed record EmbeddedRequest(string Sql, string Format)
{
    /// <summary>The database the statement runs in (null: the engine's current one, <c>default</c>).</summary>
    public string? Database { get; init; }

    /// <summary>Settings (and <c>param_*</c> query parameters) for this statement, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];
}

/// <summary>What a request returned.</summary>
/// <param name="Output">The statement's output in its format.</param>
/// <param name="Stats">The engine's statistics.</param>
public readonly record struct EmbeddedResponse(byte[] Output, StatementStats Stats);
