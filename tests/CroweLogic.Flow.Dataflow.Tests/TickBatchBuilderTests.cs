using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Execution;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>The tick batch builder's columns, nulls, growth and reuse, and the batch's validity as Arrow IPC.</summary>
public class TickBatchBuilderTests
{
    [Fact]
    public void Trades_and_quotes_land_in_their_columns_with_the_other_kinds_values_null_past_the_initial_capacity()
    {
        var builder = new TickBatchBuilder(capacity: 1);
        builder.Trade("IBM", 10, 1, 185.25, 300)
            .Quote("BRK.B", 11, 7, 410.10, 200, 410.20, 100)
            .Quote("Société", 11, 8, 1.5, 1, 1.6, 2)
            .Trade("A", 12, 2, 99.5, 1);

        var batch = builder.Build();

        Assert.Equal(4, batch.Length);
        Assert.Equal(["IBM", "BRK.B", "Société", "A"], Strings(batch, "symbol"));
        Assert.Equal([10L, 11, 11, 12], ((Int64Array)batch.Column("ts")).Values.ToArray());
        Assert.Equal([1L, 7, 8, 2], ((Int64Array)batch.Column("seq")).Values.ToArray());
        Assert.Equal([(byte)TickKind.Trade, (byte)TickKind.Quote, (byte)TickKind.Quote, (byte)TickKind.Trade], ((UInt8Array)batch.Column("kind")).Values.ToArray());
        Assert.Equal([185.25, null, null, 99.5], Doubles(batch, "price"));
        Assert.Equal([300, null, null, 1], Doubles(batch, "size"));
        Assert.Equal([null, 410.10, 1.5, null], Doubles(batch, "bid"));
        Assert.Equal([null, 200, 1, null], Doubles(batch, "bid_size"));
        Assert.Equal([null, 410.20, 1.6, null], Doubles(batch, "ask"));
        Assert.Equal([null, 100, 2, null], Doubles(batch, "ask_size"));
        Assert.Equal(2, batch.Column("price").NullCount);
        Assert.Equal(2, batch.Column("ask").NullCount);
        Assert.Equal(0, batch.Column("symbol").NullCount);
    }

    [Fact]
    public void A_built_batch_keeps_its_values_when_the_builder_goes_on()
    {
        var builder = new TickBatchBuilder(capacity: 2);
        builder.Trade("IBM", 1, 1, 10, 100).Quote("IBM", 2, 1, 9.9, 5, 10.1, 6);
        var first = builder.Build();
        for (var i = 0; i < 50; i++) builder.Trade("SPY" + i, 3 + i, i, 400 + i, 1);
        var second = builder.Build();

        Assert.Equal(["IBM", "IBM"], Strings(first, "symbol"));
        Assert.Equal([10, null], Doubles(first, "price"));
        Assert.Equal([null, 10.1], Doubles(first, "ask"));
        Assert.Equal(50, second.Length);
        Assert.Equal("SPY49", ((StringArray)second.Column("symbol")).GetString(49));
        Assert.Equal(449, ((DoubleArray)second.Column("price")).GetValue(49));
        Assert.Equal(0, second.Column("price").NullCount);
        Assert.Equal(50, second.Column("bid").NullCount);
        Assert.Equal(0, builder.Rows);
        Assert.Equal(0, builder.Build().Length);
    }

    [Fact]
    public void Batches_survive_an_Arrow_IPC_round_trip_unchanged()
    {
        var random = new Random(5);
        var builder = new TickBatchBuilder(capacity: 3);
        for (var i = 0; i < 1_000; i++)
        {
            var symbol = "S" + random.Next(40);
            if (random.Next(5) == 0) builder.Trade(symbol, i, i, Math.Round(random.NextDouble() * 100, 2), random.Next(1, 500));
            else builder.Quote(symbol, i, i, Math.Round(random.NextDouble() * 100, 2), random.Next(1, 500), Math.Round(random.NextDouble() * 100, 2), random.Next(1, 500));
        }
        var batch = builder.Build();

        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, batch.Schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }
        stream.Position = 0;
        using var reader = new ArrowStreamReader(stream);
        var read = reader.ReadNextRecordBatch();

        Assert.Equal(batch.Length, read.Length);
        Assert.Equal(Strings(batch, "symbol"), Strings(read, "symbol"));
        foreach (var column in new[] { "price", "size", "bid", "bid_size", "ask", "ask_size" }) Assert.Equal(Doubles(batch, column), Doubles(read, column));
        Assert.Equal(((Int64Array)batch.Column("ts")).Values.ToArray(), ((Int64Array)read.Column("ts")).Values.ToArray());
    }

    private static string[] Strings(RecordBatch batch, string column)
    {
        var array = (StringArray)batch.Column(column);
        return [.. Enumerable.Range(0, array.Length).Select(i => array.GetString(i) ?? "<null>")];
    }

    private static double?[] Doubles(RecordBatch batch, string column)
    {
        var array = (DoubleArray)batch.Column(column);
        return [.. Enumerable.Range(0, array.Length).Select(i => array.GetValue(i))];
    }
}
