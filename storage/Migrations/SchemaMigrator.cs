using System.Globalization;

namespace CroweLogic.Flow.Storage.Migrations;

/// <summary>Applies pending migrations in order and records them in <c>schema_migrations</c>, then brings the shipped calendars' sessions up to date.</summary>
public static class SchemaMigrator
{
    /// <summary>Brings the store's schema up to date; returns the migrations applied now.</summary>
    /// <exception cref="SchemaDriftException">An applied migration's text differs from the shipped one, or the store is newer than this build.</exception>
    public static async Task<IReadOnlyList<Migration>> MigrateAsync(IFlowStore store, CancellationToken cancellationToken = default)
    {
        await store.ExecuteAsync(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations
            (version UInt32, name String, checksum String, applied_at DateTime64(9, 'UTC') DEFAULT now64(9))
            ENGINE = MergeTree ORDER BY version
            """, cancellationToken).ConfigureAwait(false);

        var applied = new Dictionary<int, string>();
        using (var result = await store.QueryArrowAsync("SELECT version, checksum FROM schema_migrations ORDER BY version", cancellationToken).ConfigureAwait(false))
        {
            foreach (var batch in result.Batches)
            {
                var versions = Contracts.Arrow.ColumnView.For(batch.Column(0), "version");
                var checksums = Contracts.Arrow.ColumnView.For(batch.Column(1), "checksum");
                for (var i = 0; i < batch.Length; i++) applied[(int)versions.GetInt64(i)] = checksums.GetString(i);
            }
        }

        var shipped = Migration.Embedded;
        var newest = applied.Count == 0 ? 0 : applied.Keys.Max();
        if (newest > shipped.Count)
            throw new SchemaDriftException($"the store is at schema version {newest}, newer than this build knows ({shipped.Count}); upgrade flow before using this data directory.");

        var done = new List<Migration>();
        foreach (var migration in shipped)
        {
            if (applied.TryGetValue(migration.Version, out var checksum))
            {
                if (checksum != migration.Checksum)
                    throw new SchemaDriftException($"migration {migration.Version:D4}_{migration.Name} was changed after it was applied (checksum {Short(checksum)} in the store, {Short(migration.Checksum)} shipped). Add a new migration instead of editing an applied one.");
                continue;
            }
            foreach (var statement in migration.Statements) await store.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            await store.ExecuteAsync(
                $"INSERT INTO schema_migrations (version, name, checksum) VALUES ({migration.Version.ToString(CultureInfo.InvariantCulture)}, {Sql.Literal(migration.Name)}, {Sql.Literal(migration.Checksum)})",
                cancellationToken).ConfigureAwait(false);
            done.Add(migration);
        }
        // Shipped reference data follows the schema: the calendars' sessions are rewritten when their rules changed.
        await Calendars.CalendarSessionStore.SyncAsync(store, cancellationToken).ConfigureAwait(false);
        return done;
    }

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] + "…" : checksum;
}
