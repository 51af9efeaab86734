using CroweLogic.Flow.Contracts.Events;
using System.Globalization;
using System.IO.Compression;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Ingest;
using CroweLogic.Flow.Storage.Quality;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Storage.Tests;

public class ImporterTests
{
    [Fact]
    public async Task A_real_lean_trade_day_loads_every_row_in_utc()
    {
        using var temp = await TempStore.CreateAsync();
        var zip = SharedPaths.LeanTick("ibm", "20131007_trade.zip");
        var lines = ReadZipLines(zip);

        var reports = await LeanTickImporter.ImportAsync(temp.Store, zip);
        var report = Assert.Single(reports);
        Assert.Equal(lines.Count, report.RowsIn);
        Assert.Equal(lines.Count, report.Accepted + report.Rejected + report.Duplicates);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(report.Accepted, await temp.CountAsync("SELECT count() FROM trades WHERE symbol = 'IBM'"));

        // The first print: ms after New York midnight (EDT, UTC-4) and a price in deci-cents.
        var first = lines.Select(l => l.Split(',')).Where(f => f[5] == "0").OrderBy(f => long.Parse(f[0], CultureInfo.InvariantCulture)).First();
        // New York midnight on 2013-10-07 (EDT) is 04:00 UTC.
        var expectedMs = new DateTimeOffset(2013, 10, 7, 4, 0, 0, TimeSpan.Zero).AddMilliseconds(long.Parse(first[0], CultureInfo.InvariantCulture)).ToUnixTimeMilliseconds();
        var expected = $"{expectedMs}\t{decimal.Parse(first[1], CultureInfo.InvariantCulture) / 10000m:0.####}";
        Assert.Equal(expected, await temp.TextAsync("SELECT toUnixTimestamp64Milli(ts), price FROM trades ORDER BY ts, seq LIMIT 1"));

        Assert.True((await LeanTickImporter.ImportAsync(temp.Store, zip)).Single().AlreadyLoaded);
    }

    [Fact]
    public async Task Lean_rows_that_do_not_parse_or_are_flagged_go_to_quarantine_with_the_source_text()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory("flow-lean-");
        {
            var zip = Path.Combine(Directory.CreateDirectory(dir.File("xyz")).FullName, "20131008_trade.zip");
            WriteZip(zip, "20131008_xyz_Trade_Tick.csv",
                "36000000,1000000,100,P,0,0\n36000001,abc,100,P,0,0\n36000002,1000100,200,Q,0,1\n36000003,1000200\n");
            var report = (await LeanTickImporter.ImportAsync(temp.Store, zip)).Single();
            Assert.Equal((4, 1, 3), (report.RowsIn, report.Accepted, report.Rejected));
            Assert.Equal(new Dictionary<string, long> { [RejectReasons.Unparseable] = 2, [RejectReasons.FlaggedBySource] = 1 }, report.RejectsByReason);
            Assert.Contains("\"price\":\"abc\"", await temp.TextAsync("SELECT row FROM rejects WHERE reason = 'unparseable_value' ORDER BY row LIMIT 1"));
            Assert.Equal("100", await temp.TextAsync("SELECT price FROM trades"));
        }
    }

    [Fact]
    public async Task Lean_data_that_is_not_us_equity_ticks_is_refused_whole_and_never_read_as_ticks()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory("flow-lean-");
        {
            // An equity tick day beside an equity minute day in LEAN's layout: the folder is refused before anything loads.
            var tick = Path.Combine(Directory.CreateDirectory(dir.File(Path.Combine("equity", "usa", "tick", "xyz"))).FullName, "20131008_trade.zip");
            WriteZip(tick, "20131008_xyz_Trade_Tick.csv", "36000000,1000000,100,P,0,0\n");
            var minute = Path.Combine(Directory.CreateDirectory(dir.File(Path.Combine("equity", "usa", "minute", "xyz"))).FullName, "20131008_trade.zip");
            WriteZip(minute, "20131008_xyz_minute_trade.csv", "0,1000000,1000000,1000000,1000000,100\n");
            var error = await Assert.ThrowsAsync<ArgumentException>(() => Importers.ImportAsync(temp.Store, dir.Path));
            Assert.Equal($"{dir.Path}: holds LEAN data flow does not ingest yet (equity/usa/minute: 1 zip); flow ingests LEAN US-equity ticks (equity/usa/tick) and LEAN forex and crypto data (forex/<market>, crypto/<market>: quote ticks, trade and quote bars): point it at one of those folders", error.Message);
            Assert.Equal(0, await temp.CountAsync("SELECT count() FROM trades"));
            Assert.Equal(0, await temp.CountAsync("SELECT count() FROM quotes"));
            // The equity tick folder on its own loads.
            var reports = await Importers.ImportAsync(temp.Store, dir.File(Path.Combine("equity", "usa", "tick")));
            Assert.Equal(1, Assert.Single(reports).Accepted);
        }
        // A real LEAN futures minute file (five contracts in one zip) is refused by name, not crashed on.
        var es = Path.Combine(SharedPaths.Data, "lean", "Data", "future", "cme", "minute", "es", "20131006_quote.zip");
        Assert.Contains("future/cme/minute: 1 zip", (await Assert.ThrowsAsync<ArgumentException>(() => Importers.ImportAsync(temp.Store, es))).Message);
    }

    [Fact]
    public async Task The_sp500_layout_loads_bars_and_corporate_actions_and_quarantines_an_error_file()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory("flow-sp-");
        {
            const string header = "timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient\n";
            File.WriteAllText(dir.File("DA-AAA-T-2021-04-21.csv"), header +
                "2021-04-19,10,11,9,10.5,10.5,1000,0.0,1.0\n2021-04-20,10.5,12,10,11,11,2000,0.25,1.0\n2021-04-21,5.5,6,5,5.8,5.8,4000,0.0,2.0\n");
            File.WriteAllText(dir.File("DA-BAD-T-2021-04-21.csv"), "{\n    \"Error Message\": \"Invalid API call.\"\n}\n");
            File.WriteAllText(dir.File("constituents.csv"), "Symbol,Name,Sector\nAAA,\"Triple A, Inc.\",Industrials\n");

            var report = (await SnP500DailyImporter.ImportAsync(temp.Store, dir.Path)).Single();
            Assert.Equal((5, 3, 2), (report.RowsIn, report.Accepted, report.Rejected));
            Assert.Equal(new Dictionary<string, long> { [RejectReasons.Unparseable] = 2 }, report.RejectsByReason);
            Assert.Equal("AAA\t2021-04-21T00:00:00.000000000Z\t5.8\t4000", await temp.TextAsync("SELECT symbol, ts, close, volume FROM bars_1d ORDER BY ts DESC LIMIT 1"));
            Assert.Equal("cash_dividend\t0.25\nsplit\t2", await temp.TextAsync("SELECT kind, value FROM corporate_actions FINAL ORDER BY kind"));
            Assert.Contains("Invalid API call", await temp.TextAsync("SELECT row FROM rejects ORDER BY length(row) DESC LIMIT 1"));
        }
    }

    [Fact]
    public async Task One_extracted_sp500_file_loads_on_its_own()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory("flow-sp-");
        {
            var file = dir.File("DA-HIG-T-2021-04-21.csv");
            File.WriteAllText(file, "timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient\n" +
                "2021-04-20,66,67,65,66.5,66.5,1000,0.0,1.0\n2021-04-21,66.5,68,66,67.9,67.9,2000,0.35,1.0\n");
            Assert.True(SnP500DailyImporter.Accepts(file));
            var report = Assert.Single(await Importers.ImportAsync(temp.Store, file));
            Assert.Equal((2, 2, 0), (report.RowsIn, report.Accepted, report.Rejected));
            Assert.Equal("HIG\t67.9", await temp.TextAsync("SELECT symbol, close FROM bars_1d ORDER BY ts DESC LIMIT 1"));
            // Loading it again adds nothing.
            var again = Assert.Single(await Importers.ImportAsync(temp.Store, file));
            Assert.Equal((true, 0L), (again.AlreadyLoaded, again.Accepted));
            Assert.Equal(2, await temp.CountAsync("SELECT count() FROM bars_1d"));
        }
    }

    [Fact]
    public async Task Contract_csv_accepts_iso_or_nanosecond_times_and_quarantines_unparseable_fields()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory();
        var file = dir.File("trades.csv");
        {
            File.WriteAllText(file,
                "symbol,ts,recv_ts,seq,price,size,venue,conditions\n" +
                "AAPL,2024-01-02T15:00:00.000000001Z,2024-01-02T15:00:00Z,0,185.5,100,XNAS,\n" +
                "AAPL,1704207600000000002,1704207600000000002,0,185.6,50,XNAS,@\n" +
                "AAPL,2024-01-02T15:00:01Z,2024-01-02T15:00:01Z,0,abc,50,XNAS,\n");
            var report = await ContractFileImporter.ImportAsync(temp.Store, file);
            Assert.Equal(MarketDataTable.Trades.Name, report.Table);
            Assert.Equal((3, 2, 1), (report.RowsIn, report.Accepted, report.Rejected));
            Assert.Equal("1704207600000000001\n1704207600000000002", await temp.TextAsync("SELECT toUnixTimestamp64Nano(ts) FROM trades ORDER BY ts"));
            Assert.Contains("\"price\":\"abc\"", await temp.TextAsync("SELECT row FROM rejects"));
            Assert.True((await ContractFileImporter.ImportAsync(temp.Store, file)).AlreadyLoaded);
        }
    }

    [Fact]
    public async Task Own_symbols_are_registered_with_their_asset_classs_defaults_and_then_load()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory();
        var equities = dir.File("equities.csv");
        var crypto = dir.File("crypto.csv");
        {
            File.WriteAllText(equities, "symbol,ts,price,size\nXYZ,2024-01-02T15:00:00Z,10.5,100\nAAPL,2024-01-02T15:00:01Z,185,5\nQQQZ,2024-01-02T15:00:02Z,20,5\n");
            // A Sunday 03:00 UTC print: outside any equity session, inside crypto's.
            File.WriteAllText(crypto, "symbol,ts,price,size\nSOLUSDT,2024-01-07T03:00:00Z,101.5,2\n");
            Assert.Equal(["QQQZ", "XYZ"], await ContractFileImporter.RegisterInstrumentsAsync(temp.Store, equities, AssetClass.Equity));
            Assert.Empty(await ContractFileImporter.RegisterInstrumentsAsync(temp.Store, equities, AssetClass.Equity));
            var report = await ContractFileImporter.ImportAsync(temp.Store, equities);
            Assert.Equal((3, 3, 0), (report.RowsIn, report.Accepted, report.Rejected));
            Assert.Equal("QQQZ\tequity\tXNAS\nXYZ\tequity\tXNAS", await temp.TextAsync("SELECT symbol, asset_class, venue FROM instruments WHERE symbol IN ('XYZ', 'QQQZ') ORDER BY symbol"));

            Assert.Equal(["SOLUSDT"], await ContractFileImporter.RegisterInstrumentsAsync(temp.Store, crypto, AssetClass.Crypto));
            Assert.Equal(1, (await ContractFileImporter.ImportAsync(temp.Store, crypto)).Accepted);

            var error = await Assert.ThrowsAsync<ArgumentException>(() => ContractFileImporter.RegisterInstrumentsAsync(temp.Store, crypto, AssetClass.Option));
            Assert.StartsWith("no instrument defaults for asset class option", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_csv_without_the_required_columns_is_refused_with_their_names()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory();
        var file = dir.File("bad.csv");
        {
            File.WriteAllText(file, "symbol,ts,price\nAAPL,2024-01-02T15:00:00Z,1\n");
            var error = await Assert.ThrowsAsync<ArgumentException>(() => ContractFileImporter.ImportAsync(temp.Store, file, new ImportOptions(MarketDataTable.Trades)));
            Assert.Equal("the file lacks required trades columns: size", error.Message);
        }
    }

    [Fact]
    public async Task A_trades_csv_with_the_natural_columns_loads_with_its_optional_columns_defaulted()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory();
        var file = dir.File("my-prints.csv");
        {
            // Two prints in the same nanosecond keep both (seq is the row's position), and a bad price is quarantined.
            File.WriteAllText(file, "symbol,ts,price,size\n" +
                "AAPL,2024-01-02T15:00:00Z,185.5,100\n" +
                "AAPL,2024-01-02T15:00:00Z,185.6,50\n" +
                "AAPL,2024-01-02T15:00:01Z,-1,50\n" +
                "AAPL,2024-01-02T15:00:02Z,abc,10\n");
            var report = await ContractFileImporter.ImportAsync(temp.Store, file);
            Assert.Equal(MarketDataTable.Trades.Name, report.Table);
            Assert.Equal(report.RowsIn, report.Accepted + report.Rejected + report.Duplicates);
            Assert.Equal((4, 2, 2), (report.RowsIn, report.Accepted, report.Rejected));
            Assert.Equal("1704207600000000000\t1704207600000000000\t0\t185.5\t1\n1704207600000000000\t1704207600000000000\t1\t185.6\t1",
                await temp.TextAsync("SELECT toUnixTimestamp64Nano(ts), toUnixTimestamp64Nano(recv_ts), seq, price, venue = '' AND conditions = '' FROM trades ORDER BY seq"));
            Assert.True((await ContractFileImporter.ImportAsync(temp.Store, file)).AlreadyLoaded);
        }
    }

    [Fact]
    public async Task Text_prices_are_read_to_the_nearest_double()
    {
        // The engine's default fast float parser misreads about 5.6 % of such prices by one ulp ('1.9542' → 1.9542000000000002);
        // .NET's parser is correctly rounded, so it is the reference. Tolerance: none, the doubles must be equal.
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory();
        var file = dir.File("prices.csv");
        var prices = Enumerable.Range(0, 10_000).Select(i => (1 + i / 10_000m).ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        File.WriteAllText(file, "symbol,ts,price,size\n" + string.Concat(prices.Select((p, i) => $"AAPL,{1704207600000000000L + i * 1_000_000L},{p},1\n")));
        Assert.Equal(10_000, (await ContractFileImporter.ImportAsync(temp.Store, file)).Accepted);
        using var result = await temp.Store.QueryArrowAsync("SELECT price FROM trades ORDER BY ts");
        var stored = result.Batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => ((Apache.Arrow.DoubleArray)b.Column(0)).GetValue(i)!.Value)).ToList();
        var off = prices.Where((p, i) => stored[i] != double.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(off.Count == 0, $"{off.Count} prices misread, e.g. {string.Join(", ", off.Take(3))}");
    }

    [Fact]
    public async Task Parquet_written_by_the_engine_reimports_as_duplicates()
    {
        using var temp = await TempStore.CreateAsync();
        await EventTables.Quotes.AppendAsync(temp.Store, ContractSamples.Quotes);
        using var dir = new TempDirectory();
        var file = dir.File("quotes.parquet");
        {
            await File.WriteAllBytesAsync(file, await temp.Store.QueryFormattedAsync("SELECT symbol, ts, recv_ts, seq, bid, bid_size, ask, ask_size, venue, conditions FROM quotes", "Parquet"));
            var report = await ContractFileImporter.ImportAsync(temp.Store, file, new ImportOptions(MarketDataTable.Quotes));
            Assert.Equal((3, 0, 3), (report.RowsIn, report.Accepted, report.Duplicates));
        }
    }

    [Fact]
    public async Task Missingness_reports_session_coverage_gaps_and_missing_daily_bars()
    {
        using var temp = await TempStore.CreateAsync();
        var t0 = ContractSamples.T0;
        var trades = new[] { 0L, 60, 660 }.Select((s, i) => new Contracts.Events.Trade("AAPL", t0 + s * 1_000_000_000, t0, i, 10, 1, "X", "")).ToArray();
        await new IngestPipeline(temp.Store).IngestAsync(MarketDataTable.Trades, new ArrowIngestSource("t", Contracts.Events.Trade.Arrow.Schema, [Contracts.Events.Trade.Arrow.Encode(trades)]));
        // 3 events in 3 distinct minutes of a 16-hour session; longest silence 600 s.
        Assert.Equal("AAPL\t2024-01-02\t3\t0\t0.0031\t600", await temp.TextAsync(
            $"SELECT symbol, day, rows, rejected, minute_coverage, longest_gap_s FROM ({MissingnessReport.Sql("trades")})"));

        var day = (int d) => Contracts.Time.Nanos.FromDate(new DateOnly(2024, 1, d));
        var bars = new[] { ("AAPL", 2), ("AAPL", 4), ("BRK.B", 2), ("BRK.B", 3), ("BRK.B", 4) }
            .Select(x => new Contracts.Events.Bar(x.Item1, day(x.Item2), 10, 11, 9, 10, 1, null, 0, null)).ToArray();
        await EventTables.Bars1d.AppendAsync(temp.Store, bars);
        Assert.Equal("AAPL\t2024-01-03", await temp.TextAsync($"SELECT symbol, missing_day FROM ({MissingnessReport.Sql("bars_1d")})"));
    }

    private static List<string> ReadZipLines(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        using var reader = new StreamReader(archive.Entries.Single().Open());
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) if (line.Length > 0) lines.Add(line);
        return lines;
    }

    private static void WriteZip(string path, string entryName, string content)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        using var writer = new StreamWriter(archive.CreateEntry(entryName).Open());
        writer.Write(content);
    }
}
