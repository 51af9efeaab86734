using CroweLogic.Flow.Activities.Rollout;
using CroweLogic.Flow.Workflows.Rollout;
using Temporalio.Client;
using Temporalio.Testing;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>A rollout across a restart of the Temporal service in its canary stage, and a retried stage that must not run twice.</summary>
[Collection(StoreCollection.Name)]
public class RolloutRestartTests
{
    [Fact]
    public async Task A_restart_of_the_service_during_the_canary_loses_nothing_and_runs_no_stage_twice()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var hash = await h.PublishedCandidateAsync("restart");
        // The canary is paced (a million times real time: tens of seconds) so the restart lands inside it.
        var baseline = RolloutWorkflowTests.Plan(hash);
        var plan = baseline with { Stages = [.. baseline.Stages.Select(s => s.Stage == RolloutStages.Canary ? s with { Speed = 1e6 } : s)], ApprovalBeforeFull = false };
        var rollout = await h.Client.StartWorkflowAsync((RolloutWorkflow w) => w.RunAsync(plan), GovernanceHarness.Options("restart-rollout"));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        // The status turns to canary just before the stage's activity starts its lane: wait for the lane itself.
        while (DateTime.UtcNow < deadline && ((await rollout.QueryAsync(w => w.Status))?.Stage != RolloutStages.Canary || h.Services.Lanes.Find("restart-rollout") is null)) await Task.Delay(50);
        Assert.NotNull(h.Services.Lanes.Find("restart-rollout")); // the canary's lane runs

        await h.Temporal.RestartAsync();

        var done = await h.Client.GetWorkflowHandle<RolloutWorkflow>("restart-rollout").GetResultAsync<RolloutStatus>();
        Assert.Equal("completed", done.Stage);
        Assert.Equal([RolloutStages.Shadow, RolloutStages.Canary, RolloutStages.Full], done.Reports.Select(r => r.Stage));
        foreach (var stage in new[] { RolloutStages.Shadow, RolloutStages.Canary, RolloutStages.Full })
        {
            Assert.Equal(1, await RolloutWorkflowTests.CountAsync(h.Store, $"SELECT count() FROM audit_log WHERE action = 'rollout.stage' AND subject = '{hash}' AND JSONExtractString(payload, 'Request', 'Stage') = '{stage}'"));
            var sessions = done.Reports.Single(r => r.Stage == stage).Sessions;
            Assert.Equal(sessions, await RolloutWorkflowTests.CountAsync(h.Store, $"SELECT count() FROM live_sessions FINAL WHERE model_hash = '{hash}' AND deployment = 'restart-rollout' AND stage = '{stage}'"));
        }
    }

    [Fact]
    public async Task A_retried_attempt_of_a_finished_stage_returns_its_recorded_report_without_running_again()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var hash = await h.PublishedCandidateAsync("retry-stage");
        var activities = new RolloutActivities(h.Services);
        var request = new StageRequest("retry-deployment", hash, RolloutStages.Shadow, 0, "2019-01-01", "2019-07-01", null);
        var info = ActivityEnvironment.DefaultInfo with { WorkflowId = "retry-deployment", WorkflowRunId = "run-1", ActivityType = "rollout.run_stage" };
        var first = await new ActivityEnvironment { Info = info with { Attempt = 1 } }.RunAsync(() => activities.RunStageAsync(request));
        const string stages = "SELECT count() FROM audit_log WHERE action = 'rollout.stage' AND JSONExtractString(payload, 'RunId') = 'run-1'";
        Assert.Equal(1, await RolloutWorkflowTests.CountAsync(h.Store, stages));

        var retried = await new ActivityEnvironment { Info = info with { Attempt = 2 } }.RunAsync(() => activities.RunStageAsync(request));
        Assert.Equal(first, retried);
        Assert.Equal(1, await RolloutWorkflowTests.CountAsync(h.Store, stages));

        // Another run of the same workflow ID (a new rollout) runs its stage afresh.
        await new ActivityEnvironment { Info = info with { Attempt = 2, WorkflowRunId = "run-2" } }.RunAsync(() => activities.RunStageAsync(request));
        Assert.Equal(2, await RolloutWorkflowTests.CountAsync(h.Store, "SELECT count() FROM audit_log WHERE action = 'rollout.stage' AND JSONExtractString(payload, 'RunId') IN ('run-1', 'run-2')"));
    }
}
