using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Ingest;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>Every vendor sample in ../shared/data/crypto-samples loads through its format, with every row accounted for.</summary>
public class VendorFileImporterTests
{
    private static string Sample(params string[] parts) => Path.Combine([SharedPaths.Data, "crypto-samples", .. parts]);

    // Data rows of a CSV, and how many are distinct, counted here rather than by the engine.
    private static (long Rows, long Distinct) CsvRows(string path)
    {
        var lines = File.ReadLines(path).Skip(1).Where(l => l.Length > 0).ToList();
        return (lines.Count, lines.Distinct(StringComparer.Ordinal).LongCount());
    }

    public static TheoryData<string, string, string, string> Samples => new()
    {
        { "tardis/bitmex_trades_XBTUSD.csv", "tardis:trades", "trades", "XBTUSD.BITMEX" },
        { "tardis/deribit_incremental_book_L2_BTC-PERPETUAL.csv", "tardis:incremental_book_L2", "book_deltas", "BTC-PERPETUAL.DERIBIT" },
        { "binance/btcusdt-depth-snap.csv", "binance:futures_depth", "book_deltas", "BTCUSDT.BINANCE-FUTURES" },
        { "binance/btcusdt-depth-update.csv", "binance:futures_depth", "book_deltas", "BTCUSDT.BINANCE-FUTURES" },
        { "truefx/usdjpy-ticks.csv", "truefx:ticks", "quotes", "USDJPY.TRUEFX" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task A_vendor_csv_loads_every_row(string file, string format, string table, string symbol)
    {
        using var temp = await TempStore.CreateAsync();
        var path = Sample(file.Split('/'));
        var recognised = await VendorFileImporter.RecognizeAsync(temp.Store, path);
        Assert.Equal(format, recognised?.Name);
        var report = Assert.Single(await Importers.ImportAsync(temp.Store, path));
        Assert.Equal(table, report.Table);
        // Binance's update file repeats whole lines (37 of its 100): an exact repeat is a duplicate, nothing else is.
        var (rows, distinct) = CsvRows(path);
        Assert.Equal(rows, report.RowsIn);
        Assert.Equal((distinct, 0L, rows - distinct), (report.Accepted, report.Rejected, report.Duplicates));
        Assert.Equal(symbol, await temp.TextAsync($"SELECT DISTINCT symbol FROM {table}"));
        Assert.True((await Importers.ImportAsync(temp.Store, path)).Single().AlreadyLoaded);
    }

    [Fact]
    public async Task A_tardis_book_snapshot_becomes_one_snapshot_row_per_level()
    {
        using var temp = await TempStore.CreateAsync();
        var path = Sample("tardis", "binance-futures_book_snapshot_25_BTCUSDT.csv");
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var levels = lines.Skip(1).Sum(l => l.Split(',').Skip(4).Chunk(2).Count(p => p[0].Length > 0 || p[1].Length > 0));
        var report = Assert.Single(await Importers.ImportAsync(temp.Store, path));
        Assert.Equal("tardis:book_snapshot_25", report.Source.Split(':')[0] + ":" + report.Source.Split(':')[1]);
        Assert.Equal(((long)levels, (long)levels), (report.RowsIn, report.Accepted));
        // The first snapshot's best ask and bid are the file's asks[0] and bids[0].
        var first = lines[1].Split(',');
        Assert.Equal($"ask\t{double.Parse(first[Array.IndexOf(header, "asks[0].price")], System.Globalization.CultureInfo.InvariantCulture)}\nbid\t{double.Parse(first[Array.IndexOf(header, "bids[0].price")], System.Globalization.CultureInfo.InvariantCulture)}",
            await temp.TextAsync("SELECT side, if(side = 'ask', min(price), max(price)) FROM book_deltas WHERE seq = (SELECT min(seq) FROM book_deltas) GROUP BY side ORDER BY side"));
    }

    [Fact]
    public async Task Binance_trades_and_book_ticker_parquet_load_every_row()
    {
        using var temp = await TempStore.CreateAsync();
        var trades = Assert.Single(await Importers.ImportAsync(temp.Store, Sample("binance", "btcusdt-trades.parquet")));
        var quotes = Assert.Single(await Importers.ImportAsync(temp.Store, Sample("binance", "btcusdt-quotes.parquet")));
        foreach (var (report, file) in new[] { (trades, "btcusdt-trades.parquet"), (quotes, "btcusdt-quotes.parquet") })
        {
            Assert.Equal(await temp.CountAsync($"SELECT count() FROM file('{Sample("binance", file)}', Parquet)"), report.RowsIn);
            Assert.Equal(report.RowsIn, report.Accepted + report.Rejected + report.Duplicates);
            Assert.Equal(0, report.Rejected);
        }
        Assert.Equal(("trades", "quotes"), (trades.Table, quotes.Table));
        Assert.Equal("BTCUSDT.BINANCE\tcrypto\tBINANCE\t24/7", await temp.TextAsync("SELECT symbol, asset_class, venue, calendar FROM instruments FINAL WHERE symbol = 'BTCUSDT.BINANCE'"));
        // One instrument, though the book ticker was recorded as CCXT's BTC/USDT.
        Assert.Equal("BTCUSDT.BINANCE\nBTCUSDT.BINANCE", await temp.TextAsync("SELECT DISTINCT symbol FROM trades UNION ALL SELECT DISTINCT symbol FROM quotes"));
        // buyer_maker = True means a seller took the bid.
        Assert.Equal(await temp.CountAsync($"SELECT count() FROM file('{Sample("binance", "btcusdt-trades.parquet")}', Parquet) WHERE buyer_maker = 'True'"),
            await temp.CountAsync("SELECT count() FROM trades WHERE conditions = 'sell'"));
    }

    [Fact]
    public async Task A_malformed_vendor_row_is_quarantined_with_its_text_and_the_rest_load()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory("flow-vendor-");
        var source = File.ReadAllLines(Sample("tardis", "bitmex_trades_XBTUSD.csv"));
        var path = dir.File("bitmex_trades_XBTUSD.csv");
        // One price is not a number and one timestamp is not microseconds; the other rows are the vendor's own.
        var rows = source.Skip(1).Take(10).ToArray();
        rows[3] = string.Join(',', rows[3].Split(',') is var f3 ? f3.Take(6).Append("8531.5x").Append(f3[7]) : []);
        rows[7] = string.Join(',', rows[7].Split(',') is var f7 ? f7.Take(2).Append("2020-03-01").Concat(f7.Skip(3)) : []);
        File.WriteAllLines(path, [source[0], .. rows]);

        var report = Assert.Single(await Importers.ImportAsync(temp.Store, path));
        Assert.Equal((10L, 8L, 2L), (report.RowsIn, report.Accepted, report.Rejected));
        Assert.Equal("unparseable_value\t1\nunparseable_value\t1",
            await temp.TextAsync("SELECT reason, countIf(position(row, '8531.5x') > 0) + countIf(position(row, '2020-03-01') > 0) FROM rejects GROUP BY reason, row ORDER BY row"));
    }
}
