using System.Diagnostics;
using CroweLogic.Flow.Activities;
using CroweLogic.Flow.Activities.Rollout;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Registry;
using CroweLogic.Flow.Storage.Server;
using CroweLogic.Flow.Tests.Shared;
using CroweLogic.Flow.Workflows.Research;
using CroweLogic.Flow.Workflows.Rollout;
using CroweLogic.Flow.Workflows.Signing;
using Temporalio.Client;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary>
/// A rollout on the real S&amp;P 500 data run by <c>flow up</c>'s own workers, with <c>flow up</c> killed -9 in the
/// middle of the canary and started again: the rollout finishes, and every stage has one audit entry and one set of
/// live_sessions rows.
/// </summary>
public class PlatformRolloutTests
{
    private static async Task<long> CountAsync(IFlowStore store, string sql) =>
        long.Parse(System.Text.Encoding.UTF8.GetString(await store.QueryFormattedAsync(sql, "TabSeparated")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Kill_9_of_flow_up_during_a_canary_then_a_restart_finishes_the_rollout_with_one_record_per_stage()
    {
        using var flow = new FlowProcess();
        string[] upArgs = ["up", "--http-port", "0", "--flight-port", "0", "--metrics-port", "0", "--temporal-port", FlowProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--temporal-ui-port", "0"];
        var up = flow.Start(upArgs);
        try
        {
            var platform = await flow.WaitForPlatformAsync(up);
            var (ingested, _, ingestError) = await flow.RunAsync("ingest", Path.Combine(SharedPaths.Data, "sp500-daily", "daily_adjusted.tar.xz"));
            Assert.True(ingested == 0, ingestError);
            // The platform's workers sign with its development key: the desk trusts it, as flow run does for its own.
            using (var store = await ClickHouseServerStore.ConnectAsync(platform.ClientUrl))
            {
                var signer = KeyFileSigner.Open(Path.Combine(flow.DataDir, "keys", "dev-signing.pem"));
                await new GovernanceServices(store, signer).Registry.TrustKeyAsync(signer.PublicKey, "flow up development key (test)", "test");
            }
            var client = await TemporalClient.ConnectAsync(new(platform.Temporal));
            var request = new ResearchRequest("CR-001", "momentum", [new GridPoint(126, 21)], "1999-11-01", "2019-01-01", 0, 0);
            var research = await client.ExecuteWorkflowAsync((ResearchWorkflow w) => w.RunAsync(request), new WorkflowOptions("kill-research", "flow"));
            var hash = research.ArtifactHash ?? throw new InvalidOperationException(research.Reason);
            var signing = await client.StartWorkflowAsync((ModelSigningWorkflow w) => w.RunAsync(new SigningRequest(hash, 2, TimeSpan.FromDays(1))), new WorkflowOptions("kill-signing", "flow"));
            await signing.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("alice", "risk")));
            await signing.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("bob", "pm")));
            Assert.True((await signing.GetResultAsync()).Published);

            // The canary is paced (half a million times real time: about a minute) so the kill lands inside it.
            var plan = new RolloutPlan(hash,
            [
                new StagePlan(RolloutStages.Shadow, 0, "2019-01-01", "2019-07-01"),
                new StagePlan(RolloutStages.Canary, 0.05, "2019-07-01", "2020-01-01", Speed: 5e5),
                new StagePlan(RolloutStages.Full, 1.0, "2020-01-01", "2021-01-01"),
            ], new Guardrails(MaxDrawdown: 0.9, MaxSlippageBps: 500, MaxPsi: 10, MinKsPValue: 0, MaxErrorRate: 1), ApprovalBeforeFull: false);
            var rollout = await client.StartWorkflowAsync((RolloutWorkflow w) => w.RunAsync(plan), new WorkflowOptions("kill-rollout", "flow"));
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < deadline && (await rollout.QueryAsync(w => w.Status))?.Stage != RolloutStages.Canary) await Task.Delay(200);
            Assert.Equal(RolloutStages.Canary, (await rollout.QueryAsync(w => w.Status))!.Stage);
            await Task.Delay(3000);

            up.Kill();
            await up.WaitForExitAsync();
            up.Dispose();
            up = flow.Start(upArgs);
            var restarted = await flow.WaitForPlatformAsync(up);

            // The canary's attempt died with the platform: its heartbeat runs out, it is retried on the restarted
            // platform's lane queue (the same name), and the rollout goes on to full.
            var again = await TemporalClient.ConnectAsync(new(restarted.Temporal));
            using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(6));
            var done = await again.GetWorkflowHandle<RolloutWorkflow>("kill-rollout").GetResultAsync<RolloutStatus>(rpcOptions: new RpcOptions { CancellationToken = wait.Token });
            Assert.Equal("completed", done.Stage);
            Assert.Equal([RolloutStages.Shadow, RolloutStages.Canary, RolloutStages.Full], done.Reports.Select(r => r.Stage));
            using var after = await ClickHouseServerStore.ConnectAsync(restarted.ClientUrl);
            foreach (var report in done.Reports)
            {
                Assert.Equal(1, await CountAsync(after, $"SELECT count() FROM audit_log WHERE action = 'rollout.stage' AND subject = '{hash}' AND JSONExtractString(payload, 'Request', 'Stage') = '{report.Stage}'"));
                Assert.Equal(report.Sessions, await CountAsync(after, $"SELECT count() FROM live_sessions FINAL WHERE model_hash = '{hash}' AND deployment = 'kill-rollout' AND stage = '{report.Stage}'"));
            }
        }
        finally
        {
            if (!up.HasExited) up.Kill();
            up.Dispose();
        }
    }
}
