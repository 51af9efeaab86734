using Apache.Arrow;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>Streaming Arrow results from the embedded engine: same rows as a materialised query, bounded blocks, clean cancellation.</summary>
public class StreamingQueryTests
{
    private const string Numbers = "SELECT number AS n, toString(number) AS s FROM numbers(300000)";

    [Fact]
    public async Task A_stream_yields_the_same_rows_as_a_materialised_query_in_several_blocks()
    {
        using var temp = await TempStore.CreateAsync();
        long sum = 0, rows = 0;
        var largest = 0;
        await using (var stream = await temp.Store.StreamArrowAsync(Numbers))
        {
            Assert.Equal(["n", "s"], stream.Schema.FieldsList.Select(f => f.Name));
            while (await stream.ReadNextAsync() is { } batch)
            {
                var n = (UInt64Array)batch.Column(0);
                var s = (StringArray)batch.Column(1);
                for (var i = 0; i < batch.Length; i++)
                {
                    Assert.Equal(n.GetValue(i)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), s.GetString(i));
                    sum += (long)n.GetValue(i)!.Value;
                }
                rows += batch.Length;
                largest = Math.Max(largest, batch.Length);
            }
            Assert.Equal(rows, stream.RowsRead);
            Assert.True(stream.BatchesRead > 1, $"expected several blocks, got {stream.BatchesRead}");
        }
        Assert.Equal(300_000, rows);
        Assert.Equal(300_000L * 299_999 / 2, sum);
        Assert.True(largest < 300_000, "the result must arrive in blocks, not materialised at once");
    }

    [Fact]
    public async Task An_empty_result_still_has_its_schema()
    {
        using var temp = await TempStore.CreateAsync();
        await using var stream = await temp.Store.StreamArrowAsync("SELECT symbol, price FROM trades WHERE 0");
        Assert.Equal(["symbol", "price"], stream.Schema.FieldsList.Select(f => f.Name));
        Assert.Null(await stream.ReadNextAsync());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(100000)]
    public async Task A_limit_hit_on_the_first_or_a_later_block_leaves_no_output_behind(int maxRows)
    {
        using var temp = await TempStore.CreateAsync();
        for (var round = 0; round < 3; round++)
        {
            await Assert.ThrowsAsync<StoreQueryException>(async () =>
            {
                await using var stream = await temp.Store.StreamArrowAsync(
                    $"SELECT number FROM numbers(10000000) SETTINGS max_result_rows = {maxRows}, result_overflow_mode = 'throw', max_block_size = 65536");
                while (await stream.ReadNextAsync() is not null)
                {
                }
            });
            Assert.Equal("5", await temp.TextAsync("SELECT count() FROM numbers(5)"));
        }
    }

    [Fact]
    public async Task A_bad_query_fails_with_the_engines_message_and_leaves_the_store_usable()
    {
        using var temp = await TempStore.CreateAsync();
        var error = await Assert.ThrowsAsync<StoreQueryException>(() => temp.Store.StreamArrowAsync("SELEC 1"));
        Assert.Contains("Syntax error", error.Message);
        Assert.Equal(1, await temp.CountAsync("SELECT 1"));
    }

    [Fact]
    public async Task A_failure_while_streaming_surfaces_as_a_store_error_and_frees_the_engine()
    {
        using var temp = await TempStore.CreateAsync();
        // The engine runs ahead of the reader, so the limit may trip before the first block is handed out or after it.
        var error = await Assert.ThrowsAsync<StoreQueryException>(async () =>
        {
            await using var stream = await temp.Store.StreamArrowAsync(
                "SELECT number FROM numbers(10000000) SETTINGS max_result_rows = 100000, result_overflow_mode = 'throw', max_block_size = 65536");
            while (await stream.ReadNextAsync() is not null)
            {
            }
        });
        Assert.Contains("TOO_MANY_ROWS_OR_BYTES", error.Message);
        Assert.Equal("3", await temp.TextAsync("SELECT count() FROM numbers(3)"));
        Assert.Equal(4, await temp.CountAsync("SELECT count() FROM numbers(4)"));
    }

    [Fact]
    public async Task Disposing_early_cancels_and_other_statements_wait_for_the_stream()
    {
        using var temp = await TempStore.CreateAsync();
        var stream = await temp.Store.StreamArrowAsync("SELECT number FROM numbers(100000000)");
        Assert.NotNull(await stream.ReadNextAsync());

        // The engine runs one statement at a time: this query must not run inside the open stream.
        var waiting = temp.CountAsync("SELECT count() FROM numbers(7)");
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        await stream.DisposeAsync();
        Assert.Equal(7, await waiting);
        Assert.True(stream.RowsRead < 100_000_000);

        // A second stream after a cancelled one reads from the start.
        await using var again = await temp.Store.StreamArrowAsync("SELECT number FROM numbers(5)");
        var batch = await again.ReadNextAsync();
        Assert.Equal(5, batch!.Length);
        Assert.Null(await again.ReadNextAsync());
    }
}
