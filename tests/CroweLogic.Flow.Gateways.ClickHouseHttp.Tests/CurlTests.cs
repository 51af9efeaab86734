using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;

namespace CroweLogic.Flow.Gateways.ClickHouseHttp.Tests;

/// <summary>The HTTP interface as curl (and a bare HTTP client, for compressed request bodies) sees it: ClickHouse's paths, headers, errors and codes.</summary>
public class CurlTests(EndpointFixture endpoint)
{
    private sealed record Answer(int Status, Dictionary<string, string> Headers, string Body);

    private string Base => endpoint.Location.ToString().TrimEnd('/');

    private async Task<Answer> Curl(params string[] args)
    {
        var psi = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in (string[])["-s", "-i", .. args]) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"curl {string.Join(' ', args)} exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        var split = output.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = output[..split].Split("\r\n");
        var headers = head.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new Answer(int.Parse(head[0].Split(' ')[1]), headers, output[(split + 4)..]);
    }

    private string[] Writer => ["-u", $"{EndpointFixture.Writer}:{endpoint.WriterToken}"];

    private string[] Reader => ["-u", $"{EndpointFixture.Reader}:{endpoint.ReaderToken}"];

    private static string Q(string sql) => Uri.EscapeDataString(sql);

    [Fact]
    public async Task Ping_and_a_query_in_the_url_answer_as_ClickHouse_does()
    {
        var ping = await Curl($"{Base}/ping");
        Assert.Equal((200, "Ok.\n"), (ping.Status, ping.Body));
        var answer = await Curl([.. Writer, $"{Base}/?query={Q("SELECT 1 AS one, 'a\tb' AS s")}&query_id=q-17"]);
        Assert.Equal(200, answer.Status);
        Assert.Equal("1\ta\\tb\n", answer.Body);
        Assert.Equal("TabSeparated", answer.Headers["X-ClickHouse-Format"]);
        Assert.Equal("q-17", answer.Headers["X-ClickHouse-Query-Id"]);
        Assert.Equal("UTC", answer.Headers["X-ClickHouse-Timezone"]);
        Assert.Contains("\"read_rows\":\"1\"", answer.Headers["X-ClickHouse-Summary"]);
        var missing = await Curl($"{Base}/nowhere");
        Assert.Equal(404, missing.Status);
        Assert.StartsWith("There is no handle /nowhere", missing.Body);
    }

    [Fact]
    public async Task A_posted_query_is_answered_in_its_format_and_compressed_when_asked()
    {
        var answer = await Curl([.. Writer, "--compressed", "-H", "Accept-Encoding: gzip", $"{Base}/?enable_http_compression=1", "--data-binary", "SELECT number FROM system.numbers LIMIT 3 FORMAT JSONEachRow"]);
        Assert.Equal(200, answer.Status);
        Assert.Equal("gzip", answer.Headers["Content-Encoding"]);
        Assert.Equal("{\"number\":0}\n{\"number\":1}\n{\"number\":2}\n", answer.Body);
        Assert.Equal("JSONEachRow", answer.Headers["X-ClickHouse-Format"]);
        var csv = await Curl([.. Writer, $"{Base}/?default_format=CSVWithNames", "--data-binary", "SELECT 1 AS x"]);
        Assert.Equal(("\"x\"\n1\n", "CSVWithNames"), (csv.Body, csv.Headers["X-ClickHouse-Format"]));
    }

    [Fact]
    public async Task Inserts_take_inline_data_a_body_and_compressed_bodies()
    {
        var table = $"t_{Guid.NewGuid():N}";
        Assert.Equal(200, (await Curl([.. Writer, Base + "/", "--data-binary", $"CREATE TABLE {table} (a UInt32, b String) ENGINE = MergeTree ORDER BY a"])).Status);
        var inline = await Curl([.. Writer, Base + "/", "--data-binary", $"INSERT INTO {table} FORMAT CSV\n1,one\n2,two\n"]);
        Assert.True(inline.Status == 200, inline.Body);
        Assert.Contains("\"written_rows\":\"2\"", inline.Headers["X-ClickHouse-Summary"]);
        Assert.Equal(200, (await Curl([.. Writer, $"{Base}/?query={Q($"INSERT INTO {table} (a, b) FORMAT TabSeparated")}", "--data-binary", "3\tthree\n"])).Status);
        using var http = new HttpClient();
        foreach (var (encoding, compress) in new (string, Func<byte[], byte[]>)[] { ("gzip", Gzip), ("zstd", b => new ZstdSharp.Compressor().Wrap(b).ToArray()) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/?query={Q($"INSERT INTO {table} FORMAT JSONEachRow")}")
            {
                Content = new ByteArrayContent(compress(Encoding.UTF8.GetBytes($"{{\"a\": {(encoding == "gzip" ? 4 : 5)}, \"b\": \"{encoding}\"}}\n"))),
            };
            request.Content.Headers.ContentEncoding.Add(encoding);
            request.Headers.Add("X-ClickHouse-User", EndpointFixture.Writer);
            request.Headers.Add("X-ClickHouse-Key", endpoint.WriterToken);
            using var response = await http.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        var rows = await Curl([.. Writer, $"{Base}/?query={Q($"SELECT a, b FROM {table} ORDER BY a FORMAT CSV")}"]);
        Assert.Equal("1,\"one\"\n2,\"two\"\n3,\"three\"\n4,\"gzip\"\n5,\"zstd\"\n", rows.Body);
        var broken = await Curl([.. Writer, "-H", "Content-Encoding: gzip", $"{Base}/?query={Q($"INSERT INTO {table} FORMAT CSV")}", "--data-binary", "not gzip"]);
        Assert.Equal(("271", true), (broken.Headers["X-ClickHouse-Exception-Code"], broken.Body.Contains("(CANNOT_DECOMPRESS)", StringComparison.Ordinal)));
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(data);
        return buffer.ToArray();
    }

    [Theory]
    [InlineData("none", 401, 194, "REQUIRED_PASSWORD")]
    [InlineData("wrong", 403, 516, "flow: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)")]
    [InlineData("stranger", 403, 516, "nobody: Authentication failed")]
    public async Task Bad_credentials_get_ClickHouses_status_code_and_body(string kind, int status, int code, string expected)
    {
        string[] credentials = kind switch
        {
            "none" => [],
            "wrong" => ["-u", $"{EndpointFixture.Writer}:not-the-token"],
            _ => ["-u", $"nobody:{endpoint.WriterToken}"],
        };
        var answer = await Curl([.. credentials, $"{Base}/?query={Q("SELECT 1")}"]);
        Assert.Equal((status, code.ToString(System.Globalization.CultureInfo.InvariantCulture)), (answer.Status, answer.Headers["X-ClickHouse-Exception-Code"]));
        Assert.StartsWith($"Code: {code}. DB::Exception: ", answer.Body);
        Assert.Contains(expected, answer.Body);
        Assert.Contains("(version ", answer.Body);
    }

    [Theory]
    [InlineData("SELEC 1", 400, 62, "SYNTAX_ERROR")]
    [InlineData("SELECT * FROM no_such_table", 404, 60, "UNKNOWN_TABLE")]
    [InlineData("SELECT 1 FORMAT NoSuchFormat", 404, 73, "UNKNOWN_FORMAT")]
    [InlineData("SELECT 1; SELECT 2", 400, 62, "Multi-statements are not allowed")]
    [InlineData("SELECT 'unterminated", 400, 62, "unterminated string literal")]
    public async Task Engine_errors_come_back_with_their_code_and_status(string sql, int status, int code, string expected)
    {
        var answer = await Curl([.. Writer, Base + "/", "--data-binary", sql]);
        Assert.Equal((status, code.ToString(System.Globalization.CultureInfo.InvariantCulture)), (answer.Status, answer.Headers["X-ClickHouse-Exception-Code"]));
        Assert.Contains(expected, answer.Body);
        Assert.False(answer.Headers.ContainsKey("X-ClickHouse-Format"));
    }

    [Fact]
    public async Task Settings_database_and_parameters_hold_for_one_statement_only()
    {
        var simple = await Curl([.. Writer, $"{Base}/?date_time_output_format=simple&query={Q("SELECT toDateTime(0, 'UTC')")}"]);
        Assert.Equal("1970-01-01 00:00:00\n", simple.Body);
        // The store's own session setting (ISO) is back for the next statement, whoever sends it.
        Assert.Equal("1970-01-01T00:00:00Z\n", (await Curl([.. Writer, $"{Base}/?query={Q("SELECT toDateTime(0, 'UTC')")}"])).Body);
        var db = $"db_{Guid.NewGuid():N}";
        await Curl([.. Writer, Base + "/", "--data-binary", $"CREATE DATABASE {db}"]);
        Assert.Equal($"{db}\n", (await Curl([.. Writer, $"{Base}/?database={db}&query={Q("SELECT currentDatabase()")}"])).Body);
        Assert.Equal("default\n", (await Curl([.. Writer, $"{Base}/?query={Q("SELECT currentDatabase()")}"])).Body);
        Assert.Equal("6\n", (await Curl([.. Writer, $"{Base}/?param_x=5&query={Q("SELECT {x:UInt8} + 1")}"])).Body);
        var unknown = await Curl([.. Writer, $"{Base}/?no_such_setting=1&query={Q("SELECT 1")}"]);
        Assert.Equal("115", unknown.Headers["X-ClickHouse-Exception-Code"]);
    }

    [Fact]
    public async Task A_reader_runs_selects_within_its_budget_and_nothing_else()
    {
        Assert.Equal("3\n", (await Curl([.. Reader, $"{Base}/?query={Q("SELECT count() FROM numbers(3)")}"])).Body);
        var insert = await Curl([.. Reader, Base + "/", "--data-binary", "CREATE TABLE x (a UInt8) ENGINE = Memory"]);
        Assert.Equal(("164", 500), (insert.Headers["X-ClickHouse-Exception-Code"], insert.Status));
        Assert.Contains("Cannot execute query in readonly mode. user analyst has the read role", insert.Body);
        var over = await Curl([.. Reader, $"{Base}/?query={Q("SELECT number FROM numbers(5000)")}"]);
        Assert.Equal("396", over.Headers["X-ClickHouse-Exception-Code"]);
        Assert.Contains("TOO_MANY_ROWS_OR_BYTES", over.Body);
        var settings = await Curl([.. Reader, $"{Base}/?readonly=0&query={Q("SELECT 1")}"]);
        Assert.Contains("Cannot modify 'readonly' setting in readonly mode", settings.Body);
        var clause = await Curl([.. Reader, $"{Base}/?query={Q("SELECT * FROM (SELECT 1 SETTINGS readonly = 0)")}"]);
        Assert.Equal("164", clause.Headers["X-ClickHouse-Exception-Code"]);
        // GET is read-only for everyone, as in ClickHouse.
        var get = await Curl([.. Writer, $"{Base}/?query={Q("CREATE TABLE y (a UInt8) ENGINE = Memory")}"]);
        Assert.Contains("method GET implies readonly", get.Body);
    }

    [Fact]
    public async Task A_client_that_hangs_up_leaves_the_interface_serving_others()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };
        http.DefaultRequestHeaders.Add("X-ClickHouse-User", EndpointFixture.Writer);
        http.DefaultRequestHeaders.Add("X-ClickHouse-Key", endpoint.WriterToken);
        await Assert.ThrowsAnyAsync<Exception>(() => http.PostAsync($"{Base}/", new StringContent("SELECT sleepEachRow(0.1) FROM numbers(20)")));
        var after = await Curl([.. Writer, $"{Base}/?query={Q("SELECT 42")}"]);
        Assert.Equal((200, "42\n"), (after.Status, after.Body));
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient().GetAsync($"{Base}/ping")).StatusCode);
    }

    [Fact]
    public async Task A_client_that_hangs_up_on_an_arrow_stream_cancels_its_query()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-ClickHouse-User", EndpointFixture.Writer);
        http.DefaultRequestHeaders.Add("X-ClickHouse-Key", endpoint.WriterToken);
        // Ten billion rows would take the engine many minutes; the client reads a little and goes away.
        using (var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{Base}/") { Content = new StringContent("SELECT number FROM numbers(10000000000) FORMAT ArrowStream") },
            HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal("ArrowStream", response.Headers.GetValues("X-ClickHouse-Format").Single());
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[1 << 16];
            Assert.True(await body.ReadAsync(buffer) > 0);
        }
        // The engine runs one statement at a time: the next answers only once the abandoned one was cancelled.
        var next = await Curl([.. Writer, $"{Base}/?query={Q("SELECT 42")}"]).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("42\n", next.Body);
    }
}
