using System.IO.Compression;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Ingest;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>LEAN's forex ticks and crypto trade bars from ../shared/data, with every row accounted for against the FX and 24/7 calendars.</summary>
public class LeanCryptoForexImporterTests
{
    private static string Lean(params string[] parts) => Path.Combine([SharedPaths.Data, "lean", "Data", .. parts]);

    // The file's rows, read here independently of the engine: (milliseconds or date text, fields).
    private static List<string[]> Rows(string zip)
    {
        using var archive = ZipFile.OpenRead(zip);
        using var reader = new StreamReader(archive.Entries.Single().Open());
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line) if (line.Length > 0) rows.Add(line.Split(','));
        return rows;
    }

    // A CSV number as ClickHouse prints it (shortest round trip).
    private static string N(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Oanda_ticks_load_whole_and_fxcms_sunday_ticks_before_the_fx_open_are_quarantined()
    {
        using var temp = await TempStore.CreateAsync();
        var monday = Lean("forex", "oanda", "tick", "eurusd", "20140505_quote.zip");
        var sunday = Lean("forex", "fxcm", "tick", "eurusd", "20140511_quote.zip");
        var reports = (await Importers.ImportAsync(temp.Store, monday)).Concat(await Importers.ImportAsync(temp.Store, sunday)).ToList();

        var oanda = reports[0];
        Assert.Equal(Rows(monday).Count, oanda.RowsIn);
        Assert.Equal((oanda.RowsIn, 0L), (oanda.Accepted + oanda.Duplicates, oanda.Rejected));
        Assert.Equal(0, oanda.Duplicates);

        // FX opens Sunday 17:00 New York = 21:00 UTC in May (EDT). FXCM's file also holds crossed quotes (bid above
        // ask), which the value checks name first.
        static double D(string v) => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
        var fxcmRows = Rows(sunday);
        var crossed = fxcmRows.Count(r => D(r[1]) > D(r[2]));
        var early = fxcmRows.Count(r => D(r[0]) < 21 * 3_600_000.0 && D(r[1]) <= D(r[2]));
        var fxcm = reports[1];
        Assert.True(early > 0 && crossed > 0, "the FXCM Sunday file starts before the FX open and has crossed quotes");
        Assert.Equal((fxcmRows.Count, fxcmRows.Count - early - crossed, early + crossed), (fxcm.RowsIn, fxcm.Accepted, fxcm.Rejected));
        Assert.Equal(new Dictionary<string, long> { [RejectReasons.CrossedQuote] = crossed, [RejectReasons.OutsideSession] = early }, fxcm.RejectsByReason);

        Assert.Equal("EURUSD.FXCM\tFXCM\tFX\nEURUSD.OANDA\tOANDA\tFX", await temp.TextAsync("SELECT symbol, venue, calendar FROM instruments FINAL WHERE asset_class = 'forex' ORDER BY symbol"));
        var first = Rows(monday)[0];
        Assert.Equal($"2014-05-05 00:00:{int.Parse(first[0], System.Globalization.CultureInfo.InvariantCulture) / 1000:00}\t{N(first[1])}\t{N(first[2])}\t1\t1",
            await temp.TextAsync("SELECT formatDateTime(ts, '%Y-%m-%d %H:%i:%S'), bid, ask, isNull(bid_size), isNull(ask_size) FROM quotes WHERE symbol = 'EURUSD.OANDA' ORDER BY ts, seq LIMIT 1"));
    }

    [Fact]
    public async Task Coinbase_minute_and_daily_trade_bars_load_whole_on_the_24_7_calendar()
    {
        using var temp = await TempStore.CreateAsync();
        var minutes = Lean("crypto", "coinbase", "minute", "btcusd");
        var daily = Lean("crypto", "coinbase", "daily", "btcusd_trade.zip");
        // The folder also holds quote bars (refused, see below), so the trade files are named, as a shell glob would.
        var minuteFiles = Directory.GetFiles(minutes, "*_trade.zip").Order(StringComparer.Ordinal).ToArray();
        var reports = new List<IngestReport>();
        foreach (var file in minuteFiles.Append(daily)) reports.AddRange(await Importers.ImportAsync(temp.Store, file));

        Assert.Equal(minuteFiles.Length + 1, reports.Count);
        Assert.Equal(minuteFiles.Sum(f => Rows(f).Count) + Rows(daily).Count, reports.Sum(r => r.RowsIn));
        Assert.All(reports, r => Assert.Equal((r.RowsIn, 0L, 0L), (r.Accepted, r.Rejected, r.Duplicates)));
        // 2017-12-17 is a Sunday: crypto trades through the weekend.
        Assert.Equal(Rows(Path.Combine(minutes, "20171217_trade.zip")).Count, await temp.CountAsync("SELECT count() FROM bars_1m WHERE symbol = 'BTCUSD.COINBASE' AND toDate(ts) = '2017-12-17'"));
        var bar = Rows(Path.Combine(minutes, "20180404_trade.zip"))[0];
        Assert.Equal($"2018-04-04 00:00:00\t{N(bar[1])}\t{N(bar[2])}\t{N(bar[3])}\t{N(bar[4])}\t{N(bar[5])}",
            await temp.TextAsync("SELECT formatDateTime(ts, '%Y-%m-%d %H:%i:%S'), open, high, low, close, volume FROM bars_1m WHERE symbol = 'BTCUSD.COINBASE' AND toDate(ts) = '2018-04-04' ORDER BY ts LIMIT 1"));
        var day = Rows(daily)[0];
        Assert.Equal($"{day[0][..4]}-{day[0][4..6]}-{day[0][6..8]}\t{N(day[4])}", await temp.TextAsync("SELECT toDate(ts), close FROM bars_1d WHERE symbol = 'BTCUSD.COINBASE' ORDER BY ts LIMIT 1"));
        Assert.Equal("BTCUSD.COINBASE\tcrypto\tCOINBASE\tUSD\t24/7", await temp.TextAsync("SELECT symbol, asset_class, venue, currency, calendar FROM instruments FINAL WHERE symbol = 'BTCUSD.COINBASE'"));
    }

    [Fact]
    public async Task The_whole_lean_crypto_folder_loads_with_every_row_accounted_for()
    {
        using var temp = await TempStore.CreateAsync();
        var folder = Lean("crypto");
        var reports = await Importers.ImportAsync(temp.Store, folder);
        var zips = Directory.GetFiles(folder, "*.zip", SearchOption.AllDirectories);
        Assert.Equal(zips.Length, reports.Count);
        Assert.Equal(zips.Sum(z => (long)Rows(z).Count), reports.Sum(r => r.RowsIn));
        Assert.All(reports, r => Assert.Equal((r.RowsIn, 0L, 0L), (r.Accepted, r.Rejected, r.Duplicates)));
        long Lines(string pattern) => zips.Where(z => z.Replace('\\', '/').Contains(pattern, StringComparison.Ordinal)).Sum(z => (long)Rows(z).Count);
        Assert.Equal(Lines("/second/"), await temp.CountAsync("SELECT count() FROM bars_1s"));
        Assert.Equal(zips.Where(z => z.Contains("/minute/", StringComparison.Ordinal) && z.EndsWith("_trade.zip", StringComparison.Ordinal)).Sum(z => (long)Rows(z).Count), await temp.CountAsync("SELECT count() FROM bars_1m"));
        Assert.Equal(zips.Where(z => z.EndsWith("_quote.zip", StringComparison.Ordinal)).Sum(z => (long)Rows(z).Count), await temp.CountAsync("SELECT count() FROM quote_bars"));
        Assert.Equal("60\t86400", await temp.TextAsync("SELECT min(period_s), max(period_s) FROM quote_bars"));
    }

    [Fact]
    public async Task Forex_quote_bars_are_judged_by_the_span_they_cover()
    {
        using var temp = await TempStore.CreateAsync();
        // OANDA's daily bars are dated 00:00 UTC, so a bar dated Sunday holds Sunday evening's trading: every one loads.
        var daily = Lean("forex", "oanda", "daily", "eurusd.zip");
        var oanda = (await Importers.ImportAsync(temp.Store, daily)).Single();
        Assert.Equal((Rows(daily).Count, Rows(daily).Count, 0L), (oanda.RowsIn, oanda.Accepted, oanda.Rejected));
        Assert.True(Rows(daily).Count(r => DateOnly.ParseExact(r[0][..8], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture).DayOfWeek == DayOfWeek.Sunday) > 600);

        // FXCM's hour bars include weekend hours: a bar lying wholly between Friday 17:00 and Sunday 17:00 New York is
        // outside the FX week; a crossed close (bid above ask) is named first.
        var hourly = Lean("forex", "fxcm", "hour", "eurusd.zip");
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        static double D(string v) => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
        bool Closed(DateTime utc)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(utc, ny);
            return local.DayOfWeek == DayOfWeek.Saturday || local.DayOfWeek == DayOfWeek.Friday && local.Hour >= 17 || local.DayOfWeek == DayOfWeek.Sunday && local.Hour < 17;
        }
        var rows = Rows(hourly);
        var crossed = rows.Count(r => D(r[4]) > D(r[9]));
        var outside = rows.Count(r =>
        {
            var start = DateTime.SpecifyKind(DateTime.ParseExact(r[0], "yyyyMMdd HH:mm", System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
            return D(r[4]) <= D(r[9]) && Enumerable.Range(0, 60).All(m => Closed(start.AddMinutes(m)));
        });
        var fxcm = (await Importers.ImportAsync(temp.Store, hourly)).Single();
        Assert.Equal(rows.Count, fxcm.RowsIn);
        Assert.Equal(new Dictionary<string, long> { [RejectReasons.CrossedQuote] = crossed, [RejectReasons.OutsideSession] = outside }, fxcm.RejectsByReason);
        Assert.Equal(rows.Count - crossed - outside, fxcm.Accepted);
        Assert.Equal("3600", await temp.TextAsync("SELECT DISTINCT period_s FROM quote_bars WHERE symbol = 'EURUSD.FXCM'"));
    }
}
