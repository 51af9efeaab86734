using System.Diagnostics;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Core;
using Grpc.Net.Client;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary><c>flow serve</c> as a process: a generated token in a user-only file admits a real Flight client.</summary>
public class ServeCommandTests
{
    [Fact]
    public async Task Serve_writes_a_private_token_and_answers_flight_clients()
    {
        using var data = new CroweLogic.Flow.Tests.Shared.TempDirectory("flow-serve-");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "flow.dll"), "serve", "--port", "0", "--data-dir", data.Path }) psi.ArgumentList.Add(a);
        psi.Environment.Remove("FLOW_FLIGHT_TOKEN");
        using var serve = Process.Start(psi)!;
        var stderr = new System.Collections.Concurrent.ConcurrentQueue<string>();
        serve.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Enqueue(e.Data); };
        serve.BeginErrorReadLine();
        try
        {
            string? location = null;
            while (location is null)
            {
                var line = await serve.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120));
                Assert.True(line is not null, $"flow serve exited; stderr: {string.Join(" | ", stderr)}");
                if (line!.StartsWith("flow serve: Arrow Flight on ", StringComparison.Ordinal)) location = line.Split(' ')[5];
            }
            var tokenFile = Path.Combine(data.Path, "flight-token");
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));

            using var channel = GrpcChannel.ForAddress(location);
            var client = new FlightClient(channel);
            var denied = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var call = client.ListFlights(new FlightCriteria(), new Metadata());
                await call.ResponseStream.MoveNext(default);
            });
            Assert.Equal(StatusCode.Unauthenticated, denied.StatusCode);

            var headers = new Metadata { { "authorization", "Bearer " + File.ReadAllText(tokenFile).Trim() } };
            using var get = client.GetStream(new FlightTicket("SELECT count() AS tables FROM system.tables WHERE database = currentDatabase() AND name = 'trades'"), headers);
            Assert.True(await get.ResponseStream.MoveNext(default));
            Assert.Equal(1UL, ((Apache.Arrow.UInt64Array)get.ResponseStream.Current.Column(0)).GetValue(0));
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Serve_refuses_an_invalid_access_file_with_the_reason()
    {
        using var flow = new FlowProcess();
        var access = Path.Combine(flow.DataDir, "access.json");
        await File.WriteAllTextAsync(access, """{"principals": [{"name": "a", "role": "admin", "token": "0123456789abcdef"}]}""");
        var (exit, _, err) = await flow.RunAsync("serve", "--port", "0", "--access-file", access);
        Assert.Equal(2, exit);
        Assert.Contains("role 'admin' is not read or read_write", err);
    }
}
