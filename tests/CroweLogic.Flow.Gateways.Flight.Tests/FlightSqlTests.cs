using Apache.Arrow;
using Apache.Arrow.Flight;
using Grpc.Core;

namespace CroweLogic.Flow.Gateways.Flight.Tests;

/// <summary>Ad-hoc SQL tickets: read-only, within budget, ClickHouse's message on errors.</summary>
public class FlightSqlTests(FlightFixture fixture)
{
    private readonly Metadata _reader = FlightFixture.Bearer(FlightFixture.ReaderToken);

    private async Task<RpcException> Fails(string sql)
    {
        var client = fixture.Client();
        return await Assert.ThrowsAsync<RpcException>(() => FlightFixture.ReadAll(client, new FlightTicket(sql), _reader));
    }

    [Fact]
    public async Task A_query_runs_as_bare_text_or_json()
    {
        var client = fixture.Client();
        foreach (var ticket in new[] { "SELECT symbol, count() AS n FROM trades GROUP BY symbol ORDER BY symbol;", """{"sql": "SELECT symbol, count() AS n FROM trades GROUP BY symbol ORDER BY symbol"}""" })
        {
            var batch = (await FlightFixture.ReadAll(client, new FlightTicket(ticket), _reader)).Single();
            Assert.Equal(["AAPL", "BRK.B"], Enumerable.Range(0, batch.Length).Select(i => ((StringArray)batch.Column("symbol")).GetString(i)));
            Assert.Equal([2UL, 1UL], Enumerable.Range(0, batch.Length).Select(i => ((UInt64Array)batch.Column("n")).GetValue(i)!.Value));
        }
    }

    [Fact]
    public async Task A_syntax_error_is_invalid_argument_with_clickhouses_message()
    {
        var error = await Fails("SELEC symbol FROM trades");
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("Syntax error", error.Status.Detail);
        Assert.Contains("SYNTAX_ERROR", error.Status.Detail);

        var schema = await Assert.ThrowsAsync<RpcException>(() => fixture.Client().GetSchema(FlightDescriptor.CreateCommandDescriptor("SELECT nope FROM trades"), _reader).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, schema.StatusCode);
        Assert.Contains("UNKNOWN_IDENTIFIER", schema.Status.Detail);
    }

    [Fact]
    public async Task Writes_and_side_effects_are_refused_and_change_nothing()
    {
        var drop = await Fails("DROP TABLE trades");
        Assert.Equal(StatusCode.InvalidArgument, drop.StatusCode);
        var insert = await Fails("INSERT INTO trades SELECT * FROM trades");
        Assert.Equal(StatusCode.InvalidArgument, insert.StatusCode);
        // The engine would run every statement of the text, and inner SETTINGS would lift read-only mode.
        foreach (var sql in new[] { "SELECT 1); DROP TABLE trades; SELECT (1", "SELECT 1; DROP TABLE trades", "SELECT * FROM (SELECT * FROM file('/etc/passwd', 'LineAsString') SETTINGS readonly = 0)", "SELECT 1 SeTtInGs max_result_rows = 0" })
        {
            var error = await Fails(sql);
            Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{sql}: {error.StatusCode} {error.Status.Detail}");
        }
        foreach (var sql in new[] { "SELECT * FROM file('/etc/passwd', 'LineAsString')", "SELECT * FROM url('http://127.0.0.1:9/x', 'CSV', 'a String')", "SELECT * FROM remote('127.0.0.1:9000', system.one)" })
        {
            var error = await Fails(sql);
            Assert.True(error.StatusCode == StatusCode.PermissionDenied, $"{sql}: {error.StatusCode} {error.Status.Detail}");
        }
        Assert.Equal(3, await CountTrades());
    }

    [Theory]
    [InlineData("SELECT ';' AS s, 'settings' AS t -- ; SETTINGS\n;", "SELECT ';' AS s, 'settings' AS t -- ; SETTINGS")]
    [InlineData("SELECT \"SETTINGS\" FROM t /* ; */ ;;  ", "SELECT \"SETTINGS\" FROM t /* ; */")]
    [InlineData("SELECT $$a;b SETTINGS$$, 'it''s; \\' x' # ;\n", "SELECT $$a;b SETTINGS$$, 'it''s; \\' x' # ;")]
    [InlineData("SELECT settings_profile FROM system.users", "SELECT settings_profile FROM system.users")]
    public void Semicolons_and_settings_inside_literals_and_comments_are_not_statements(string sql, string body)
    {
        Assert.Equal(body, SqlTicketGuard.SingleStatement(sql));
    }

    [Theory]
    [InlineData("SELECT 'abc", "unterminated string literal")]
    [InlineData("SELECT 1 /* x", "unterminated comment")]
    [InlineData("SELECT 1; SELECT 2", "one statement")]
    [InlineData("SELECT 1 SETTINGS readonly = 0", "SETTINGS clauses are not allowed")]
    [InlineData(" ; ", "empty")]
    public void Ambiguous_or_compound_tickets_are_refused(string sql, string expected)
    {
        Assert.Contains(expected, Assert.Throws<FlightRequestException>(() => SqlTicketGuard.SingleStatement(sql)).Message);
    }

    private async Task<long> CountTrades()
    {
        using var result = await fixture.Store.QueryArrowAsync("SELECT count() FROM trades");
        return result.Scalar<long>();
    }

    [Fact]
    public async Task Row_budget_time_budget_and_missing_tables_have_their_own_status()
    {
        var rows = await Fails("SELECT number FROM numbers(5000000)");
        Assert.Equal(StatusCode.ResourceExhausted, rows.StatusCode);
        Assert.Contains("Limit for result exceeded", rows.Status.Detail);

        var slow = await Fails("SELECT count() FROM numbers(100000000000)");
        Assert.Equal(StatusCode.DeadlineExceeded, slow.StatusCode);

        var table = await Fails("SELECT * FROM no_such_table");
        Assert.Equal(StatusCode.NotFound, table.StatusCode);
        Assert.Contains("no_such_table", table.Status.Detail);
    }
}
