using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using CroweLogic.Flow.Gateways.ClickHouseHttp;
using CroweLogic.Flow.Gateways.Flight;
using CroweLogic.Flow.Cli.Worker;
using CroweLogic.Flow.Host;
using CroweLogic.Flow.Host.Workers;
using CroweLogic.Flow.Temporal.HttpApi;
using CroweLogic.Flow.Storage;
using Microsoft.Extensions.Logging;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow up</c>: the platform as one standing process on the data directory, until SIGTERM or Ctrl+C.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var bind = new Option<string>("--bind") { Description = "Address every service listens on", DefaultValueFactory = _ => "127.0.0.1" };
        var httpPort = new Option<int>("--http-port") { Description = "ClickHouse HTTP interface port (0 picks a free one)", DefaultValueFactory = _ => ClickHouseHttpOptions.DefaultPort };
        var flightPort = new Option<int>("--flight-port") { Description = "Arrow Flight port (0 picks a free one)", DefaultValueFactory = _ => FlightServiceOptions.DefaultPort };
        var metricsPort = new Option<int>("--metrics-port") { Description = "Prometheus scrape endpoint port (0 picks a free one)", DefaultValueFactory = _ => PlatformMetrics.DefaultPort };
        var otel = TelemetryExport.Option();
        var accessFile = new Option<string?>("--access-file") { Description = "JSON access file naming principals, roles and tokens (default: the read-write principal 'local' with the token in <data-dir>/flight-token)" };
        var maxRows = new Option<long>("--sql-max-rows") { Description = "Row budget of a read principal's query", DefaultValueFactory = _ => FlightBudget.Default.MaxRows };
        var maxBytes = new Option<long>("--sql-max-bytes") { Description = "Byte budget of a read principal's query", DefaultValueFactory = _ => FlightBudget.Default.MaxBytes };
        var timeout = new Option<double>("--sql-timeout") { Description = "Seconds a read principal's query may run", DefaultValueFactory = _ => FlightBudget.Default.Timeout.TotalSeconds };
        var temporalPort = new Option<int>("--temporal-port") { Description = "Embedded Temporal frontend (gRPC) port (0 picks a free one)", DefaultValueFactory = _ => PlatformOptions.DefaultTemporalPort };
        var uiPort = new Option<int>("--temporal-ui-port") { Description = "Temporal Web UI and HTTP API (/api/v1) port (0 picks a free one)", DefaultValueFactory = _ => PlatformOptions.DefaultTemporalUiPort };
        var queues = new Option<string[]>("--task-queue", "-q") { Description = "Task queue(s) the platform's workers poll", DefaultValueFactory = _ => [FlowWorkers.DefaultQueue] };
        var noWorkers = new Option<bool>("--no-workers") { Description = "Serve Temporal without running workers in the platform (run `flow worker` processes instead)" };
        var command = new Command("up", "Run the platform on the data directory: the store, the ClickHouse HTTP interface, Arrow Flight, the durable embedded Temporal service and workers, for every client at once (SIGTERM or Ctrl+C stops it)")
        {
            bind, httpPort, flightPort, metricsPort, otel, accessFile, maxRows, maxBytes, timeout, temporalPort, uiPort, queues, noWorkers, WorkerSigner.Command, WorkerSigner.PublicKey,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address)) throw new FlightConfigurationException($"--bind {parse.GetValue(bind)} is not an IP address");
            if (parse.GetValue(otel) == "console") throw new ArgumentException("--otel console is not offered by flow up: its metrics are at the Prometheus endpoint; --otel otlp exports them (and spans) over OTLP too");
            var dir = parse.GetValue(GlobalOptions.DataDir) ?? FlowStores.DefaultDataDirectory;
            using var signer = parse.GetValue(noWorkers) ? null : await WorkerSigner.OpenAsync(parse, ct);
            var options = new PlatformOptions
            {
                DataDirectory = dir,
                Bind = address,
                HttpPort = parse.GetValue(httpPort),
                FlightPort = parse.GetValue(flightPort),
                MetricsPort = parse.GetValue(metricsPort),
                Otlp = TelemetryExport.Mode(parse.GetValue(otel)) == "otlp",
                Access = parse.GetValue(accessFile) is { } file ? FlightAccessList.Load(file) : null,
                Budget = new FlightBudget(parse.GetValue(maxRows), parse.GetValue(maxBytes), TimeSpan.FromSeconds(parse.GetValue(timeout))).Validated(),
                TemporalPort = parse.GetValue(temporalPort),
                TemporalUiPort = parse.GetValue(uiPort),
                TemporalUiDirectory = TemporalUiBuild.Locate(),
                Signer = signer?.Signer,
                WorkerQueues = parse.GetValue(queues)!,
            };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                stop.Cancel();
            });
            await using var platform = await Platform.StartAsync(options, line => Console.Error.WriteLine($"flow: {line}"),
                logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning), ct);
            var announced = platform.File;
            Console.WriteLine($"flow up: pid {announced.Pid}, {platform.Store.Description}");
            Console.WriteLine($"  ClickHouse HTTP  {announced.ClickHouseHttp}   (curl -u {announced.User}:$(cat {Path.Combine(announced.DataDirectory, "flight-token")}) '{announced.ClickHouseHttp}?query=SELECT+1')");
            Console.WriteLine($"  Arrow Flight     {announced.Flight}");
            Console.WriteLine($"  Temporal         {announced.Temporal}   (durable: {platform.Temporal.JournalPath}; namespace default)");
            Console.WriteLine($"  Temporal UI      {announced.TemporalUi}   ({(options.TemporalUiDirectory is null ? "HTTP API /api/v1 only: the Web UI is not built here, ./flow setup builds it" : "Web UI and HTTP API /api/v1")})");
            Console.WriteLine($"  workers          {(platform.WorkerQueues.Count == 0 ? "none (--no-workers): run flow worker" : $"task queue {string.Join(", ", platform.WorkerQueues)}, signing key {signer!.Description}")}");
            Console.WriteLine($"  metrics          {announced.Metrics}   (Prometheus{(options.Otlp ? "; OTLP to $OTEL_EXPORTER_OTLP_ENDPOINT" : "")})");
            Console.WriteLine($"  principals       {string.Join(", ", platform.Access.Principals.Select(p => $"{p.Name} ({(p.Role == FlightRole.Read ? "read" : "read_write")})"))}");
            Console.WriteLine($"  clients          every flow command on {announced.DataDirectory} uses this platform ({PlatformFile.PathIn(announced.DataDirectory)}, mode 600)");
            Console.WriteLine("  stop             SIGTERM or Ctrl+C");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            Console.WriteLine("flow up: stopping (draining workers and requests, closing the Temporal journal and the store)");
            return 0;
        }));
        return command;
    }
}
