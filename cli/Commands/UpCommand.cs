using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using CroweLogic.Flow.Gateways.ClickHouseHttp;
using CroweLogic.Flow.Gateways.Flight;
using CroweLogic.Flow.Cli.Worker;
using CroweLogic.Flow.Host;
using CroweLogic.Flow.Host.Workers;
using CroweLogic.Flow.Host.Live;
using CroweLogic.Flow.Cli.Live;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;
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
        var livePolicy = new Option<string?>("--live-policy") { Description = "Run a live lane in the platform with this policy file (YAML): its orders, fills, PnL and risk events go to the platform's store as it runs, its metrics to the platform's endpoints" };
        var liveFeed = new Option<string?>("--live-feed") { Description = "The live lane's market data: fix://host:port[?sender=&target=] or binance|binance-testnet[?rest=&stream=]" };
        var liveVenue = new Option<string?>("--live-venue") { Description = $"Where the live lane's orders go: {VenueSpec.Forms} (default: the feed's own venue)" };
        var liveSymbols = new Option<string?>("--live-symbols") { Description = "The live lane's instruments, comma-separated" };
        var liveStatus = new Option<double>("--live-status-every") { Description = "Seconds between the live lane's status lines", DefaultValueFactory = _ => 10 };
        var command = new Command("up", "Run the platform on the data directory: the store, the ClickHouse HTTP interface, Arrow Flight, the durable embedded Temporal service and workers, for every client at once (SIGTERM or Ctrl+C stops it)")
        {
            bind, httpPort, flightPort, metricsPort, otel, accessFile, maxRows, maxBytes, timeout, temporalPort, uiPort, queues, noWorkers, WorkerSigner.Command, WorkerSigner.PublicKey,
            livePolicy, liveFeed, liveVenue, liveSymbols, liveStatus,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address)) throw new FlightConfigurationException($"--bind {parse.GetValue(bind)} is not an IP address");
            if (parse.GetValue(otel) == "console") throw new ArgumentException("--otel console is not offered by flow up: its metrics are at the Prometheus endpoint; --otel otlp exports them (and spans) over OTLP too");
            var dir = parse.GetValue(GlobalOptions.DataDir) ?? FlowStores.DefaultDataDirectory;
            // Checked before anything starts: a platform that cannot run the lane it was asked for does not come up.
            var lane = LiveLane(parse.GetValue(livePolicy), parse.GetValue(liveFeed), parse.GetValue(liveVenue), parse.GetValue(liveSymbols), parse.GetValue(liveStatus));
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
            // Ctrl+C as well: System.CommandLine's own handler never saw SIGINT in a running platform (it kept serving).
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
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
            if (lane is not null)
                Console.WriteLine($"  live lane        {lane.RunId}: policy {lane.Policy.Id}, feed {lane.Feed}, venue {lane.Venue?.ToString() ?? "the feed's own"}, {string.Join(",", lane.Symbols)} (records to the store every {lane.PersistEvery.TotalSeconds:0.#} s)");
            Console.WriteLine("  stop             SIGTERM or Ctrl+C");
            var live = lane is null ? null : RunLaneAsync(lane with { Store = platform.Store }, stop.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            var code = 0;
            if (live is not null)
            {
                Console.WriteLine("flow up: stopping the live lane (cancelling its working orders at the venue)");
                code = await live;
            }
            Console.WriteLine("flow up: stopping (draining workers and requests, closing the Temporal journal and the store)");
            return code;
        }));
        return command;
    }

    // The live lane's session, from the options that name it (null when none is asked for).
    private static LiveSessionOptions? LiveLane(string? policy, string? feed, string? venue, string? symbols, double statusEvery)
    {
        if (policy is null)
        {
            if (feed is not null || venue is not null || symbols is not null) throw new ArgumentException("--live-feed, --live-venue and --live-symbols describe a live lane: name its policy with --live-policy");
            return null;
        }
        if (feed is null) throw new ArgumentException("--live-policy needs --live-feed (the lane's market data)");
        FeedSpec feedSpec;
        VenueSpec? venueSpec;
        try
        {
            feedSpec = FeedSpec.Parse(feed);
            venueSpec = venue is null ? null : VenueSpec.Parse(venue);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"--live-{e.Message}");
        }
        if (feedSpec.Kind == FeedKind.Simulated)
            throw new ArgumentException("--live-feed sim: the platform trades real feeds; run the simulated exchange as its own venue (flow sim-exchange --port P) and use --live-feed fix://127.0.0.1:P");
        var names = OptionValues.List(symbols) is { Length: > 0 } given ? given : throw new ArgumentException("--live-policy needs --live-symbols (the instruments to subscribe to)");
        if (!(statusEvery > 0)) throw new ArgumentException($"--live-status-every must be a positive number of seconds, got {statusEvery}");
        return new LiveSessionOptions(PolicyLoader.Load(policy), feedSpec, venueSpec, names)
        {
            RunId = $"live-up-{DateTime.UtcNow:yyyyMMdd-HHmmss}",
            StatusEvery = TimeSpan.FromSeconds(statusEvery),
        };
    }

    // Runs until the platform stops; a lane that fails is reported and the platform keeps serving everyone else.
    private static async Task<int> RunLaneAsync(LiveSessionOptions options, CancellationToken stop)
    {
        try
        {
            var result = await LiveSession.RunAsync(options, line => Console.WriteLine(line), stop);
            return LiveSummary.Print(result, $"live lane {options.RunId}: ");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var (code, message) = CliErrors.Describe(e);
            Console.Error.WriteLine($"flow: error: live lane {options.RunId} stopped: {message} (the platform keeps serving)");
            return code;
        }
    }
}
