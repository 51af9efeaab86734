using System.Globalization;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>
/// The LOBSTER AAPL sample: the book stored in book_deltas is LOBSTER's 10-level book at every one of its 999 events,
/// and every change it holds is the one its message describes.
/// </summary>
public class LobsterImporterTests
{
    private static readonly string Folder = Path.Combine(SharedPaths.Data, "lobster-aapl-sample");
    private static readonly string Message = Path.Combine(Folder, "AAPL_2012-06-21_34200000_57600000_message_10.csv");
    private static readonly string Orderbook = Path.Combine(Folder, "AAPL_2012-06-21_34200000_57600000_orderbook_10.csv");

    // LOBSTER's book after each event, as (side, price × 10 000) → size, padding levels left out.
    private static List<Dictionary<(string Side, long Price), long>> RecordedBooks() =>
        [.. File.ReadLines(Orderbook).Select(line =>
        {
            var f = line.Split(',').Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            var book = new Dictionary<(string, long), long>();
            for (var i = 0; i < f.Length; i += 4)
            {
                if (f[i + 1] > 0) book[("ask", f[i])] = f[i + 1];
                if (f[i + 3] > 0) book[("bid", f[i + 2])] = f[i + 3];
            }
            return book;
        })];

    [Fact]
    public async Task The_book_replayed_from_book_deltas_is_the_orderbook_file_at_every_event_and_each_change_is_its_messages()
    {
        using var temp = await TempStore.CreateAsync();
        var reports = await Importers.ImportAsync(temp.Store, Folder);
        Assert.Equal(["book_deltas", "trades"], reports.Select(r => r.Table));
        foreach (var report in reports) Assert.Equal((report.RowsIn, 0L, 0L), (report.Accepted, report.Rejected, report.Duplicates));

        var recorded = RecordedBooks();
        var messages = File.ReadLines(Message).Select(l => l.Split(',')).ToList();
        Assert.Equal((999, 999), (recorded.Count, messages.Count));

        // Replay: a run of snapshot rows replaces the book, an upsert sets a level, a delete removes it.
        var rows = await temp.TextAsync("SELECT seq, side, action, toInt64(round(price * 10000)), toInt64(size), toUnixTimestamp64Nano(ts) FROM book_deltas ORDER BY seq, side, price");
        var byEvent = rows.Split('\n').Select(r => r.Split('\t')).GroupBy(r => int.Parse(r[0], CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.ToList());
        var book = new Dictionary<(string Side, long Price), long>();
        var explained = 0;
        for (var k = 0; k < recorded.Count; k++)
        {
            var before = new Dictionary<(string Side, long Price), long>(book);
            var replaced = false;
            foreach (var r in byEvent.GetValueOrDefault(k, []))
            {
                if (r[2] == "snapshot" && !replaced) (book, replaced) = ([], true);
                var key = (r[1], long.Parse(r[3], CultureInfo.InvariantCulture));
                if (r[2] == "delete") book.Remove(key);
                else book[key] = long.Parse(r[4], CultureInfo.InvariantCulture);
                // Event time: 2012-06-21 is EDT, midnight New York = 04:00 UTC; the message's seconds after it, to the nanosecond.
                var seconds = decimal.Parse(messages[k][0], CultureInfo.InvariantCulture);
                Assert.Equal(1340251200_000000000L + (long)(seconds * 1_000_000_000m), long.Parse(r[5], CultureInfo.InvariantCulture));
            }
            Assert.True(book.Count == recorded[k].Count && book.All(l => recorded[k].TryGetValue(l.Key, out var s) && s == l.Value),
                $"event {k}: the replayed book differs from the orderbook file");

            // Independent of how the deltas were made: the message's own level moved by exactly its size
            // (submission +, cancellation, deletion and visible execution −), where both books show that level's depth.
            var m = messages[k];
            var type = int.Parse(m[1], CultureInfo.InvariantCulture);
            if (k > 0 && type is >= 1 and <= 4)
            {
                var side = m[5] == "1" ? "bid" : "ask";
                var price = long.Parse(m[4], CultureInfo.InvariantCulture);
                var size = long.Parse(m[3], CultureInfo.InvariantCulture);
                var change = book.GetValueOrDefault((side, price)) - before.GetValueOrDefault((side, price));
                Assert.True(change == (type == 1 ? size : -size), $"event {k}: message {string.Join(",", m)} moved its level by {change}");
                explained++;
            }
        }
        Assert.Equal(470 + 369 + 98, explained); // every visible book message after the first: 470 submissions, 369 deletions, 98 executions

        // Executions: 98 visible and 61 hidden, sizes as the messages give them.
        var executions = messages.Where(m => m[1] is "4" or "5" or "6").ToList();
        Assert.Equal($"{executions.Count}\t{executions.Sum(m => long.Parse(m[3], CultureInfo.InvariantCulture))}\t{executions.Count(m => m[1] == "5")}",
            await temp.TextAsync("SELECT count(), toInt64(sum(size)), countIf(conditions LIKE '%hidden') FROM trades WHERE symbol = 'AAPL.NASDAQ'"));
        Assert.Equal("AAPL.NASDAQ\tequity\tNASDAQ\tXNAS", await temp.TextAsync("SELECT symbol, asset_class, venue, calendar FROM instruments FINAL WHERE venue = 'NASDAQ'"));
        Assert.All(await Importers.ImportAsync(temp.Store, Message), r => Assert.True(r.AlreadyLoaded));
    }

    [Fact]
    public async Task A_line_that_does_not_parse_is_quarantined_and_the_next_row_is_sent_whole()
    {
        using var temp = await TempStore.CreateAsync();
        using var dir = new TempDirectory();
        var message = dir.File("ABC_2012-06-21_34200000_57600000_message_1.csv");
        var orderbook = dir.File("ABC_2012-06-21_34200000_57600000_orderbook_1.csv");
        File.WriteAllText(message, "34200.1,1,1,100,1010000,-1\n34200.2,1,2,50,1000000,1\n34200.3,1,3,10,1000000,1\n34200.4,3,1,100,1010000,-1\n");
        File.WriteAllText(orderbook, "1010000,100,-9999999999,0\n1010000,100,1000000,50\n1010000,100,10000x0,60\n9999999999,0,1000000,60\n");
        var reports = await Importers.ImportAsync(temp.Store, orderbook);
        Assert.Equal((4L, 3L, 1L), (reports[0].RowsIn, reports[0].Accepted, reports[0].Rejected));
        Assert.Equal("0\task\tsnapshot\t101\t100\n1\tbid\tupsert\t100\t50\n3\tbid\tsnapshot\t100\t60", 
            await temp.TextAsync("SELECT seq, side, action, price, size FROM book_deltas ORDER BY seq, side"));
        Assert.Contains("10000x0", await temp.TextAsync("SELECT row FROM rejects WHERE table_name = 'book_deltas'"));
        Assert.Equal(0L, reports[1].RowsIn); // no executions

        File.Delete(message);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Importers.ImportAsync(temp.Store, orderbook));
        Assert.Equal("ABC_2012-06-21_34200000_57600000_orderbook_1.csv: a LOBSTER file loads with its pair; ABC_2012-06-21_34200000_57600000_message_1.csv is not beside it", error.Message);
    }
}
