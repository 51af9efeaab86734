using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Calendars;

namespace CroweLogic.Flow.Storage.Calendars;

/// <summary>
/// The <c>calendar_sessions</c> table: every shipped calendar's sessions, holidays and end rows, so SQL can join trading
/// dates and the ingest pipeline can check event times against holidays and early closes. The rows are generated from
/// the rules in <see cref="TradingCalendars"/>; a store holding another version of them is rewritten.
/// </summary>
public static class CalendarSessionStore
{
    /// <summary>The table name.</summary>
    public const string Table = "calendar_sessions";

    private static string Columns => string.Join(", ", TradingSession.Arrow.ColumnNames.Select(Sql.Identifier));

    /// <summary>Writes the shipped calendars unless the table already holds exactly this version; returns whether it wrote.</summary>
    public static async Task<bool> SyncAsync(IFlowStore store, CancellationToken cancellationToken = default)
    {
        var version = TradingCalendars.Version;
        var sessions = TradingCalendars.Sessions;
        using (var result = await store.QueryArrowAsync($"SELECT toInt64(countIf(version = {Sql.Literal(version)}) = count() AND count() = {sessions.Count}) FROM {Table}", cancellationToken).ConfigureAwait(false))
            if (result.Scalar<long>() == 1) return false;

        // Filled aside and swapped in, so an ingest running meanwhile sees the old calendars or the new, never none.
        const string fresh = Table + "_next";
        await store.ExecuteAsync($"DROP TABLE IF EXISTS {fresh}", cancellationToken).ConfigureAwait(false);
        await store.ExecuteAsync($"CREATE TABLE {fresh} AS {Table}", cancellationToken).ConfigureAwait(false);
        await store.InsertArrowAsync($"{fresh} ({Columns}, version)", TradingSession.Arrow.Schema, TradingSession.Arrow.EncodeChunks(sessions),
            src => $"SELECT {Columns}, {Sql.Literal(version)} FROM {src}", cancellationToken).ConfigureAwait(false);
        await store.ExecuteAsync($"EXCHANGE TABLES {fresh} AND {Table}", cancellationToken).ConfigureAwait(false);
        await store.ExecuteAsync($"DROP TABLE {fresh}", cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Reads sessions, optionally filtered by a SQL condition over the table's columns.</summary>
    public static async Task<List<TradingSession>> ReadAsync(IFlowStore store, string? where = null, CancellationToken cancellationToken = default)
    {
        using var result = await store.QueryArrowAsync($"SELECT {Columns} FROM {Table}{(where is null ? "" : " WHERE " + where)} ORDER BY calendar, open_ts", cancellationToken).ConfigureAwait(false);
        return TradingSession.Arrow.Decode(result.Batches);
    }
}
