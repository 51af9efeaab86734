namespace CroweLogic.Flow.Cli.Tests;

/// <summary><c>flow instruments</c> and <c>flow calendars</c>: reference data a user brings, checked before it is stored.</summary>
public class InstrumentsAndCalendarsCliTests
{
    [Fact]
    public async Task An_instruments_file_is_stored_whole_and_its_trades_are_checked_against_each_calendar()
    {
        using var flow = new FlowProcess();
        var dir = Path.Combine(flow.DataDir, "..", $"flow-instruments-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var bad = Path.Combine(dir, "bad.csv");
            await File.WriteAllTextAsync(bad, "symbol,asset_class,tick_size,calendar\nAAPL,equity,0.01,XNAS\nVOD,equity,0.5,XLON\n,crypto,,\nES,future,-0.25,\nAAPL,equity,0.01,XNYS\n");
            var refused = await flow.RunAsync("instruments", "import", bad);
            Assert.Equal(2, refused.Exit);
            Assert.Contains("bad.csv: nothing stored, 4 bad rows", refused.Err);
            Assert.Contains("line 3: unknown calendar 'XLON'", refused.Err);
            Assert.Contains("line 4: the symbol is empty", refused.Err);
            Assert.Contains("line 5: tick_size must be a positive number, not -0.25", refused.Err);
            Assert.Contains("line 6: AAPL is also defined on line 2", refused.Err);
            Assert.Equal("0\n", (await flow.RunAsync("sql", "SELECT count() FROM instruments", "--format", "tsv")).Out);

            var good = Path.Combine(dir, "instruments.csv");
            await File.WriteAllTextAsync(good, "symbol,asset_class,venue,tick_size,multiplier,name\nAAPL,equity,XNAS,0.01,1,Apple\nEURUSD,forex,OANDA,0.00001,1,\nBTCUSD,crypto,COINBASE,0.01,1,\nES,future,XCME,0.25,50,E-mini S&P 500\n");
            var imported = await flow.RunAsync("instruments", "import", good);
            Assert.True(imported.Exit == 0, imported.Err);
            Assert.Contains("instruments.csv: 4 instruments, 4 added, 0 replaced (1 on 24/7, 1 on CME_GLOBEX, 1 on FX, 1 on XNAS)", imported.Out);

            var list = await flow.RunAsync("instruments", "list", "--format", "tsv");
            Assert.Contains("ES\tfuture\tXCME\tUSD\t0.25\t1\t50\tCME_GLOBEX\tE-mini S&P 500", list.Out);

            var replaced = await flow.RunAsync("instruments", "add", "AAPL", "--calendar", "XNYS", "--sector", "Information Technology");
            Assert.True(replaced.Exit == 0, replaced.Err);
            Assert.StartsWith("replaced AAPL: equity, XNAS, USD, tick 0.01, lot 100, multiplier 1, calendar XNYS", replaced.Out);
            var custom = await flow.RunAsync("instruments", "add", "OWN", "--hours", "10:00-11:00");
            Assert.Equal(2, custom.Exit);
            Assert.Contains("--hours, --time-zone and --weekends define a custom calendar; OWN is on XNAS (add --calendar custom)", custom.Err);
            Assert.Equal(0, (await flow.RunAsync("instruments", "add", "OWN", "--calendar", "custom", "--hours", "10:00-11:00", "--time-zone", "Europe/London")).Exit);

            // One file, one row per instrument: AAPL on Good Friday, EURUSD on a Saturday, BTCUSD on Christmas, ES in its
            // daily pause, OWN inside its hour.
            var trades = Path.Combine(dir, "trades.csv");
            await File.WriteAllTextAsync(trades, "symbol,ts,price,size\nAAPL,2024-03-29T15:00:00Z,170,1\nEURUSD,2024-03-30T12:00:00Z,1.08,1000\nBTCUSD,2024-12-25T12:00:00Z,98000,0.1\n" +
                "ES,2024-03-27T21:30:00Z,5250,1\nES,2024-03-27T23:30:00Z,5250,1\nOWN,2024-03-27T10:30:00Z,5,1\n");
            var ingest = await flow.RunAsync("ingest", trades);
            Assert.True(ingest.Exit == 0, ingest.Err);
            Assert.Equal("AAPL\tmarket_holiday\nES\toutside_session\nEURUSD\toutside_session\n", (await flow.RunAsync("sql", "SELECT symbol, reason FROM rejects ORDER BY symbol", "--format", "tsv")).Out);
            Assert.Equal("BTCUSD\nES\nOWN\n", (await flow.RunAsync("sql", "SELECT symbol FROM trades ORDER BY symbol", "--format", "tsv")).Out);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Calendars_show_a_years_holidays_and_early_closes()
    {
        using var flow = new FlowProcess();
        var listed = await flow.RunAsync("calendars", "list");
        Assert.Contains("CME_GLOBEX", listed.Out);
        var shown = await flow.RunAsync("calendars", "show", "XNYS", "--year", "2025", "--format", "tsv");
        Assert.True(shown.Exit == 0, shown.Err);
        Assert.Contains("2025-01-09\tholiday\tclosed\tclosed\tclosed\tclosed\tDay of mourning for Jimmy Carter", shown.Out);
        Assert.Contains("2025-07-03\tsession\tThu 04:00\t09:30\t13:00\t17:00\tIndependence Day eve", shown.Out);
        Assert.Contains("XNYS 2025: 250 sessions, times in America/New_York", shown.Out);
        var outside = await flow.RunAsync("calendars", "show", "XNYS", "--year", "1990");
        Assert.Equal(2, outside.Exit);
        Assert.Contains("XNYS is defined for 1998-2030, not 1990", outside.Err);
    }
}
