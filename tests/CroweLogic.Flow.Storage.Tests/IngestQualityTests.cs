using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Storage.Ingest;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>Each bad-input class is quarantined with its reason; nothing is dropped silently.</summary>
public class IngestQualityTests
{
    private static readonly long T0 = ContractSamples.T0;
    private static readonly long Saturday = Nanos.FromDateTime(new DateTime(2024, 1, 6, 15, 0, 0, DateTimeKind.Utc));
    private static readonly long Night = Nanos.FromDateTime(new DateTime(2024, 1, 3, 2, 0, 0, DateTimeKind.Utc)); // 21:00 New York

    public static TheoryData<string, Trade> BadTrades => new()
    {
        { RejectReasons.NonFinite, new Trade("AAPL", T0, T0, 0, double.NaN, 100, "X", "") },
        { RejectReasons.NonFinite, new Trade("AAPL", T0, T0, 0, 10, double.PositiveInfinity, "X", "") },
        { RejectReasons.NonPositivePrice, new Trade("AAPL", T0, T0, 0, 0, 100, "X", "") },
        { RejectReasons.NonPositivePrice, new Trade("AAPL", T0, T0, 0, -5, 100, "X", "") },
        { RejectReasons.NonPositiveSize, new Trade("AAPL", T0, T0, 0, 10, 0, "X", "") },
        { RejectReasons.NonPositiveSize, new Trade("AAPL", T0, T0, 0, 10, -3, "X", "") },
        { RejectReasons.UnknownInstrument, new Trade("NOPE", T0, T0, 0, 10, 1, "X", "") },
        { RejectReasons.OutsideSession, new Trade("AAPL", Night, Night, 0, 10, 1, "X", "") },
        { RejectReasons.OutsideSession, new Trade("AAPL", Saturday, Saturday, 0, 10, 1, "X", "") },
        { RejectReasons.TimestampOutOfRange, new Trade("AAPL", Nanos.FromDateTime(DateTime.UtcNow.AddDays(3)), T0, 0, 10, 1, "X", "") },
        { RejectReasons.TimestampOutOfRange, new Trade("BTCUSDT", 5, 5, 0, 10, 1, "X", "") },
    };

    [Theory]
    [MemberData(nameof(BadTrades))]
    public async Task A_bad_trade_is_quarantined_with_its_reason(string reason, Trade bad)
    {
        using var temp = await TempStore.CreateAsync();
        var good = new Trade("AAPL", T0, T0, 7, 185, 100, "X", "");
        var report = await Ingest(temp, MarketDataTable.Trades, Trade.Arrow.Encode([good, bad]));

        Assert.Equal((2, 1, 1, 0), (report.RowsIn, report.Accepted, report.Rejected, report.Duplicates));
        Assert.Equal(new Dictionary<string, long> { [reason] = 1 }, report.RejectsByReason);
        Assert.Equal(1, await temp.CountAsync("SELECT count() FROM trades"));
        Assert.Equal($"{reason}\t{bad.Symbol}\t{report.BatchId}", await temp.TextAsync("SELECT reason, symbol, batch_id FROM rejects"));
        Assert.Contains($"\"symbol\":\"{bad.Symbol}\"", await temp.TextAsync("SELECT row FROM rejects"));
    }

    public static TheoryData<string, Quote> BadQuotes => new()
    {
        { RejectReasons.CrossedQuote, new Quote("AAPL", T0, T0, 0, 10.02, 100, 10.01, 100, "X", "") },
        { RejectReasons.EmptyQuote, new Quote("AAPL", T0, T0, 0, null, null, null, null, "X", "") },
        { RejectReasons.IncompleteSide, new Quote("AAPL", T0, T0, 0, null, 100, 10.01, 100, "X", "") },
        { RejectReasons.NonPositivePrice, new Quote("AAPL", T0, T0, 0, -1, 100, 10.01, 100, "X", "") },
        { RejectReasons.NonPositiveSize, new Quote("AAPL", T0, T0, 0, 10, 0, 10.01, 100, "X", "") },
        { RejectReasons.NonFinite, new Quote("AAPL", T0, T0, 0, double.NaN, 100, 10.01, 100, "X", "") },
    };

    [Theory]
    [MemberData(nameof(BadQuotes))]
    public async Task A_bad_quote_is_quarantined_with_its_reason(string reason, Quote bad)
    {
        using var temp = await TempStore.CreateAsync();
        var locked = new Quote("AAPL", T0, T0, 9, 10.01, 100, 10.01, 100, "X", ""); // bid = ask is locked, not crossed
        var report = await Ingest(temp, MarketDataTable.Quotes, Quote.Arrow.Encode([locked, bad]));
        Assert.Equal((2, 1, 1), (report.RowsIn, report.Accepted, report.Rejected));
        Assert.Equal(reason, await temp.TextAsync("SELECT reason FROM rejects"));
    }

    public static TheoryData<string, Bar> BadBars => new()
    {
        { RejectReasons.InconsistentOhlc, new Bar("AAPL", Day(2), 10, 9, 8, 9.5, 100, null, 0, null) },
        { RejectReasons.InconsistentOhlc, new Bar("AAPL", Day(2), 10, 11, 10.5, 10.2, 100, null, 0, null) },
        { RejectReasons.NegativeVolume, new Bar("AAPL", Day(2), 10, 11, 9, 10, -1, null, 0, null) },
        { RejectReasons.NonPositivePrice, new Bar("AAPL", Day(2), 10, 11, 9, 10, 1, null, 0, 0) },
        { RejectReasons.NonFinite, new Bar("AAPL", Day(2), 10, 11, 9, 10, 1, double.NaN, 0, null) },
        { RejectReasons.OutsideSession, new Bar("AAPL", Day(6), 10, 11, 9, 10, 1, null, 0, null) },
    };

    [Theory]
    [MemberData(nameof(BadBars))]
    public async Task A_bad_daily_bar_is_quarantined_with_its_reason(string reason, Bar bad)
    {
        using var temp = await TempStore.CreateAsync();
        var good = new Bar("AAPL", Day(3), 10, 11, 9, 10.5, 1_000, 10.2, 12, 10.4);
        var report = await Ingest(temp, MarketDataTable.Bars1d, Bar.Arrow.Encode([good, bad]));
        Assert.Equal((2, 1, 1), (report.RowsIn, report.Accepted, report.Rejected));
        Assert.Equal(reason, await temp.TextAsync("SELECT reason FROM rejects"));
    }

    [Fact]
    public async Task Reloading_the_same_batch_adds_nothing_and_overlaps_count_as_duplicates()
    {
        using var temp = await TempStore.CreateAsync();
        var trades = Enumerable.Range(0, 1_000).Select(i => new Trade("AAPL", T0 + i * 1_000_000L, T0, 0, 185 + i * 0.01, 100, "X", "")).ToArray();
        var bad = new Trade("AAPL", T0, T0, 99, -1, 100, "X", "");

        var first = await Ingest(temp, MarketDataTable.Trades, Trade.Arrow.Encode([.. trades, bad]));
        Assert.Equal((1_001, 1_000, 1), (first.RowsIn, first.Accepted, first.Rejected));

        var again = await Ingest(temp, MarketDataTable.Trades, Trade.Arrow.Encode([.. trades, bad]));
        Assert.True(again.AlreadyLoaded);
        Assert.Equal(first.Checksum, again.Checksum);

        // Half old, half new, and one row repeated inside the batch.
        var next = trades[500..].Concat(Enumerable.Range(1_000, 500).Select(i => new Trade("AAPL", T0 + i * 1_000_000L, T0, 0, 190, 100, "X", ""))).Append(trades[999]).ToArray();
        var overlap = await Ingest(temp, MarketDataTable.Trades, Trade.Arrow.Encode(next));
        Assert.Equal((1_001, 500, 0, 501), (overlap.RowsIn, overlap.Accepted, overlap.Rejected, overlap.Duplicates));

        Assert.Equal(1_500, await temp.CountAsync("SELECT count() FROM trades"));
        Assert.Equal(1, await temp.CountAsync("SELECT count() FROM rejects"));
        // The skipped reload wrote no batch record either.
        Assert.Equal("2\t2002\t1500\t1\t501", await temp.TextAsync("SELECT count(), sum(rows_in), sum(accepted), sum(rejected), sum(duplicates) FROM ingest_batches"));
    }

    [Fact]
    public async Task An_empty_batch_stores_nothing_and_is_still_accounted()
    {
        using var temp = await TempStore.CreateAsync();
        var report = await Ingest(temp, MarketDataTable.Trades, Trade.Arrow.Encode([]));
        Assert.Equal((0, 0, 0, 0, false), (report.RowsIn, report.Accepted, report.Rejected, report.Duplicates, report.AlreadyLoaded));
        Assert.Equal("0\t0", await temp.TextAsync("SELECT rows_in, accepted FROM ingest_batches"));
    }

    [Fact]
    public async Task Duplicates_inside_one_batch_are_stored_once()
    {
        using var temp = await TempStore.CreateAsync();
        var trade = new Trade("AAPL", T0, T0, 3, 185, 100, "X", "");
        var report = await Ingest(temp, MarketDataTable.Trades, Trade.Arrow.Encode([trade, trade, trade with { Sequence = 4 }]));
        Assert.Equal((3, 2, 1), (report.RowsIn, report.Accepted, report.Duplicates));
    }

    [Fact]
    public async Task Late_and_out_of_order_rows_are_accepted_and_read_in_key_order()
    {
        using var temp = await TempStore.CreateAsync();
        var minute = Nanos.PerMinute;
        await Ingest(temp, MarketDataTable.Trades, Trade.Arrow.Encode([new Trade("AAPL", T0 + 10 * minute, T0, 0, 3, 1, "X", ""), new Trade("AAPL", T0 + 5 * minute, T0, 0, 2, 1, "X", "")]));
        var late = await Ingest(temp, MarketDataTable.Trades, Trade.Arrow.Encode([new Trade("AAPL", T0, T0 + 20 * minute, 0, 1, 1, "X", "")]));
        Assert.Equal(1, late.Accepted);
        var ordered = await EventTables.Trades.ReadAsync(temp.Store, orderBy: "symbol, ts, seq");
        Assert.Equal([1.0, 2.0, 3.0], ordered.Select(t => t.Price));
    }

    [Fact]
    public async Task Two_concurrent_writers_with_overlapping_rows_store_each_row_once()
    {
        using var temp = await TempStore.CreateAsync();
        Trade Make(int i) => new("AAPL", T0 + i * 1_000L, T0, i % 3, 100 + i % 50, 1 + i % 7, "X", "");
        var a = Enumerable.Range(0, 60_000).Select(Make).ToArray();
        var b = Enumerable.Range(30_000, 60_000).Select(Make).ToArray();
        var pipeline = new IngestPipeline(temp.Store);
        var reports = await Task.WhenAll(
            Task.Run(() => pipeline.IngestAsync(MarketDataTable.Trades, new ArrowIngestSource("writer-a", Trade.Arrow.Schema, [.. Trade.Arrow.EncodeChunks(a, 10_000)]))),
            Task.Run(() => pipeline.IngestAsync(MarketDataTable.Trades, new ArrowIngestSource("writer-b", Trade.Arrow.Schema, [.. Trade.Arrow.EncodeChunks(b, 10_000)]))));

        Assert.Equal(90_000, await temp.CountAsync("SELECT count() FROM trades"));
        Assert.Equal(90_000, await temp.CountAsync("SELECT uniqExact(symbol, ts, seq) FROM trades"));
        Assert.Equal(90_000, reports.Sum(r => r.Accepted));
        Assert.Equal(30_000, reports.Sum(r => r.Duplicates));
    }

    [Fact]
    public async Task A_rejected_row_lists_every_reason_it_has_and_the_first_counts_it()
    {
        using var temp = await TempStore.CreateAsync();
        var report = await Ingest(temp, MarketDataTable.Trades, Trade.Arrow.Encode([
            new Trade("NOPE", T0, T0, 0, -5, 0, "X", ""),           // no instrument, and its values are bad too
            new Trade("AAPL", Saturday, Saturday, 0, double.NaN, 1, "X", ""),
            new Trade("AAPL", T0, T0, 1, 185, 100, "X", "")]));
        Assert.Equal((3, 1, 2), (report.RowsIn, report.Accepted, report.Rejected));
        Assert.Equal(new Dictionary<string, long> { [RejectReasons.UnknownInstrument] = 1, [RejectReasons.NonFinite] = 1 }, report.RejectsByReason);
        Assert.Equal("AAPL\tnon_finite_value\t['non_finite_value','outside_session']\nNOPE\tunknown_instrument\t['unknown_instrument','non_positive_price','non_positive_size']",
            await temp.TextAsync("SELECT symbol, reason, reasons FROM rejects ORDER BY symbol"));
    }

    [Fact]
    public async Task A_file_refused_for_reference_data_is_checked_again_once_the_instruments_change_and_only_then()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory();
        var csv = dir.File("newco.csv");
        File.WriteAllText(csv, "symbol,ts,price,size\nNEWCO,2024-01-02T15:00:00Z,10,1\nNEWCO,2024-01-02T15:00:01Z,-1,1\nNEWCO,2024-01-02T15:00:02Z,11,1\n");

        var first = await Import.ContractFileImporter.ImportAsync(temp.Store, csv);
        Assert.Equal((3, 0, 3), (first.RowsIn, first.Accepted, first.Rejected));
        Assert.True((await Import.ContractFileImporter.ImportAsync(temp.Store, csv)).AlreadyLoaded, "nothing changed: the same file is skipped");

        await Import.InstrumentRegistry.EnsureAsync(temp.Store, [Instrument.UsEquity("NEWCO")]);
        var again = await Import.ContractFileImporter.ImportAsync(temp.Store, csv);
        Assert.False(again.AlreadyLoaded);
        Assert.Equal((3, 2, 1, 0), (again.RowsIn, again.Accepted, again.Rejected, again.Duplicates));
        Assert.Equal(new Dictionary<string, long> { [RejectReasons.NonPositivePrice] = 1 }, again.RejectsByReason);
        // Its remaining reject is the row's own fault: no change of reference data can let it in, so the file is done.
        Assert.True((await Import.ContractFileImporter.ImportAsync(temp.Store, csv)).AlreadyLoaded);
        await Import.InstrumentRegistry.EnsureAsync(temp.Store, [Instrument.UsEquity("OTHER")]);
        Assert.True((await Import.ContractFileImporter.ImportAsync(temp.Store, csv)).AlreadyLoaded);
        Assert.Equal(2, await temp.CountAsync("SELECT count() FROM trades WHERE symbol = 'NEWCO'"));
    }

    private static long Day(int januaryDay) => Nanos.FromDate(new DateOnly(2024, 1, januaryDay));

    private static Task<IngestReport> Ingest(TempStore temp, MarketDataTable table, Apache.Arrow.RecordBatch batch) =>
        new IngestPipeline(temp.Store).IngestAsync(table, new ArrowIngestSource("test", batch.Schema, [batch]));
}
