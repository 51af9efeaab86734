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
        return new Command("bench", "Benchmarks with their targets") { storage };
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

        Console.Error.WriteLine("flow: validated ingest of trades");
        var sw = Stopwatch.StartNew();
        var report = await pipeline.IngestAsync(MarketDataTable.Trades, new ArrowIngestSource("bench-trades", Trade.Arrow.Schema, trades), ct);
        var tradeRate = report.RowsIn / sw.Elapsed.TotalSeconds;
        if (report.Accepted != rows) throw new InvalidOperationException($"the bench tape lost rows: {report.Accepted:N0} of {rows:N0} accepted");
        results.Add(("trades: validated Arrow ingest (checks, quarantine, de-dup, accounting)", $"{tradeRate / 1e6:F2} M rows/s ({sw.Elapsed.TotalSeconds:F2} s)", "≥ 3 M rows/s", tradeRate >= 3e6));

        Console.Error.WriteLine("flow: raw Arrow append of the same tape");
        await store.ExecuteAsync("DROP TABLE IF EXISTS bench_raw_trades", ct);
        await store.ExecuteAsync("CREATE TABLE bench_raw_trades AS trades", ct);
        var raw = new EventTable<Trade>("bench_raw_trades", Trade.Arrow);
        sw.Restart();
        await store.InsertArrowAsync($"{raw.Name} (symbol, ts, recv_ts, seq, price, size, venue, conditions)", Trade.Arrow.Schema, trades,
            src => $"SELECT symbol, ts, recv_ts, seq, price, size, venue, conditions FROM {src}", ct);
        var rawRate = rows / sw.Elapsed.TotalSeconds;
        results.Add(("trades: raw Arrow append (no validation)", $"{rawRate / 1e6:F2} M rows/s ({sw.Elapsed.TotalSeconds:F2} s)", "reference", null));
        await store.ExecuteAsync("DROP TABLE bench_raw_trades", ct);
        trades.Clear();

        Console.Error.WriteLine("flow: validated ingest of quotes");
        sw.Restart();
        var quoteReport = await pipeline.IngestAsync(MarketDataTable.Quotes, new ArrowIngestSource("bench-quotes", Quote.Arrow.Schema, quotes), ct);
        results.Add(("quotes: validated Arrow ingest (nullable sides, six checks)", $"{quoteReport.RowsIn / sw.Elapsed.TotalSeconds / 1e6:F2} M rows/s ({sw.Elapsed.TotalSeconds:F2} s)", "reference", null));
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
        times.Sort();
        return (times[0], times[times.Count / 2], resultRows);
    }
}
