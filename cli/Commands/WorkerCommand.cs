using System.CommandLine;
using System.Diagnostics;
using CroweLogic.Flow.Activities;
using CroweLogic.Flow.Cli.Worker;
using CroweLogic.Flow.Host.Workers;
using CroweLogic.Flow.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Temporalio.Extensions.Hosting;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow worker</c>: runs the governance workflows and their activities (on the store and signing key the options name) until Ctrl+C, then drains in-flight tasks.</summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var queues = new Option<string[]>("--task-queue", "-q") { Description = "Task queue(s) to poll", DefaultValueFactory = _ => [FlowWorkers.DefaultQueue] };
        var trace = new Option<bool>("--trace") { Description = "Print workflow and activity spans to stderr" };
        var otel = TelemetryExport.Option();
        var laneQueue = new Option<string?>("--lane-queue")
        {
            Description = "This worker's own task queue, where the stages of lanes it claims and their incident actions go (default: $FLOW_LANE_QUEUE, then flow-lanes@<host>-<pid>; name one to keep it across restarts)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FLOW_LANE_QUEUE") is { Length: > 0 } q ? q : null,
        };
        var command = new Command("worker", "Run workflows and activities (graceful shutdown on Ctrl+C)") { queues, laneQueue, trace, otel, WorkerSigner.Command, WorkerSigner.PublicKey };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            using var listener = parse.GetValue(trace) ? SpanPrinter() : null;
            using var telemetry = TelemetryExport.Start(parse.GetValue(otel), TracingInterceptor.SourceName);
            // The signer first: a wrong key or tool is an operator's mistake to report before anything else starts.
            using var signer = await WorkerSigner.OpenAsync(parse, ct);
            var connection = await GlobalOptions.ConnectTemporalAsync(parse, ct);
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            var services = new GovernanceServices(store, signer.Signer, $"worker@{Environment.MachineName}", parse.GetValue(laneQueue));
            var keyId = Contracts.Registry.SigningKeys.KeyId(signer.Signer.PublicKey);
            var trusted = (await services.Registry.TrustStoreAsync(ct)).Keys.ContainsKey(keyId);
            Console.Error.WriteLine($"flow: signing key {keyId} ({signer.Description}){(trusted ? "" : " is NOT trusted by the registry: signing activities will be refused until it is (flow run trusts its development key)")}");
            await using (connection.ConfigureAwait(false))
            {
                // The generic host runs one hosted worker per queue and stops them together on Ctrl+C, draining
                // in-flight tasks for up to the graceful-shutdown timeout.
                var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
                builder.Logging.ClearProviders();
                builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(35));
                builder.Services.AddSingleton(connection.Client);
                var polled = FlowWorkers.QueuesWithLane(parse.GetValue(queues)!, services);
                foreach (var queue in polled)
                {
                    builder.Services.AddHostedTemporalWorker(queue).ConfigureOptions(options => FlowWorkers.Configure(options, services));
                }
                using var host = builder.Build();
                Console.WriteLine($"worker polling {string.Join(", ", parse.GetValue(queues)!)} (lane queue {services.LaneQueue}) on {connection.Description} (Ctrl+C to stop)");
                try
                {
                    await host.RunAsync(ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                }
                Console.WriteLine("worker stopped");
            }
            return 0;
        }));
        return command;
    }

    private static ActivityListener SpanPrinter()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TracingInterceptor.SourceName, // a constant: listeners run inside other sources' static constructors
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => Console.Error.WriteLine($"span {a.DisplayName} {a.Duration.TotalMilliseconds:F1} ms {string.Join(" ", a.Tags.Select(t => $"{t.Key}={t.Value}"))}"),
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
