using System.Globalization;
using System.Text;
using CroweLogic.Flow.Gateways.MarketData.Binance;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// The recorded Binance BTCUSDT depth in <c>../shared/data/crypto-samples/binance/</c> (a REST snapshot of 100 bid
/// levels, lastUpdateId 2098021528332, and one diff event U=2098041693435…u=2098041696700 of 200 levels, E=1667347199939)
/// written back in the venue's wire format. The recorded pair does not chain (the snapshot is 20 million updates older
/// than the event), so <see cref="Chain"/> re-sequences the recorded event's levels, in recorded order, into
/// consecutive diff events that follow the recorded snapshot: the prices, quantities and order are the recording's,
/// only the update ids and event times are assigned.
/// </summary>
public static class BinanceRecording
{
    private static string Dir => Path.Combine(CroweLogic.Flow.Tests.Shared.SharedPaths.Data, "crypto-samples", "binance");

    private static IEnumerable<string[]> Rows(string file) => File.ReadLines(Path.Combine(Dir, file)).Skip(1).Select(l => l.Split(','));

    /// <summary>The recorded snapshot's update id.</summary>
    public static long SnapshotId => long.Parse(Rows("btcusdt-depth-snap.csv").First()[3], CultureInfo.InvariantCulture);

    /// <summary>The recorded snapshot's levels as the venue printed them: (side, price text, quantity text).</summary>
    public static List<(string Side, string Price, string Quantity)> SnapshotLevels => [.. Rows("btcusdt-depth-snap.csv").Select(r => (r[4], r[6], r[7]))];

    /// <summary>The recorded diff event's levels, in recorded order.</summary>
    public static List<(string Side, string Price, string Quantity)> UpdateLevels => [.. Rows("btcusdt-depth-update.csv").Select(r => (r[4], r[6], r[7]))];

    /// <summary>The recorded diff event (U, u, E in ms).</summary>
    public static (long First, long Final, long EventMillis) Update
    {
        get
        {
            var r = Rows("btcusdt-depth-update.csv").First();
            return (long.Parse(r[2], CultureInfo.InvariantCulture), long.Parse(r[3], CultureInfo.InvariantCulture), long.Parse(r[1], CultureInfo.InvariantCulture));
        }
    }

    /// <summary><c>GET /api/v3/depth</c>'s answer for the recorded levels under <paramref name="lastUpdateId"/>.</summary>
    public static string SnapshotJson(long lastUpdateId, IEnumerable<(string Side, string Price, string Quantity)> levels)
    {
        var list = levels.ToList();
        string Side(string side) => string.Join(',', list.Where(l => l.Side == side).Select(l => $"[\"{l.Price}\",\"{l.Quantity}\"]"));
        return $"{{\"lastUpdateId\":{lastUpdateId},\"bids\":[{Side("b")}],\"asks\":[{Side("a")}]}}";
    }

    /// <summary>A combined-stream diff-depth message.</summary>
    public static string DepthJson(long eventMillis, long first, long final, IEnumerable<(string Side, string Price, string Quantity)> levels)
    {
        var list = levels.ToList();
        string Side(string side) => string.Join(',', list.Where(l => l.Side == side).Select(l => $"[\"{l.Price}\",\"{l.Quantity}\"]"));
        return $"{{\"stream\":\"btcusdt@depth@100ms\",\"data\":{{\"e\":\"depthUpdate\",\"E\":{eventMillis},\"s\":\"BTCUSDT\",\"U\":{first},\"u\":{final},\"b\":[{Side("b")}],\"a\":[{Side("a")}]}}}}";
    }

    /// <summary>The recorded event as recorded (spot format: the futures-only <c>pu</c> of the recording is not part of it).</summary>
    public static string RecordedDepthJson() => DepthJson(Update.EventMillis, Update.First, Update.Final, UpdateLevels);

    /// <summary>The recorded event's levels as <paramref name="events"/> consecutive diff events after the recorded snapshot, 100 ms apart.</summary>
    public static List<(long First, long Final, long EventMillis, List<(string Side, string Price, string Quantity)> Levels)> Chain(int events)
    {
        var levels = UpdateLevels;
        var per = (levels.Count + events - 1) / events;
        var chain = new List<(long, long, long, List<(string, string, string)>)>();
        var next = SnapshotId + 1;
        for (var k = 0; k < events; k++)
        {
            var part = levels.Skip(k * per).Take(per).ToList();
            // Several ids per event, as the venue's 100 ms events carry.
            var final = next + part.Count - 1;
            chain.Add((next, final, Update.EventMillis + (k * 100), part));
            next = final + 1;
        }
        return chain;
    }

    /// <summary>An independent reference: the book as price text → quantity per side after applying levels in order (quantity 0 removes).</summary>
    public static Dictionary<(string Side, decimal Price), decimal> Reference(IEnumerable<(string Side, string Price, string Quantity)> snapshot, IEnumerable<IEnumerable<(string Side, string Price, string Quantity)>> events)
    {
        var book = new Dictionary<(string, decimal), decimal>();
        void Set((string Side, string Price, string Quantity) l)
        {
            var key = (l.Side, decimal.Parse(l.Price, CultureInfo.InvariantCulture));
            var q = decimal.Parse(l.Quantity, CultureInfo.InvariantCulture);
            if (q == 0) book.Remove(key);
            else book[key] = q;
        }
        foreach (var l in snapshot) Set(l);
        foreach (var e in events) foreach (var l in e) Set(l);
        return book;
    }

    /// <summary>The first difference between a book and a reference, or null.</summary>
    public static string? Differs(MarketData.L2Book book, Dictionary<(string Side, decimal Price), decimal> reference)
    {
        var mine = new Dictionary<(string, decimal), decimal>();
        foreach (var (p, q) in book.Levels(Contracts.Events.BookSide.Bid)) mine[("b", p)] = q;
        foreach (var (p, q) in book.Levels(Contracts.Events.BookSide.Ask)) mine[("a", p)] = q;
        foreach (var (key, q) in reference)
            if (!mine.TryGetValue(key, out var m) || m != q) return $"{key}: reference {q}, book {(mine.ContainsKey(key) ? m.ToString(CultureInfo.InvariantCulture) : "absent")}";
        foreach (var key in mine.Keys)
            if (!reference.ContainsKey(key)) return $"{key}: in the book, not in the reference";
        return null;
    }

    /// <summary>The parsed form of a message (through the client's own parser).</summary>
    public static BinanceDepthUpdate Parsed(string json) => (BinanceDepthUpdate)BinanceMessages.Parse(Encoding.UTF8.GetBytes(json))!;
}
