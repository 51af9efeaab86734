namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// SQL fragments for mapping text fields to contract columns: every parse is null-safe, and a field that
/// does not parse makes the row's <c>_source_reason</c> 'unparseable_value' instead of failing the file.
/// </summary>
internal static class ParseSql
{
    /// <summary>A double from text (NaN/inf literals parse and are caught later as non-finite).</summary>
    public static string Float(string field) => $"toFloat64OrNull(trimBoth({field}))";

    /// <summary>An int64 from text.</summary>
    public static string Int(string field) => $"toInt64OrNull(trimBoth({field}))";

    /// <summary>
    /// A time from text: integer nanoseconds since the epoch, or any ISO-8601/common date-time form (UTC unless zoned).
    /// </summary>
    public static string Time(string field) =>
        $"if(match(trimBoth({field}), '^-?[0-9]{{10,19}}$'), fromUnixTimestamp64Nano(toInt64(trimBoth({field})), 'UTC'), parseDateTime64BestEffortOrNull(trimBoth({field}), 9, 'UTC'))";

    /// <summary>The source row as JSON, computed only for rows the source itself rejects (for the quarantine).</summary>
    public static string Raw(string reasonAlias, params string[] fields) =>
        $"if({reasonAlias} != '', formatRowNoNewline('JSONEachRow', {string.Join(", ", fields)}), '')";

    /// <summary>The reason expression: 'unparseable_value' when any of the parsed expressions is null.</summary>
    public static string Unparseable(params string[] parsed) =>
        $"if({string.Join(" OR ", parsed.Select(p => $"isNull({p})"))}, 'unparseable_value', '')";
}
