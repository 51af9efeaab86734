using System.CommandLine;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow db info|migrate</c>: what the store holds and its schema.</summary>
internal static class DbCommand
{
    internal const string InfoSql =
        """
        SELECT t.name AS table, t.engine AS engine, ifNull(p.rows, toUInt64(ifNull(t.total_rows, 0))) AS rows,
               formatReadableSize(ifNull(p.bytes, 0)) AS disk, ifNull(p.parts, 0) AS parts
        FROM system.tables AS t
        LEFT JOIN
        (
            SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes, count() AS parts
            FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table
        ) AS p ON p.table = t.name
        WHERE t.database = currentDatabase() AND t.name NOT LIKE 'flow\_staging\_%'
        ORDER BY t.name
        """;

    public static Command Create()
    {
        var info = new Command("info", "Tables with row counts, disk size and parts; the backend and schema version");
        info.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            Console.WriteLine($"store: {store.Description}");
            using (var version = await store.QueryArrowAsync("SELECT max(version) FROM schema_migrations", ct))
                Console.WriteLine($"schema version: {version.Scalar<long>()}");
            await QueryOutput.PrintAsync(store, InfoSql, "table", ct);
            return 0;
        }));

        var migrate = new Command("migrate", "Apply pending schema migrations (every command does this on open) and list the applied ones");
        migrate.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            await QueryOutput.PrintAsync(store, "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version", "table", ct);
            return 0;
        }));

        return new Command("db", "Store information and schema") { info, migrate };
    }
}
