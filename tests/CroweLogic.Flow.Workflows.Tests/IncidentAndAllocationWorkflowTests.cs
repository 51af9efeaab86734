using CroweLogic.Flow.Activities.Incident;
using CroweLogic.Flow.Activities.Lifecycle;
using CroweLogic.Flow.Activities.Rollout;
using CroweLogic.Flow.Workflows.Allocation;
using CroweLogic.Flow.Workflows.Incident;
using CroweLogic.Flow.Workflows.Rollout;
using CroweLogic.Flow.Workflows.Signing;
using Temporalio.Client;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>Incident response and the meta-allocator end to end.</summary>
[Collection(StoreCollection.Name)]
public class IncidentAndAllocationWorkflowTests
{
    private static readonly EscalationStep[] Chain = [new("on-call quant", TimeSpan.FromMinutes(15)), new("desk head", TimeSpan.FromMinutes(30)), new("CRO", TimeSpan.FromHours(1))];

    private static RolloutPlan Shadow(string hash, double? speed = null) =>
        new(hash, [new StagePlan(RolloutStages.Shadow, 0, "2019-01-01", "2019-07-01", speed)], new Guardrails(MaxSlippageBps: 60, MaxDrawdown: 0.2));

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        T value = await read();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}; last: {value}");
            await Task.Delay(50);
            value = await read();
        }
        return value;
    }

    [Fact]
    public async Task A_missing_acknowledgement_escalates_level_by_level_and_trading_resumes_only_after_approval()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var hash = await h.PublishedCandidateAsync("incident");
        var incident = new IncidentRequest("inc-1", "rollout-x", hash, "slo_breach", "tick-to-order p99 above 20 ms for 5 minutes");
        var handle = await h.Client.StartWorkflowAsync((IncidentResponseWorkflow w) => w.RunAsync(new IncidentPlan(incident, Chain)), GovernanceHarness.Options("inc-1"));

        // Nobody acknowledges: the timers run out (time-skipped) and the desk head, then the CRO are paged.
        var escalated = await PollAsync(() => handle.QueryAsync(w => w.Status), s => s is { EscalationLevel: 2 } && s.Timeline.Any(t => t.Contains("waiting at the top level")), "no escalation to the CRO");
        Assert.Null(escalated!.AcknowledgedBy);
        Assert.Equal(3, await RolloutWorkflowTests.CountAsync(h.Store, $"SELECT count() FROM audit_log WHERE action = '{IncidentActions.Notify}' AND subject = '{hash}'"));
        Assert.True(h.Temporal.SkippedTime >= TimeSpan.FromMinutes(45), $"only {h.Temporal.SkippedTime} skipped");

        // While the incident stands, the lane refuses to start a stage of the model.
        var blocked = await h.Client.ExecuteWorkflowAsync((RolloutWorkflow w) => w.RunAsync(Shadow(hash)), GovernanceHarness.Options("rollout-blocked"));
        Assert.Equal("refused", blocked.Stage);
        Assert.Contains("stood down by incident inc-1", blocked.Reason);

        await handle.SignalAsync(w => w.AcknowledgeAsync(new ApprovalSignal("dave", "looking at the feed handler")));
        var acknowledged = await PollAsync(() => handle.QueryAsync(w => w.Status), s => s?.Stage == "awaiting_resume_approval", "no post-mortem");
        Assert.Equal("dave", acknowledged!.AcknowledgedBy);
        Assert.Equal(1, await RolloutWorkflowTests.CountAsync(h.Store, $"SELECT count() FROM audit_log WHERE action = '{IncidentActions.PostMortem}' AND subject = '{hash}'"));
        Assert.NotNull(await IncidentActivities.ActiveStandDownAsync(h.Services, hash, default));

        await handle.SignalAsync(w => w.ApproveResumeAsync(new ApprovalSignal("erin", "feed handler patched")));
        var resumed = await handle.GetResultAsync();
        Assert.Equal(("resumed", "erin", 2), (resumed.Stage, resumed.ResumedBy, resumed.EscalationLevel));
        Assert.Null(await IncidentActivities.ActiveStandDownAsync(h.Services, hash, default));
        var after = await h.Client.ExecuteWorkflowAsync((RolloutWorkflow w) => w.RunAsync(Shadow(hash)), GovernanceHarness.Options("rollout-after-resume"));
        Assert.Equal("completed", after.Stage);
        Assert.Null(await h.Services.Audit.VerifyAsync());

        await h.AssertReplaysAsync("inc-1");
        await h.AssertReplaysAsync("rollout-blocked");
    }

    [Fact]
    public async Task An_incident_flattens_a_running_lane_through_its_kill_switch()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var hash = await h.PublishedCandidateAsync("flatten");
        // Shadow paced at 120 sessions a second of wall time: the lane is running when the incident arrives.
        var rollout = await h.Client.StartWorkflowAsync((RolloutWorkflow w) => w.RunAsync(Shadow(hash, 86_400 * 120)), GovernanceHarness.Options("rollout-live"));
        await PollAsync(() => Task.FromResult(h.Services.Lanes.Find("rollout-live") is not null), running => running, "the stage's lane never started");

        var incident = new IncidentRequest("inc-2", "rollout-live", hash, "crash_sentinel", "cross-sectional dispersion spike");
        var response = await h.Client.StartWorkflowAsync((IncidentResponseWorkflow w) => w.RunAsync(new IncidentPlan(incident, Chain)), GovernanceHarness.Options("inc-2"));
        var status = await PollAsync(() => response.QueryAsync(w => w.Status), s => s?.Stage == "paging", "no page");
        var result = await rollout.GetResultAsync();
        Assert.True(status!.Timeline.Any(t => t.Contains("kill switch engaged")), $"{string.Join(" | ", status.Timeline)} // {result} {string.Join(" | ", result.Reports)}");
        Assert.Contains(status.Timeline, t => t.Contains("running lane stood down"));
        Assert.True(result.RolledBack, result.ToString());
        Assert.Contains("lane fault: incident inc-2: flatten (crash_sentinel)", result.Reason);

        await response.SignalAsync(w => w.AcknowledgeAsync(new ApprovalSignal("dave", "on it")));
        await response.SignalAsync(w => w.ApproveResumeAsync(new ApprovalSignal("erin", "sentinel cleared")));
        Assert.Equal("resumed", (await response.GetResultAsync()).Stage);
        await h.AssertReplaysAsync("inc-2");
        await h.AssertReplaysAsync("rollout-live");
    }

    [Fact]
    public async Task The_meta_allocator_reallocates_across_live_models_with_the_cvar_bandit()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var momentum = await h.PublishedCandidateAsync("alloc-a");
        // A second live model: the mean-reversion baseline, researched and signed the same way.
        var reversion = await h.PublishedCandidateAsync("alloc-b",
            new Research.ResearchRequest("CR-TEST", "mean-reversion", [new(5, 0), new(10, 0)], GovernanceHarness.ResearchFrom, GovernanceHarness.ResearchTo, 0, 0));
        var stages = new RolloutActivities(h.Services);
        foreach (var hash in new[] { momentum, reversion })
        {
            await stages.RunStageAsync(new StageRequest($"live-{hash[7..15]}", hash, RolloutStages.Canary, 0.05, "2019-01-01", "2021-01-01"));
        }

        var plan = new AllocatorPlan([momentum, reversion], TimeSpan.FromDays(7), 2);
        var rounds = await h.Client.ExecuteWorkflowAsync((MetaAllocatorWorkflow w) => w.RunAsync(plan), GovernanceHarness.Options("allocator"));
        Assert.Equal(2, rounds.Count);
        var last = rounds[^1];
        Assert.Equal(1.0, last.Weights.Values.Sum(), 1e-12);
        Assert.All(last.Weights.Values, w => Assert.InRange(w, 0, 0.6 + 1e-12));
        Assert.True(last.Sessions > 400, $"{last.Sessions} common sessions");
        // The same live record gives the same allocation when the activity runs on its own: the bandit is deterministic.
        var direct = await new LifecycleActivities(h.Services).AllocateAsync(new AllocationRequest([momentum, reversion]));
        Assert.Equal(direct.Weights[momentum], last.Weights[momentum], 1e-12);
        Assert.Equal(direct.Cvar[reversion], last.Cvar[reversion], 1e-12);
        await h.AssertReplaysAsync("allocator");
    }
}
