using System.Diagnostics;
using System.Text.Json;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Gateways.ClickHouseHttp.Tests;

/// <summary>ClickHouse's official JavaScript client (<c>@clickhouse/client</c> from npm, tests/peers/clickhouse-js) against the interface.</summary>
public class ClickHouseJsClientTests(EndpointFixture endpoint)
{
    private static readonly string Peer = Path.Combine(SharedPaths.RepositoryRoot, "tests", "peers", "clickhouse-js");

    private static async Task<(int Code, string Out, string Err)> Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = Peer, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task The_official_JavaScript_client_pings_creates_inserts_selects_and_reads_errors_plain_and_compressed()
    {
        if (!File.Exists(Path.Combine(Peer, "node_modules", "@clickhouse", "client", "package.json")))
        {
            var install = await Run("npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
            Assert.True(install.Code == 0, $"npm install failed: {install.Err}");
        }
        var (code, stdout, stderr) = await Run("node", "check.mjs", endpoint.Location.ToString(), EndpointFixture.Writer, endpoint.WriterToken, $"js_{Guid.NewGuid():N}");
        Assert.True(code == 0, $"node check.mjs exited {code}: {stderr}\n{stdout}");
        var steps = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(8, steps.Count);
        foreach (var run in steps.Chunk(4))
        {
            Assert.True(run[0].GetProperty("value").GetBoolean());
            Assert.Equal("[{\"id\":1,\"name\":\"ibm\",\"px\":185.5},{\"id\":2,\"name\":\"aig\",\"px\":49.25}]", run[1].GetProperty("value").GetRawText());
            Assert.True(run[2].GetProperty("value").GetBoolean());
            var error = run[3].GetProperty("value");
            Assert.Equal(("60", "UNKNOWN_TABLE"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString()));
        }
    }
}
