using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Ingest;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>
/// A vendor's bar download: one instrument per file, no symbol column, the vendor's own header names
/// (timestamp, Date, Vol…), one period per file. flow ingest --symbol names the instrument; the period comes from the bars' spacing.
/// </summary>
public class OneInstrumentCsvTests
{
    private static readonly string BtcPerp = Path.Combine(SharedPaths.Data, "crypto-samples", "btc-perp-20211231-20220201_1m.csv");

    [Fact]
    public async Task The_btc_perp_minute_bars_load_under_the_symbol_given_into_bars_1m()
    {
        using var temp = await TempStore.CreateAsync();
        Assert.Equal(["BTC-PERP.FTX"], await ContractFileImporter.RegisterInstrumentsAsync(temp.Store, BtcPerp, AssetClass.Crypto, "BTC-PERP.FTX"));
        var bars = File.ReadLines(BtcPerp).Skip(1).Count(l => l.Length > 0);
        Assert.Equal(45_031, bars); // the data README's count

        var report = Assert.Single(await Importers.ImportAsync(temp.Store, BtcPerp, new ImportOptions(Symbol: "BTC-PERP.FTX")));
        Assert.Equal(MarketDataTable.Bars1m.Name, report.Table); // 60 s apart, not told
        Assert.Equal((bars, bars, 0L), (report.RowsIn, report.Accepted, report.Rejected));
        // The file's first and last lines, exactly: 2021-12-31 23:01:00,46319.0,46385.0,46319.0,46377.0,2300413.7295
        Assert.Equal("BTC-PERP.FTX\t2021-12-31T23:01:00.000000000Z\t46319\t46385\t46319\t46377\t2300413.7295\t0\t\\N",
            await temp.TextAsync("SELECT symbol, ts, open, high, low, close, volume, trade_count, vwap FROM bars_1m ORDER BY ts LIMIT 1"));
        var last = File.ReadLines(BtcPerp).Last(l => l.Length > 0).Split(',');
        Assert.Equal($"{last[0][..19].Replace(' ', 'T')}.000000000Z\t{double.Parse(last[4], System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            await temp.TextAsync("SELECT ts, close FROM bars_1m ORDER BY ts DESC LIMIT 1"));

        Assert.True(Assert.Single(await Importers.ImportAsync(temp.Store, BtcPerp, new ImportOptions(Symbol: "BTC-PERP.FTX"))).AlreadyLoaded);
        // The same file named as another instrument is other data, not a repeat.
        await ContractFileImporter.RegisterInstrumentsAsync(temp.Store, BtcPerp, AssetClass.Crypto, "BTC-PERP.OTHER");
        var other = Assert.Single(await Importers.ImportAsync(temp.Store, BtcPerp, new ImportOptions(Symbol: "BTC-PERP.OTHER")));
        Assert.Equal((false, (long)bars), (other.AlreadyLoaded, other.Accepted));
    }

    [Fact]
    public async Task Without_a_symbol_the_file_is_refused_saying_to_name_one()
    {
        using var temp = await TempStore.CreateAsync();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Importers.ImportAsync(temp.Store, BtcPerp));
        Assert.Contains("has the required columns of no table", error.Message, StringComparison.Ordinal);
        Assert.Contains("pass --symbol", error.Message, StringComparison.Ordinal);
        Assert.Equal("0", await temp.TextAsync("SELECT count() FROM bars_1m"));
    }

    [Fact]
    public async Task Daily_bars_with_vendor_header_names_go_to_bars_1d_and_a_symbol_column_is_not_overridden()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory();
        var daily = dir.File("aapl.csv");
        File.WriteAllText(daily, "Date,Open,High,Low,Close,Vol\n2024-01-02,187.15,188.44,183.89,185.64,82488700\n2024-01-03,184.22,185.88,183.43,184.25,58414500\n2024-01-04,182.15,183.09,180.88,181.91,71983600\n");
        await ContractFileImporter.RegisterInstrumentsAsync(temp.Store, daily, AssetClass.Equity, "AAPL");
        var report = Assert.Single(await Importers.ImportAsync(temp.Store, daily, new ImportOptions(Symbol: "AAPL")));
        Assert.Equal((MarketDataTable.Bars1d.Name, 3L, 3L), (report.Table, report.RowsIn, report.Accepted));
        Assert.Equal("AAPL\t2024-01-03T00:00:00.000000000Z\t184.25\t58414500\t0", await temp.TextAsync("SELECT symbol, ts, close, volume, trade_count FROM bars_1d ORDER BY ts LIMIT 1 OFFSET 1"));

        var withSymbol = dir.File("with-symbol.csv");
        File.WriteAllText(withSymbol, "symbol,timestamp,open,high,low,close,volume\nAAPL,2024-01-05,181.99,182.76,180.17,181.18,62303300\n");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Importers.ImportAsync(temp.Store, withSymbol, new ImportOptions(Symbol: "MSFT")));
        Assert.Equal("with-symbol.csv has its own symbol column; --symbol is for files of one instrument without one", error.Message);
    }

    [Fact]
    public async Task Bars_whose_spacing_is_no_tables_period_need_the_table_named()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory();
        var hourly = dir.File("eth-1h.csv");
        File.WriteAllText(hourly, "timestamp,open,high,low,close,volume\n2024-01-02 00:00,2350,2360,2340,2355,10\n2024-01-02 01:00,2355,2370,2350,2365,12\n2024-01-02 02:00,2365,2366,2330,2335,9\n");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Importers.ImportAsync(temp.Store, hourly, new ImportOptions(Symbol: "ETH-USD")));
        Assert.Equal("eth-1h.csv fits several tables (bars_1s, bars_1m, bars_1d); pass --table: its bars are 3600 s apart, which is no table's period", error.Message);
    }

    [Fact]
    public async Task A_folder_loads_every_file_it_can_and_names_the_others_with_their_reason()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a-trades.csv"), "symbol,ts,price,size\nAAPL,2024-01-02T15:00:00Z,185.5,100\n");
        File.WriteAllText(dir.File("b-notes.csv"), "when,what\n2024-01-02,bought\n");
        File.WriteAllText(dir.File("c-trades.csv"), "symbol,ts,price,size\nAAPL,2024-01-02T15:00:01Z,185.6,50\n");
        await InstrumentRegistry.EnsureAsync(temp.Store, [Instrument.Defaults("AAPL", AssetClass.Equity)]);

        // Without somewhere to put failures the first one stops the import, as a single file's would.
        await Assert.ThrowsAsync<ArgumentException>(() => Importers.ImportAsync(temp.Store, dir.Path));
        var failures = new List<ImportFailure>();
        var reports = await Importers.ImportAsync(temp.Store, dir.Path, failures: failures);
        var failure = Assert.Single(failures);
        Assert.Equal("b-notes.csv", Path.GetFileName(failure.Path));
        Assert.StartsWith("b-notes.csv: its header (when,what) has the required columns of no table", failure.Error, StringComparison.Ordinal);
        Assert.Equal(["a-trades.csv", "c-trades.csv"], reports.Select(r => r.Source.Replace("file:", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal("2", await temp.TextAsync("SELECT count() FROM trades"));
    }
}
