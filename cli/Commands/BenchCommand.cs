using System.CommandLine;
using System.Diagnostics;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Ingest;
using Spectre.Console;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary>
/// <c>flow bench storage</c>: ingest and query throughput of the store on a synthetic tape, against the targets
/// (validated ingest ≥ 3 M rows/s; 1-minute VWAP bars and the trades→quotes ASOF JOIN each under 3 s).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var rows = new Option<long>("--rows") { Description = "Trades in the tape (the same number of quotes is generated)", DefaultValueFactory = _ => 10_000_000 };
        var symbols = new Option<int>("--symbols") { Description = "Instruments in the tape", DefaultValueFactory = _ => 500 };
        var repeats = new Option<int>("--repeats") { Description = "Runs of each query (best and median are reported)", DefaultValueFactory = _ => 3 };
        var storage = new Command("storage", "Arrow ingest rows/s for a trade tape, 1-minute VWAP bars over it, and an ASOF JOIN of trades to quotes") { rows, symbols, repeats };
        storage.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var explicitDir = parse.GetValue(GlobalOptions.DataDir);
            var dir = explicitDir ?? Path.Combine(Path.GetTempPath(), $"flow-bench-{Environment.ProcessId}");
            if (explicitDir is null && parse.GetValue(GlobalOptions.ClickHouseUrl) is null && Directory.Exists(dir)) Directory.Delete(dir, true);
            try
            {
                using var store = await FlowStores.OpenAsync(new StoreOptions(dir, parse.GetValue(GlobalOptions.ClickHouseUrl)), l => Console.Error.WriteLine($"flow: {l}"), ct);
                await RunAsync(store, parse.GetValue(rows), parse.GetValue(symbols), Math.Max(1, parse.GetValue(repeats)), ct);
            }
            finally
            {
                if (explicitDir is null && Directory.Exists(dir)) Directory.Delete(dir, true);
            }
            return 0;
        }));
        return new Command("bench", "Benchmarks with their targets") { storage, FlightBench.Create(), LaneBench.Create(), LiveBench.Create(), PlatformBench.Create() };
    }

    private static async Task RunAsync(IFlowStore store, long rows, int symbolCount, int repeats, CancellationToken ct)
    {
        var tape = new SyntheticTape(symbolCount, rows);
        await InstrumentRegistry.EnsureAsync(store, [.. tape.Instruments], ct);
        AnsiConsole.MarkupLine($"[bold]flow bench storage[/] · {rows:N0} trades + {rows:N0} quotes · {symbolCount} symbols · {Environment.ProcessorCount} cores · {Markup.Escape(store.Description)}");

        Console.Error.WriteLine("flow: generating the tape");
        var trades = tape.Trades().ToList();
        var quotes = tape.Quotes().ToList();
        var pipeline = new IngestPipeline(store);
        var results = new List<(string Name, string Value, string Target, bool? Met)>();

        // Each ingest runs `repeats` times into emptied tables: the first run of a process also pays for the engine's
        // first large allocations, so best and median are both reported.
        Console.Error.WriteLine("flow: validated ingest of trades");
        var tradeTimes = await TimeIngest(store, repeats, ["trades"], async () => await pipeline.IngestAsync(MarketDataTable.Trades, new ArrowIngestSource("bench-trades", Trade.Arrow.Schema, trades), ct), rows, ct);
        results.Add(("trades: validated Arrow ingest (checks, quarantine, de-dup, accounting)", Rate(rows, tradeTimes), "≥ 3 M rows/s", rows / tradeTimes.Median >= 3e6));

        Console.Error.WriteLine("flow: raw Arrow append of the same tape");
        await store.ExecuteAsync("DROP TABLE IF EXISTS bench_raw_trades", ct);
        await store.ExecuteAsync("CREATE TABLE bench_raw_trades AS trades", ct);
        var rawTimes = await TimeIngest(store, repeats, ["bench_raw_trades"], async () =>
        {
            await store.InsertArrowAsync("bench_raw_trades (symbol, ts, recv_ts, seq, price, size, venue, conditions)", Trade.Arrow.Schema, trades,
                src => $"SELECT symbol, ts, recv_ts, seq, price, size, venue, conditions FROM {src}", ct);
            return (IngestReport?)null;
        }, rows, ct);
        results.Add(("trades: raw Arrow append (no validation)", Rate(rows, rawTimes), "reference", null));
        await store.ExecuteAsync("DROP TABLE bench_raw_trades", ct);
        trades.Clear();

        Console.Error.WriteLine("flow: validated ingest of quotes");
        var quoteTimes = await TimeIngest(store, repeats, ["quotes"], async () => await pipeline.IngestAsync(MarketDataTable.Quotes, new ArrowIngestSource("bench-quotes", Quote.Arrow.Schema, quotes), ct), rows, ct);
        results.Add(("quotes: validated Arrow ingest (nullable sides, six checks)", Rate(rows, quoteTimes), "reference", null));
        quotes.Clear();

        const string vwap =
            "SELECT symbol, toDateTime64(toStartOfMinute(ts), 9, 'UTC') AS minute, argMin(price, ts) AS open, max(price) AS high, min(price) AS low, argMax(price, ts) AS close, " +
            "sum(size) AS volume, sum(price * size) / sum(size) AS vwap, count() AS trade_count FROM trades GROUP BY symbol, minute";
        Console.Error.WriteLine("flow: 1-minute VWAP bars");
        var (vwapBest, vwapMedian, vwapRows) = await TimeQuery(store, vwap, repeats, ct);
        results.Add(($"1-minute VWAP bars, all symbols ({vwapRows:N0} bars, Arrow out)", $"best {vwapBest:F2} s · median {vwapMedian:F2} s", "< 3 s", vwapMedian < 3));

        const string asof =
            "SELECT t.symbol, t.ts, t.price, q.bid, q.ask, t.price - (q.bid + q.ask) / 2 AS vs_mid FROM trades AS t " +
            "ASOF JOIN quotes AS q ON t.symbol = q.symbol AND t.ts >= q.ts";
        Console.Error.WriteLine("flow: ASOF JOIN trades to quotes");
        var (asofBest, asofMedian, asofRows) = await TimeQuery(store, $"SELECT count(), avg(vs_mid) FROM ({asof})", repeats, ct);
        results.Add(($"ASOF JOIN trades → prevailing quote ({rows:N0} trades)", $"best {asofBest:F2} s · median {asofMedian:F2} s", "< 3 s", asofMedian < 3));

        var table = new Table().Border(TableBorder.Rounded).AddColumns("measure", "result", "target", "");
        foreach (var (name, value, target, met) in results)
            table.AddRow(Markup.Escape(name), value, target, met switch { true => "[green]met[/]", false => "[red]missed[/]", null => "" });
        AnsiConsole.Write(table);
        _ = asofRows;
    }

    private static string Rate(long rows, (double Best, double Median) times) =>
        $"median {rows / times.Median / 1e6:F2} M rows/s ({times.Median:F2} s) · best {rows / times.Best / 1e6:F2}";

    /// <summary>Runs an ingest several times, emptying its tables (and the batch log) before each run.</summary>
    private static async Task<(double Best, double Median)> TimeIngest(IFlowStore store, int repeats, string[] tables, Func<Task<IngestReport?>> ingest, long rows, CancellationToken ct)
    {
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            foreach (var table in tables.Append("ingest_batches").Append("rejects")) await store.ExecuteAsync($"TRUNCATE TABLE {table}", ct);
            var sw = Stopwatch.StartNew();
            var report = await ingest();
            times.Add(sw.Elapsed.TotalSeconds);
            if (report is not null && report.Accepted != rows)
                throw new InvalidOperationException($"the bench tape lost rows: {report.Accepted:N0} of {rows:N0} accepted");
        }
        return (times.Min(), BenchStats.Median(times));
    }

    private static async Task<(double Best, double Median, long Rows)> TimeQuery(IFlowStore store, string sql, int repeats, CancellationToken ct)
    {
        var times = new List<double>();
        long resultRows = 0;
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            using var result = await store.QueryArrowAsync(sql, ct);
            resultRows = result.RowCount;
            times.Add(sw.Elapsed.TotalSeconds);
        }
        return (times.Min(), BenchStats.Median(times), resultRows);
    }
}
