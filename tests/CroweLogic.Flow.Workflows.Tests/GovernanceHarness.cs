using System.Globalization;
using System.Text;
using CroweLogic.Flow.Activities;
using CroweLogic.Flow.Activities.Registry;
using CroweLogic.Flow.Storage.Embedded;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Migrations;
using CroweLogic.Flow.Storage.Registry;
using CroweLogic.Flow.Tests.Shared;
using CroweLogic.Flow.Temporal;
using CroweLogic.Flow.Workflows.Research;
using CroweLogic.Flow.Workflows.Signing;
using Temporalio.Client;
using Temporalio.Worker;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>
/// A real embedded store loaded with a synthetic daily universe (optionally with an injected crash of the strongest
/// trenders), a trusted development key, the in-process Temporal service (time-skipping) and a real worker running the
/// governance workflows and activities.
/// </summary>
public sealed class GovernanceHarness : IAsyncDisposable
{
    public const string Queue = "governance";
    public const string ResearchFrom = "2015-01-01";
    public const string ResearchTo = "2019-01-01";

    private readonly TempDirectory _dir;
    private readonly KeyFileSigner _signer;
    private readonly TemporalWorker _worker;
    private readonly Task _running;
    private readonly CancellationTokenSource _stop = new();

    private GovernanceHarness(TempDirectory dir, EmbeddedClickHouseStore store, KeyFileSigner signer, DurableTemporal temporal)
    {
        _dir = dir;
        Store = store;
        _signer = signer;
        Temporal = temporal;
        Services = new GovernanceServices(store, signer, "test-worker", laneQueue: Queue);
        _worker = new TemporalWorker(temporal.Client, FlowWorkflows.AddTo(new TemporalWorkerOptions(Queue), Services));
        _running = _worker.ExecuteAsync(_stop.Token);
    }

    public EmbeddedClickHouseStore Store { get; }

    public GovernanceServices Services { get; }

    public DurableTemporal Temporal { get; }

    public TemporalClient Client => Temporal.Client;

    /// <param name="crashFrom">When set, the ten strongest trenders lose 15 % a session for five sessions from this day.</param>
    /// <param name="uiDirectory">Serve this built Web UI (and the HTTP API) from the Temporal service, with the flow search attributes registered.</param>
    public static async Task<GovernanceHarness> StartAsync(DateOnly? crashFrom = null, string? uiDirectory = null)
    {
        var dir = new TempDirectory("flow-gov-");
        var store = EmbeddedClickHouseStore.Open(Path.Combine(dir.Path, "store"));
        await SchemaMigrator.MigrateAsync(store);
        var csv = Directory.CreateDirectory(Path.Combine(dir.Path, "daily")).FullName;
        WriteUniverse(csv, crashFrom);
        await SnP500DailyImporter.ImportAsync(store, csv);
        var signer = KeyFileSigner.Open(Path.Combine(dir.Path, "dev.pem"), create: true);
        var temporal = await DurableTemporal.StartAsync(timeSkipping: true, uiDirectory: uiDirectory);
        if (uiDirectory is not null) await Host.SearchAttributeRegistration.EnsureAsync(temporal.Client);
        var harness = new GovernanceHarness(dir, store, signer, temporal);
        await harness.Services.Registry.TrustKeyAsync(signer.PublicKey, "test desk", "test");
        return harness;
    }

    /// <summary>Research (the momentum grid with the gates open unless given), then signing with two approvers: a published artifact.</summary>
    public async Task<string> PublishedCandidateAsync(string id, ResearchRequest? request = null)
    {
        var research = await Client.ExecuteWorkflowAsync((ResearchWorkflow w) => w.RunAsync(request ?? Research(0, 0)), Options($"{id}-research"));
        var hash = research.ArtifactHash ?? throw new InvalidOperationException(research.Reason);
        var signing = await Client.StartWorkflowAsync((ModelSigningWorkflow w) => w.RunAsync(new SigningRequest(hash, 2, TimeSpan.FromDays(2))), Options($"{id}-signing"));
        await signing.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("alice", "risk reviewed")));
        await signing.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("bob", "pm sign-off")));
        var outcome = await signing.GetResultAsync();
        return outcome.Published ? hash : throw new InvalidOperationException(outcome.Reason);
    }

    public static ResearchRequest Research(double minDsr, double minPsr) =>
        new("CR-TEST", "momentum", [new(252, 21), new(126, 21), new(63, 5)], ResearchFrom, ResearchTo, minDsr, minPsr);

    public static WorkflowOptions Options(string id) => new(id, Queue);

    /// <summary>Replays a finished workflow's recorded history on the current workflow code: a determinism check.</summary>
    public async Task AssertReplaysAsync(string workflowId)
    {
        var history = await Client.GetWorkflowHandle(workflowId).FetchHistoryAsync();
        // FLOW_RECORD_HISTORIES=<dir>: keep the history for the committed replay set (ReplayTests replays every file there).
        if (Environment.GetEnvironmentVariable("FLOW_RECORD_HISTORIES") is { Length: > 0 } record) await File.WriteAllTextAsync(Path.Combine(record, $"{workflowId}.json"), history.ToJson());
        var result = await new WorkflowReplayer(ReplayTests.Options([.. FlowWorkflows.All])).ReplayWorkflowAsync(history, throwOnReplayFailure: false);
        Assert.True(result.ReplayFailure is null, $"{workflowId} does not replay: {result.ReplayFailure}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
        _worker.Dispose();
        await Temporal.DisposeAsync();
        Store.Dispose();
        _signer.Dispose();
        _dir.Dispose();
    }

    /// <summary>
    /// 40 instruments, business days 2015–2020, geometric random walks whose drifts spread from −20 % to +20 % a year
    /// (so cross-sectional momentum has something to find), written as Alpha Vantage daily-adjusted CSVs. With
    /// <paramref name="crashFrom"/>, the ten names with the best 12-1 momentum on that day — the ones the strategy holds
    /// long — lose 15 % a session for five sessions.
    /// </summary>
    private static void WriteUniverse(string directory, DateOnly? crashFrom)
    {
        const int symbols = 40;
        var days = new List<DateOnly>();
        for (var d = new DateOnly(2015, 1, 2); d < new DateOnly(2021, 1, 1); d = d.AddDays(1))
        {
            if (d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday) days.Add(d);
        }
        var closes = new double[symbols][];
        for (var i = 0; i < symbols; i++)
        {
            var random = new Random(1000 + i);
            var drift = (i - symbols / 2) * 0.2 / (symbols / 2) / 252;
            closes[i] = new double[days.Count];
            var price = 50.0;
            for (var t = 0; t < days.Count; t++)
            {
                var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                closes[i][t] = price *= Math.Exp(drift + 0.015 * z);
            }
        }
        if (crashFrom is { } c)
        {
            var at = days.FindIndex(d => d >= c);
            foreach (var i in Enumerable.Range(0, symbols).OrderByDescending(i => closes[i][at - 21] / closes[i][at - 252]).Take(10))
            {
                for (var t = at; t < days.Count; t++) closes[i][t] *= Math.Pow(0.85, Math.Min(5, t - at + 1));
            }
        }
        for (var i = 0; i < symbols; i++)
        {
            var text = new StringBuilder("timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient\n");
            for (var t = 0; t < days.Count; t++)
            {
                var (open, close) = (t == 0 ? 50.0 : closes[i][t - 1], closes[i][t]);
                var (high, low) = (Math.Max(open, close) * 1.002, Math.Min(open, close) * 0.998);
                text.Append(CultureInfo.InvariantCulture, $"{days[t]:yyyy-MM-dd},{open:F4},{high:F4},{low:F4},{close:F4},{close:F4},{200_000 + 1000 * i},0.0,1.0\n");
            }
            File.WriteAllText(Path.Combine(directory, $"DA-S{i:D2}-T-2020-12-31.csv"), text.ToString());
        }
    }
}
