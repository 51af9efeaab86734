using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Cli.Backtest;
using CroweLogic.Flow.Cli.Governance;
using CroweLogic.Flow.Dataflow.Lane;
using System.CommandLine;
using System.Diagnostics;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Ingest;
using Spectre.Console;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary>
/// <c>flow run</c>: the main job on the embedded defaults: loads the shared real data (S&amp;P 500 daily set, LEAN tick
/// days) through the validated ingest path, prints an analytics summary, backtests the daily baselines walk-forward
/// through the lane graph, then runs the research lane on Temporal (research → signing → rollout) and writes the tearsheet.
/// </summary>
internal static class RunCommand
{
    private static readonly (string Title, string Sql)[] Analytics =
    [
        ("S&P 500 daily set: best and worst 2020 total return (adjusted close)",
            """
            WITH r AS
            (
                SELECT symbol, round(100 * (argMax(adj_close, ts) / argMin(adj_close, ts) - 1), 1) AS return_pct, count() AS days
                FROM bars_1d WHERE toYear(ts) = 2020 GROUP BY symbol HAVING days > 240
            )
            SELECT * FROM (SELECT 'best' AS rank, * FROM r ORDER BY return_pct DESC LIMIT 5)
            UNION ALL
            SELECT * FROM (SELECT 'worst' AS rank, * FROM r ORDER BY return_pct ASC LIMIT 5)
            """),
        ("LEAN tick days: trades, VWAP and median quoted spread per symbol and day (regular session)",
            """
            SELECT t.symbol AS symbol, t.day AS day, t.trades AS trades, round(t.vwap, 3) AS vwap, round(q.median_spread_bps, 2) AS median_spread_bps, q.quotes AS quotes
            FROM
            (
                SELECT symbol, toDate(toTimeZone(ts, 'America/New_York')) AS day, count() AS trades, sum(price * size) / sum(size) AS vwap
                FROM trades WHERE toHour(toTimeZone(ts, 'America/New_York')) * 60 + toMinute(toTimeZone(ts, 'America/New_York')) BETWEEN 570 AND 959
                GROUP BY symbol, day
            ) AS t
            LEFT JOIN
            (
                SELECT symbol, toDate(toTimeZone(ts, 'America/New_York')) AS day, count() AS quotes,
                       median(10000 * (ask - bid) / ((ask + bid) / 2)) AS median_spread_bps
                FROM top_of_book WHERE bid IS NOT NULL AND ask IS NOT NULL AND ask >= bid
                  AND toHour(toTimeZone(ts, 'America/New_York')) * 60 + toMinute(toTimeZone(ts, 'America/New_York')) BETWEEN 570 AND 959
                GROUP BY symbol, day
            ) AS q ON q.symbol = t.symbol AND q.day = t.day
            ORDER BY symbol, day
            """),
        ("Trades against the prevailing top of book (ASOF JOIN): where prints land (SPY has no quote ticks)",
            """
            SELECT t.symbol AS symbol, count() AS matched_trades,
                   round(100 * countIf(t.price > q.bid AND t.price < q.ask) / count(), 1) AS inside_pct,
                   round(100 * countIf(t.price = q.bid OR t.price = q.ask) / count(), 1) AS at_touch_pct,
                   round(100 * countIf(t.price < q.bid OR t.price > q.ask) / count(), 1) AS outside_pct
            FROM trades AS t
            ASOF JOIN (SELECT symbol, ts, bid, ask FROM top_of_book WHERE bid IS NOT NULL AND ask IS NOT NULL AND ask >= bid) AS q
            ON t.symbol = q.symbol AND t.ts >= q.ts
            GROUP BY symbol ORDER BY symbol
            """),
        ("Daily-bar gaps: instruments with the most missing trading days inside their history",
            "SELECT symbol, count() AS missing_days, min(missing_day) AS first_missing, max(missing_day) AS last_missing FROM (" +
            Storage.Quality.MissingnessReport.Sql("bars_1d") + ") GROUP BY symbol ORDER BY missing_days DESC LIMIT 5"),
    ];

    public static Command Create()
    {
        var shared = new Option<string?>("--shared-data") { Description = $"Folder with sp500-daily/ and lean/ (default: ${SharedData.Variable}, or shared/data found above the current directory)" };
        var minDsr = new Option<double>("--min-dsr") { Description = "Deflated Sharpe ratio the research winner must reach", DefaultValueFactory = _ => 0.95 };
        var minPsr = new Option<double>("--min-psr") { Description = "Probabilistic Sharpe ratio the research winner must reach", DefaultValueFactory = _ => 0.95 };
        var command = new Command("run", "The main job: load the shared real market data, print an analytics summary, backtest the daily baselines walk-forward, then research, sign and roll out a model on Temporal and write its tearsheet") { shared, minDsr, minPsr };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var clock = Stopwatch.StartNew();
            var data = SharedData.Locate(parse.GetValue(shared));
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            AnsiConsole.MarkupLine($"[bold]CroweLogic.Flow[/] main job · store: {Markup.Escape(store.Description)} · data: {Markup.Escape(data)}");

            var reports = new List<IngestReport>();
            var sp500 = Path.Combine(data, "sp500-daily", "daily_adjusted.tar.xz");
            if (File.Exists(sp500)) reports.AddRange(await ImportProgressView.RunAsync("S&P 500 daily", p => SnP500DailyImporter.ImportAsync(store, sp500, p, ct)));
            var ticks = Path.Combine(data, "lean", "Data", "equity", "usa", "tick");
            if (Directory.Exists(ticks)) reports.AddRange(await ImportProgressView.RunAsync("LEAN ticks", p => LeanTickImporter.ImportAsync(store, ticks, p, ct)));
            if (reports.Count == 0) throw new DirectoryNotFoundException($"{data} holds neither sp500-daily/daily_adjusted.tar.xz nor lean/Data/equity/usa/tick");
            IngestReportView.Print(Summarise(reports));

            await Section(store, "Rows per table", "SELECT table, rows, disk FROM (" + DbCommand.InfoSql + ") WHERE rows > 0", ct);
            await Section(store, "Quarantine: rejected rows by reason",
                "SELECT table_name, reason, count() AS rows FROM rejects GROUP BY table_name, reason ORDER BY table_name, rows DESC", ct);
            foreach (var (title, sql) in Analytics) await Section(store, title, sql, ct);
            if (File.Exists(sp500))
            {
                // The blueprint's baselines (§15.4) through the lane graph, walk-forward over their parameter grids, KPIs into backtest_kpis.
                foreach (var baseline in new[] { "momentum", "mean-reversion" })
                {
                    AnsiConsole.Write(new Rule($"[bold]Baseline {baseline}: backtest through the lane graph, walk-forward[/]").LeftJustified());
                    await BacktestReport.RunAsync(store, BaselinePolicies.Load(baseline), new BacktestReport.Options(MarketShape.Bars, null, null, null, WalkForward: true, Write: true), ct);
                }
            }
            string? tearsheet = null;
            if (File.Exists(sp500))
            {
                AnsiConsole.Write(new Rule("[bold]Research lane on Temporal: research → model signing → rollout shadow → canary → full[/]").LeftJustified());
                var connection = await GlobalOptions.ConnectTemporalAsync(parse, ct, standalone: true);
                await using (connection.ConfigureAwait(false))
                {
                    using var signer = GlobalOptions.OpenSigner(parse);
                    AnsiConsole.MarkupLine($"Temporal: {Markup.Escape(connection.Description)}");
                    tearsheet = await GovernanceStory.RunAsync(store, signer, connection.Client, Path.Combine(parse.GetValue(GlobalOptions.DataDir) ?? FlowStores.DefaultDataDirectory, "reports"), GovernanceStory.SnP500, new GovernanceStory.Gates(parse.GetValue(minDsr), parse.GetValue(minPsr)), ct);
                }
            }
            Console.WriteLine();
            if (tearsheet is not null) Console.WriteLine($"tearsheet: {tearsheet}");
            Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:F1} s. Explore with: flow sql \"SELECT …\" · flow db info · flow quality missing --table trades · flow backtest --help · flow paper --help");
            return 0;
        }));
        return command;
    }

    // One line per importer and table rather than 35 tick files.
    private static List<IngestReport> Summarise(List<IngestReport> reports) =>
        [.. reports.GroupBy(r => (Origin: r.Source.Split(':')[0], r.Table)).Select(g => new IngestReport(Guid.Empty, g.Key.Table,
            $"{g.Key.Origin} ({g.Count()} batch{(g.Count() == 1 ? "" : "es")})", "", g.Sum(r => r.RowsIn), g.Sum(r => r.Accepted), g.Sum(r => r.Rejected), g.Sum(r => r.Duplicates),
            g.SelectMany(r => r.RejectsByReason).GroupBy(kv => kv.Key).ToDictionary(x => x.Key, x => x.Sum(kv => kv.Value)),
            g.All(r => r.AlreadyLoaded), TimeSpan.FromTicks(g.Sum(r => r.Elapsed.Ticks))))];

    private static async Task Section(IFlowStore store, string title, string sql, CancellationToken ct)
    {
        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());
        await QueryOutput.PrintAsync(store, sql, "table", ct);
    }
}
