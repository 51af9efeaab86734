using Apache.Arrow.Ipc;

namespace CroweLogic.Flow.Cli.Tests;

public class CliTests
{
    private const string TradesCsv =
        "symbol,ts,recv_ts,seq,price,size,venue,conditions\n" +
        "AAPL,2024-01-02T15:00:00Z,2024-01-02T15:00:00Z,0,185.5,100,XNAS,\n" +
        "AAPL,2024-01-02T15:00:01Z,2024-01-02T15:00:01Z,0,185.6,50,XNAS,\n" +
        "AAPL,2024-01-02T15:00:02Z,2024-01-02T15:00:02Z,0,-1,50,XNAS,\n";

    [Fact]
    public async Task Help_lists_the_commands()
    {
        using var flow = new FlowProcess();
        var (exit, output, _) = await flow.RunAsync("--help");
        Assert.Equal(0, exit);
        foreach (var command in new[] { "run", "ingest", "sql", "db", "quality", "audit", "bench", "setup" }) Assert.Contains(command, output);
    }

    [Fact]
    public async Task Ingest_then_query_in_every_format()
    {
        using var flow = new FlowProcess();
        var csv = Path.Combine(flow.DataDir, "..", $"flow-cli-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, TradesCsv);
        try
        {
            // The CSV's symbol must be a known instrument: register it through SQL, the way an operator would.
            var register = await flow.RunAsync("sql", "INSERT INTO instruments (symbol, asset_class, venue, currency, tick_size, lot_size, multiplier, session_tz, session_start_s, session_end_s, trades_weekends, name, sector) VALUES ('AAPL', 'equity', 'XNAS', 'USD', 0.01, 100, 1, 'America/New_York', 14400, 72000, false, 'Apple', '')");
            Assert.Equal(0, register.Exit);

            var (exit, output, error) = await flow.RunAsync("ingest", csv);
            Assert.True(exit == 0, error);
            Assert.Matches(@"│\s+3 │\s+2 │\s+1 │\s+0 │", output);
            Assert.Contains("non_positive_price", output);

            Assert.Equal("\"count()\"\n2\n", (await flow.RunAsync("sql", "SELECT count() FROM trades", "--format", "csv")).Out);
            Assert.Contains("{\"symbol\":\"AAPL\",\"price\":185.6}", (await flow.RunAsync("sql", "SELECT symbol, price FROM trades ORDER BY ts DESC LIMIT 1", "-f", "json")).Out);
            Assert.Contains("non_positive_price", (await flow.RunAsync("quality", "rejects", "--format", "json")).Out);

            var arrowFile = csv + ".arrow";
            Assert.Equal(0, (await flow.RunAsync("sql", "SELECT symbol, ts, price FROM trades ORDER BY ts", "--format", "arrow", "--output", arrowFile)).Exit);
            using (var reader = new ArrowStreamReader(File.OpenRead(arrowFile)))
            {
                var batch = reader.ReadNextRecordBatch();
                Assert.Equal(2, batch.Length);
                Assert.Equal(["symbol", "ts", "price"], batch.Schema.FieldsList.Select(f => f.Name));
            }
            File.Delete(arrowFile);

            var info = await flow.RunAsync("db", "info");
            Assert.Equal(0, info.Exit);
            Assert.Matches(@"│ trades\s+│ MergeTree\s+│\s+2 │", info.Out);

            var again = await flow.RunAsync("ingest", csv);
            Assert.Contains("already loaded", again.Out);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public async Task Ingest_registers_a_users_own_symbols_when_asked_and_says_which()
    {
        using var flow = new FlowProcess();
        var file = Path.Combine(flow.DataDir, "own.csv");
        File.WriteAllText(file, "symbol,ts,price,size\nXYZ,2024-01-02T15:00:00Z,10.5,100\nQQQZ,2024-01-02T15:00:01Z,20,5\n");
        var (exit, output, error) = await flow.RunAsync("ingest", file, "--register-instruments");
        Assert.True(exit == 0, error + output);
        Assert.Contains("flow: registered 2 instruments from own.csv with equity defaults: QQQZ, XYZ", error, StringComparison.Ordinal);
        Assert.Equal("2", (await flow.CsvAsync("SELECT count() FROM trades WHERE symbol IN ('XYZ', 'QQQZ')"))[0][0]);
    }

    [Fact]
    public async Task Failures_exit_non_zero_with_one_line()
    {
        using var flow = new FlowProcess();

        var syntax = await flow.RunAsync("sql", "SELEC 1");
        Assert.Equal(3, syntax.Exit);
        Assert.StartsWith("flow: error: Code: 62. DB::Exception: Syntax error", syntax.Err);
        Assert.Single(syntax.Err.Trim().Split('\n'));

        var missing = await flow.RunAsync("ingest", "/nonexistent/file.csv");
        Assert.Equal(2, missing.Exit);
        Assert.Equal("flow: error: /nonexistent/file.csv: no such file or directory", missing.Err.Trim());

        var badFormat = await flow.RunAsync("sql", "SELECT 1", "--format", "xml");
        Assert.NotEqual(0, badFormat.Exit);
        Assert.Contains("xml", badFormat.Err);
    }

    [Fact]
    public async Task A_fresh_audit_log_verifies()
    {
        using var flow = new FlowProcess();
        var (exit, output, _) = await flow.RunAsync("audit", "verify");
        Assert.Equal(0, exit);
        Assert.Equal("audit log intact: 0 entries", output.Trim());
    }
}
