using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CroweLogic.Flow.Temporal;
using Temporalio.Client;
using Temporalio.Testing;

namespace CroweLogic.Flow.Cli.Temporal;

/// <summary>
/// Finds a Temporal service for a command, in order: <c>--temporal</c> / <c>TEMPORAL_ADDRESS</c>; a Temporal CLI
/// (<c>TEMPORAL_CLI_PATH</c> or <c>temporal</c> on PATH) started as a dev server with a SQLite file in the data
/// directory; the SDK's own dev server (downloaded on first use); and only when all of those fail, the in-process
/// service, announced on stderr as not durable. Whatever it started is stopped on dispose.
/// </summary>
internal sealed class TemporalConnection : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owned;

    private TemporalConnection(ITemporalClient client, string description, bool durable, IAsyncDisposable? owned)
    {
        Client = client;
        Description = description;
        Durable = durable;
        _owned = owned;
    }

    public ITemporalClient Client { get; }

    public string Description { get; }

    public bool Durable { get; }

    public static async Task<TemporalConnection> ResolveAsync(string? address, string dataDir, CancellationToken cancellationToken)
    {
        address ??= Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS");
        if (!string.IsNullOrWhiteSpace(address))
        {
            var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(address) { Namespace = Environment.GetEnvironmentVariable("TEMPORAL_NAMESPACE") ?? "default" }).ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("TEMPORAL_UI_ADDRESS") is { Length: > 0 } ui) Console.Error.WriteLine($"Temporal Web UI: {ui}");
            return new TemporalConnection(client, $"Temporal at {address}", durable: true, owned: null);
        }
        if (FindCli() is { } cli)
        {
            var devServer = await CliDevServer.StartAsync(cli, Path.Combine(dataDir, "temporal.db"), cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"Temporal dev server (Temporal CLI, {devServer.Target}, SQLite {Path.Combine(dataDir, "temporal.db")}); Web UI: http://127.0.0.1:{devServer.UiPort}");
            var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(devServer.Target)).ConfigureAwait(false);
            return new TemporalConnection(client, $"Temporal CLI dev server at {devServer.Target}", durable: true, devServer);
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var environment = await WorkflowEnvironment.StartLocalAsync(new WorkflowEnvironmentStartLocalOptions
            {
                DownloadDirectory = Path.Combine(dataDir, "temporal-dev-server"),
                DevServerOptions = new DevServerOptions { DatabaseFilename = Path.Combine(dataDir, "temporal.db"), ExtraArgs = SearchAttributeArgs() },
                UI = true,
            }).WaitAsync(timeout.Token).ConfigureAwait(false);
            Console.Error.WriteLine($"Temporal dev server (SDK download) at {environment.Client.Connection.Options.TargetHost}; Web UI: http://127.0.0.1:8233");
            return new TemporalConnection(environment.Client, "SDK dev server", durable: true, environment);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"flow: warning: no Temporal server reachable and none could be started ({FirstLine(e.Message)}); using the in-process Temporal service, which is NOT durable: workflows end with this process");
        }
        var service = await EmbeddedTemporalService.StartAsync().ConfigureAwait(false);
        return new TemporalConnection(service.Client, $"in-process Temporal service at {service.Target} (not durable)", durable: false, service);
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null) await _owned.DisposeAsync().ConfigureAwait(false);
    }

    private static string? FindCli()
    {
        if (Environment.GetEnvironmentVariable("TEMPORAL_CLI_PATH") is { Length: > 0 } path && File.Exists(path)) return path;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "temporal");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    // The governance workflows' search attributes must exist on the server before a workflow upserts them.
    private static List<string> SearchAttributeArgs() =>
        [.. CroweLogic.Flow.Workflows.FlowSearchAttributes.All.SelectMany(a => new[] { "--search-attribute", $"{a.Name}={a.Type}" })];

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>`temporal server start-dev` on free ports with a SQLite file, stopped on dispose.</summary>
    private sealed class CliDevServer(Process process, int port, int uiPort) : IAsyncDisposable
    {
        public string Target => $"127.0.0.1:{port}";

        public int UiPort => uiPort;

        public static async Task<CliDevServer> StartAsync(string cli, string database, CancellationToken cancellationToken)
        {
            var (port, uiPort) = (FreePort(), FreePort());
            var psi = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "server", "start-dev", "--db-filename", database, "--port", port.ToString(), "--ui-port", uiPort.ToString(), "--ip", "127.0.0.1" }) psi.ArgumentList.Add(a);
            foreach (var a in SearchAttributeArgs()) psi.ArgumentList.Add(a);
            var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {cli}");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                if (process.HasExited) throw new InvalidOperationException($"{cli} server start-dev exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false)}");
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                    return new CliDevServer(process, port, uiPort);
                }
                catch (SocketException)
                {
                    await Task.Delay(200, cancellationToken).ConfigureAwait(false);
                }
            }
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{cli} server start-dev did not listen on {port} within 30 s");
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
