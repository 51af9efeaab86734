using CroweLogic.Flow.Host.Workers;
using System.Globalization;
using CroweLogic.Flow.Activities;
using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Activities.Rollout;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Registry;
using CroweLogic.Flow.Workflows;
using CroweLogic.Flow.Workflows.Research;
using CroweLogic.Flow.Workflows.Rollout;
using CroweLogic.Flow.Workflows.Signing;
using Spectre.Console;
using Temporalio.Client;
using Temporalio.Worker;

namespace CroweLogic.Flow.Cli.Governance;

/// <summary>
/// The research lane as <c>flow run</c> tells it: the research workflow over the baselines' grids, the signing workflow
/// (development key; the two approvals are given by the command and say so), the rollout workflow shadow → canary →
/// full over held-out data, then the KPI table and the HTML tearsheet. A worker for the governance workflows runs in
/// this process on a queue of its own.
/// </summary>
internal static class GovernanceStory
{
    /// <summary>Where research ends and each rollout stage runs.</summary>
    public sealed record Windows(string ResearchFrom, string HeldOut, IReadOnlyList<StagePlan> Stages);

    /// <summary>The research gates (deflated and probabilistic Sharpe ratio the winner must reach).</summary>
    public sealed record Gates(double MinDeflatedSharpe, double MinProbabilisticSharpe);

    /// <summary>The windows for the S&amp;P 500 daily set (1999-11 … 2021-04): research to 2019, rollout on 2019–2021.</summary>
    public static Windows SnP500 { get; } = new("1999-11-01", "2019-01-01",
    [
        new(RolloutStages.Shadow, 0, "2019-01-01", "2019-07-01"),
        new(RolloutStages.Canary, 0.05, "2019-07-01", "2020-01-01"),
        new(RolloutStages.Canary, 0.10, "2020-01-01", "2020-07-01"),
        new(RolloutStages.Full, 1.0, "2020-07-01", "2021-05-01"),
    ]);

    public static async Task<string?> RunAsync(IFlowStore store, KeyFileSigner signer, ITemporalClient client, string reportDirectory, Windows windows, Gates gates, CancellationToken ct)
    {
        var queue = $"flow-run-{Guid.NewGuid():N}";
        // One worker on one queue of this run's own: it is also the lane queue, since the lanes run in this process.
        var services = new GovernanceServices(store, signer, "flow-run", laneQueue: queue);
        var keyId = await services.Registry.TrustKeyAsync(signer.PublicKey, "development key (flow run)", "flow-run", ct);
        AnsiConsole.MarkupLine($"[yellow]note:[/] signing with the development key {keyId} ({Markup.Escape(signer.Path)}), trusted by flow run for this store; production keys come from an HSM/KMS through the command signer.");
        using var worker = new TemporalWorker(client, FlowWorkers.Configure(new TemporalWorkerOptions(queue), services));
        if (gates.MinDeflatedSharpe < 0.95 || gates.MinProbabilisticSharpe < 0.95)
        {
            AnsiConsole.MarkupLine($"[yellow]warning:[/] research gates lowered on the command line (DSR ≥ {gates.MinDeflatedSharpe}, PSR ≥ {gates.MinProbabilisticSharpe}): a winner below 0.95 is a best-of-N pick, and its performance card records the DSR it had.");
        }
        return await worker.ExecuteAsync(() => StoryAsync(services, client, queue, reportDirectory, windows, gates, ct), ct);
    }

    private static async Task<string?> StoryAsync(GovernanceServices services, ITemporalClient client, string queue, string reportDirectory, Windows windows, Gates gates, CancellationToken ct)
    {
        var run = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        ResearchOutcome? chosen = null;
        foreach (var (strategy, grid) in new (string, GridPoint[])[] { ("momentum", [new(252, 21), new(126, 21), new(63, 5)]), ("mean-reversion", [new(5, 0), new(10, 0), new(20, 0)]) })
        {
            var request = new ResearchRequest("CR-001", strategy, grid, windows.ResearchFrom, windows.HeldOut, gates.MinDeflatedSharpe, gates.MinProbabilisticSharpe);
            var outcome = await Step($"research: {strategy}, {grid.Length} trials in parallel on {windows.ResearchFrom}..{windows.HeldOut} (gates: DSR ≥ {request.MinDeflatedSharpe}, PSR ≥ {request.MinProbabilisticSharpe})",
                () => client.ExecuteWorkflowAsync((ResearchWorkflow w) => w.RunAsync(request), new WorkflowOptions($"research-{strategy}-{run}", queue)));
            var table = new Table().AddColumns("trial", "sessions", "Sharpe/session", "annualised", "PSR", "orders");
            foreach (var t in outcome.Trials)
            {
                table.AddRow(t.Candidate.Name, t.Sessions.ToString(CultureInfo.InvariantCulture), F(t.SharpePerPeriod, "F4"), F(t.SharpePerPeriod * Math.Sqrt(252), "F2"), F(t.ProbabilisticSharpe, "F3"), t.Orders.ToString(CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape(outcome.Reason));
            if (outcome.ArtifactHash is not null && chosen is null) chosen = outcome;
        }
        if (chosen is null)
        {
            AnsiConsole.MarkupLine("[yellow]No research candidate passed the gates: nothing is signed or rolled out (by design: no naive best-of-N). `flow run --min-dsr 0 --min-psr 0` takes the best trial through signing and rollout anyway, recorded as such.[/]");
            return null;
        }
        var hash = chosen.ArtifactHash!;

        var signing = await client.StartWorkflowAsync((ModelSigningWorkflow w) => w.RunAsync(new SigningRequest(hash, 2, TimeSpan.FromDays(7))),
            new WorkflowOptions($"signing-{run}", queue) { StaticSummary = $"Signing of {hash[..19]}…: checks, two approvals, signature" });
        AnsiConsole.MarkupLine("[yellow]note:[/] approvals below are given by flow run itself (demo on the embedded defaults); in production two people send them with `flow workflow signal <id> approve -i '{\"Who\":\"…\",\"Note\":\"…\"}'`.");
        await signing.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("demo-risk-officer", "given by flow run: risk caps reviewed")));
        await signing.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("demo-portfolio-manager", "given by flow run: performance card reviewed")));
        var signed = await Step($"signing {hash[..19]}…: checks (policy, risk caps, reproducible re-run, clean lane), two approvals, sign, publish", () => signing.GetResultAsync());
        foreach (var c in signed.Checks) AnsiConsole.MarkupLine(Markup.Escape($"  {(c.Passed ? "✓" : "✗")} {c.Name}: {c.Detail}"));
        AnsiConsole.MarkupLine(Markup.Escape(signed.Reason));
        if (!signed.Published) return null;

        var plan = new RolloutPlan(hash, windows.Stages, new Guardrails());
        var rollout = await client.StartWorkflowAsync((RolloutWorkflow w) => w.RunAsync(plan), new WorkflowOptions($"rollout-{run}", queue)
        {
            StaticSummary = $"Rollout of {hash[..19]}…: {string.Join(" → ", windows.Stages.Select(s => $"{s.Stage} {s.CapitalFraction:P0}"))}",
            StaticDetails = $"Research pick ({chosen.Reason}); guardrails per §10; the `status` query and the FlowStage, FlowModel and FlowCapitalFraction search attributes show where it is.",
        });
        var status = await Step($"rollout {rollout.Id}: {string.Join(" → ", windows.Stages.Select(s => $"{s.Stage} {s.CapitalFraction:P0} ({s.From}..{s.To})"))}", async () =>
        {
            // Full capital waits for an approval: flow run gives it once the canary stages passed, and says so.
            while (true)
            {
                var s = await rollout.QueryAsync(w => w.Status);
                if (s is not null && s.Reason.StartsWith("waiting for approval", StringComparison.Ordinal))
                {
                    AnsiConsole.MarkupLine("[yellow]note:[/] flow run approves the full stage itself (demo); canary KPIs passed every guardrail.");
                    await rollout.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("demo-portfolio-manager", "given by flow run after the canary passed")));
                    return await rollout.GetResultAsync();
                }
                var finished = await Task.WhenAny(rollout.GetResultAsync(), Task.Delay(200, ct));
                if (finished is Task<RolloutStatus> done) return await done;
            }
        });
        var stages = new Table().AddColumns("stage", "capital", "sessions", "return", "max drawdown", "slippage bps", "PSI", "KS p", "orders");
        foreach (var r in status.Reports)
        {
            stages.AddRow(r.Stage, r.CapitalFraction.ToString("P0", CultureInfo.InvariantCulture), r.Sessions.ToString(CultureInfo.InvariantCulture), r.TotalReturn.ToString("P2", CultureInfo.InvariantCulture),
                r.MaxDrawdown.ToString("P2", CultureInfo.InvariantCulture), r.SlippageBps.ToString("F2", CultureInfo.InvariantCulture), F(r.Psi, "F3"), F(r.KsPValue, "G3"), r.Orders.ToString(CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(stages);
        AnsiConsole.MarkupLine($"rollout outcome: [bold]{Markup.Escape(status.Stage)}[/], capital {status.CapitalFraction:P0}: {Markup.Escape(status.Reason)}");

        var sessions = await Tearsheet.ReadAsync(services.Store, rollout.Id, ct);
        var live = sessions.Where(s => s.Stage != RolloutStages.Shadow).Select(s => new DailyResult(s.Ts, s.Return, s.Traded, s.Gross, s.Fees, s.Spread, s.Impact, s.Slippage)).ToList();
        // The KPIs' capacity estimate scales from the equity the signed policy trades.
        var artifact = await services.Registry.FindAsync(hash, ct) ?? throw new InvalidOperationException($"no artifact {hash} in the registry");
        var kpis = BacktestKpis.Compute(live, PolicyLoader.Parse(artifact.PolicyYaml, $"artifact {hash}").CostsOrDefault.InitialEquity);
        var table2 = new Table().Title("[bold]live KPIs (canary + full sessions)[/]").AddColumns("metric", "value");
        foreach (var (metric, value) in kpis) table2.AddRow(metric, value.ToString("G6", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table2);
        return Tearsheet.Write(Path.Combine(reportDirectory, $"tearsheet-{rollout.Id}.html"), $"CroweLogic.Flow rollout {rollout.Id} ({hash[..19]}…)", chosen, status, sessions, kpis);
    }

    private static async Task<T> Step<T>(string title, Func<Task<T>> body)
    {
        AnsiConsole.MarkupLine($"[bold]▶ {Markup.Escape(title)}[/]");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await body();
        AnsiConsole.MarkupLine($"  done in {clock.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    private static string F(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}
