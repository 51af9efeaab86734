using CroweLogic.Flow.Contracts.Execution;
using Apache.Arrow;
using Apache.Arrow.Types;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>The k-way merge of per-symbol runs against a plain sort of the same rows by (ts, kind, symbol, seq).</summary>
public class TickRunMergerTests
{
    private sealed record Row(string Symbol, long Ts, long Seq, int Kind, double?[] Values);

    [Theory]
    [InlineData(1, 7)]
    [InlineData(2, 1)]
    [InlineData(3, 16_384)]
    [InlineData(4, 100)]
    public void Merged_rows_equal_the_rows_sorted_by_time_kind_symbol_and_sequence(int seed, int batchRows)
    {
        var random = new Random(seed);
        string[] symbols = ["IBM", "AIG", "BAC", "SPY", "Z"];
        var trades = new List<Row>();
        var quotes = new List<Row>();
        foreach (var symbol in symbols)
        {
            // Coarse times so rows of different symbols and kinds tie on ts; SPY has trades only, Z quotes only.
            long ts = 0, seq = 0;
            for (var i = 0; i < random.Next(0, 400); i++)
            {
                ts += random.Next(0, 3);
                if (symbol != "Z") trades.Add(new Row(symbol, ts, seq++, TickKind.Trade, [Maybe(random, 100), Maybe(random, 5)]));
            }
            (ts, seq) = (0, 0);
            for (var i = 0; i < random.Next(0, 600); i++)
            {
                ts += random.Next(0, 3);
                if (symbol != "SPY") quotes.Add(new Row(symbol, ts, seq++, TickKind.Quote, [Maybe(random, 99), Maybe(random, 3), Maybe(random, 101), Maybe(random, 4)]));
            }
        }
        var merger = new TickRunMerger(batchRows);
        foreach (var chunk in Chunks(KeyOrder(trades), random)) merger.AddTrades(Batch(chunk, "price", "size"));
        foreach (var chunk in Chunks(KeyOrder(quotes), random)) merger.AddQuotes(Batch(chunk, "bid", "bid_size", "ask", "ask_size"));
        Assert.Equal(trades.Count + quotes.Count, merger.Count);

        var batches = merger.Merge();

        Assert.Equal(0, merger.Count);
        Assert.All(batches, b => Assert.InRange(b.Length, 1, batchRows));
        var expected = trades.Concat(quotes).OrderBy(r => r.Ts).ThenBy(r => r.Kind).ThenBy(r => r.Symbol, StringComparer.Ordinal).ThenBy(r => r.Seq).ToList();
        var actual = batches.SelectMany(Read).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.True(e.Symbol == a.Symbol && e.Ts == a.Ts && e.Seq == a.Seq && e.Kind == a.Kind && e.Values.SequenceEqual(a.Values),
                $"row {i}: expected {Show(e)}, got {Show(a)}");
        }
    }

    [Fact]
    public void The_merger_can_be_reused_after_a_merge_and_an_empty_merge_gives_no_batches()
    {
        var merger = new TickRunMerger(4);
        Assert.Empty(merger.Merge());
        merger.AddTrades(Batch([new Row("IBM", 5, 0, TickKind.Trade, [1, 1])], "price", "size"));
        Assert.Single(merger.Merge());
        merger.AddQuotes(Batch([new Row("AIG", 1, 0, TickKind.Quote, [1, 1, 2, 1])], "bid", "bid_size", "ask", "ask_size"));
        var again = Read(Assert.Single(merger.Merge())).Single();
        Assert.Equal(("AIG", 1L, TickKind.Quote), (again.Symbol, again.Ts, again.Kind));
    }

    private static double? Maybe(Random random, double around) => random.Next(5) == 0 ? null : Math.Round(around + random.NextDouble(), 2);

    private static List<Row> KeyOrder(List<Row> rows) => [.. rows.OrderBy(r => r.Symbol, StringComparer.Ordinal).ThenBy(r => r.Ts).ThenBy(r => r.Seq)];

    private static IEnumerable<List<Row>> Chunks(List<Row> rows, Random random)
    {
        for (var at = 0; at < rows.Count;)
        {
            var take = Math.Min(rows.Count - at, random.Next(1, 90));
            yield return rows.GetRange(at, take);
            at += take;
        }
    }

    /// <summary>A batch shaped like the store's answer: text symbols, nanosecond timestamps, nullable doubles.</summary>
    private static RecordBatch Batch(List<Row> rows, params string[] names)
    {
        var symbol = new StringArray.Builder();
        var ts = new TimestampArray.Builder(new TimestampType(TimeUnit.Nanosecond, "UTC"));
        var seq = new Int64Array.Builder();
        var values = names.Select(_ => new DoubleArray.Builder()).ToArray();
        foreach (var row in rows)
        {
            symbol.Append(row.Symbol);
            ts.Append(DateTimeOffset.UnixEpoch.AddTicks(row.Ts));
            seq.Append(row.Seq);
            for (var c = 0; c < names.Length; c++)
            {
                if (row.Values[c] is { } v) values[c].Append(v);
                else values[c].AppendNull();
            }
        }
        var builder = new RecordBatch.Builder().Append("symbol", false, symbol.Build()).Append("ts", false, ts.Build()).Append("seq", false, seq.Build());
        for (var c = 0; c < names.Length; c++) builder.Append(names[c], true, values[c].Build());
        return builder.Build();
    }

    private static IEnumerable<Row> Read(RecordBatch batch)
    {
        var symbol = ColumnView.For(batch.Column("symbol"), "symbol");
        var ts = ColumnView.For(batch.Column("ts"), "ts");
        var seq = ColumnView.For(batch.Column("seq"), "seq");
        var kind = ColumnView.For(batch.Column("kind"), "kind");
        var values = new[] { "price", "size", "bid", "bid_size", "ask", "ask_size" }.Select(n => ColumnView.For(batch.Column(n), n)).ToArray();
        for (var row = 0; row < batch.Length; row++)
        {
            var k = (int)kind.GetInt64(row);
            var (first, count) = k == TickKind.Trade ? (0, 2) : (2, 4);
            for (var slot = 0; slot < values.Length; slot++)
            {
                if ((slot < first || slot >= first + count) && !values[slot].IsNull(row)) throw new InvalidOperationException($"row {row}: {k} has a value in slot {slot}");
            }
            yield return new Row(symbol.GetString(row), ts.GetInt64(row) / 100, seq.GetInt64(row), k,
                [.. values.Skip(first).Take(count).Select(v => v.IsNull(row) ? (double?)null : v.GetDouble(row))]);
        }
    }

    private static string Show(Row r) => $"{r.Symbol} ts={r.Ts} seq={r.Seq} kind={r.Kind} [{string.Join(", ", r.Values.Select(v => v?.ToString() ?? "null"))}]";
}
