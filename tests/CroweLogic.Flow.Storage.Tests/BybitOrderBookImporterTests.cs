using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>Bybit's published ob500 history: every level of every message accounted for, and the book it rebuilds equal to a replay of the JSON.</summary>
public class BybitOrderBookImporterTests
{
    private static readonly string Zip = Path.Combine(SharedPaths.Data, "crypto-samples", "bybit", "xrpusdt-ob500.data.zip");

    // Decimals as the engine prints a Float64: no trailing zeros.
    private const string Plain = "0.##########";

    private static List<JsonDocument> Messages()
    {
        using var archive = ZipFile.OpenRead(Zip);
        using var reader = new StreamReader(archive.Entries.Single().Open());
        var messages = new List<JsonDocument>();
        while (reader.ReadLine() is { } line) if (line.Length > 0) messages.Add(JsonDocument.Parse(line));
        return messages;
    }

    [Fact]
    public async Task The_xrpusdt_sample_loads_every_level_and_rebuilds_the_book_the_messages_describe()
    {
        using var temp = await TempStore.CreateAsync();
        var messages = Messages();
        var levels = messages.Sum(m => m.RootElement.GetProperty("data").GetProperty("b").GetArrayLength() + m.RootElement.GetProperty("data").GetProperty("a").GetArrayLength());
        Assert.Equal((50, 1), (messages.Count, messages.Count(m => m.RootElement.GetProperty("type").GetString() == "snapshot")));

        Assert.True(BybitOrderBookImporter.Accepts(Zip));
        var report = Assert.Single(await Importers.ImportAsync(temp.Store, Zip));
        Assert.Equal("book_deltas", report.Table);
        Assert.Equal((levels, levels, 0L, 0L), (report.RowsIn, report.Accepted, report.Rejected, report.Duplicates));
        Assert.Equal("XRPUSDT.BYBIT\tcrypto\tBYBIT\t24/7", await temp.TextAsync("SELECT symbol, asset_class, venue, calendar FROM instruments FINAL WHERE venue = 'BYBIT'"));
        Assert.Equal("1000\tsnapshot", await temp.TextAsync("SELECT count(), any(action) FROM book_deltas WHERE action = 'snapshot'"));

        // The replay, here from the JSON: the snapshot's levels, then each delta's sizes, "0" removing the level.
        var book = new Dictionary<(string Side, decimal Price), decimal>();
        foreach (var message in messages)
        {
            foreach (var (key, side) in new[] { ("b", "bid"), ("a", "ask") })
                foreach (var level in message.RootElement.GetProperty("data").GetProperty(key).EnumerateArray())
                {
                    var price = decimal.Parse(level[0].GetString()!, CultureInfo.InvariantCulture);
                    var size = decimal.Parse(level[1].GetString()!, CultureInfo.InvariantCulture);
                    if (size == 0) book.Remove((side, price));
                    else book[(side, price)] = size;
                }
        }
        var expected = string.Join("\n", book.OrderBy(l => l.Key.Side, StringComparer.Ordinal).ThenBy(l => l.Key.Price)
            .Select(l => $"{l.Key.Side}\t{l.Key.Price.ToString(Plain, CultureInfo.InvariantCulture)}\t{l.Value.ToString(Plain, CultureInfo.InvariantCulture)}"));
        // The store's book: each level's last row by update id, kept when its size is not zero.
        Assert.Equal(expected, await temp.TextAsync(
            "SELECT side, toString(price), toString(argMax(size, seq)) FROM book_deltas GROUP BY side, price HAVING argMax(size, seq) > 0 ORDER BY side, price"));
        var last = messages[^1].RootElement;
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{last.GetProperty("data").GetProperty("u").GetInt64()}\t{DateTimeOffset.FromUnixTimeMilliseconds(last.GetProperty("cts").GetInt64()):yyyy-MM-ddTHH:mm:ss.fff}000000Z"),
            await temp.TextAsync("SELECT max(seq), max(ts) FROM book_deltas"));

        Assert.True(Assert.Single(await Importers.ImportAsync(temp.Store, Zip)).AlreadyLoaded);
    }

    [Fact]
    public async Task A_line_that_is_not_a_message_is_quarantined_as_its_text_and_the_rest_loads()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory();
        var file = dir.File("2024-12-01_XRPUSDT_ob500.data");
        File.WriteAllText(file,
            "{\"topic\":\"orderbook.500.XRPUSDT\",\"type\":\"snapshot\",\"ts\":1733011200691,\"data\":{\"s\":\"XRPUSDT\",\"b\":[[\"1.9531\",\"6203\"]],\"a\":[[\"1.9535\",\"100\"]],\"u\":1,\"seq\":7},\"cts\":1733011200589}\n" +
            "{\"topic\":\"orderbook.500.XRPUSDT\",\"type\":\"delta\",\"ts\":1733011200693,\"data\":{\"s\":\"XRPUSDT\",\"b\":[[\"1.9531\",\"0\"]],\"a\":[[\"1.9535\",\"abc\"]],\"u\":2,\"seq\":8},\"cts\":1733011200691}\n" +
            "{\"topic\":\"orderbook.500.XRPUSDT\",\"type\":\"delta\",\"ts\":17330112\n");
        var report = Assert.Single(await Importers.ImportAsync(temp.Store, file));
        Assert.Equal((5L, 3L, 2L), (report.RowsIn, report.Accepted, report.Rejected));
        Assert.Equal("ask\tsnapshot\t100\nbid\tsnapshot\t6203\nbid\tdelete\t0", await temp.TextAsync("SELECT side, action, size FROM book_deltas ORDER BY side, seq"));
        Assert.Equal("unparseable_value\t1\nunparseable_value\t1", await temp.TextAsync("SELECT reason, count() FROM rejects GROUP BY reason, row ORDER BY row"));
        Assert.Contains("17330112", await temp.TextAsync("SELECT row FROM rejects ORDER BY row DESC LIMIT 1"));
    }
}
