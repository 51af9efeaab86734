using CroweLogic.Flow.Activities.Rollout;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Registry;
using CroweLogic.Flow.Workflows.Lifecycle;
using CroweLogic.Flow.Workflows.Rollout;
using CroweLogic.Flow.Workflows.Signing;
using Temporalio.Client;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>Rollouts end to end on held-out data (2019–2020) after research on 2015–2018.</summary>
[Collection(StoreCollection.Name)]
public class RolloutWorkflowTests
{
    // The synthetic names move 1.5 % a day and fill at the next bar: about 26 bps of slippage against the decision
    // price in backtest and stages alike, so the slippage limit sits above that; the drawdown limit is the one under test.
    internal static readonly Guardrails Limits = new(MaxDrawdown: 0.06, MaxSlippageBps: 60, MaxPsi: 0.5, MinKsPValue: 0.001, MaxErrorRate: 0.01);

    /// <summary>shadow → canary 5 % → full on the synthetic universe, under <see cref="Limits"/>.</summary>
    internal static RolloutPlan Plan(string hash) => new(hash,
    [
        new StagePlan(RolloutStages.Shadow, 0, "2019-01-01", "2019-07-01"),
        new StagePlan(RolloutStages.Canary, 0.05, "2019-07-01", "2020-01-01"),
        new StagePlan(RolloutStages.Full, 1.0, "2020-01-01", "2021-01-01"),
    ], Limits);

    /// <summary>The rollout's status once <paramref name="condition"/> holds or it ended.</summary>
    internal static async Task<RolloutStatus> WaitForAsync(WorkflowHandle<RolloutWorkflow> handle, Func<RolloutStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (await handle.QueryAsync(w => w.Status) is { } status && (condition(status) || status.Stage is "rolled_back" or "refused" or "completed")) return status;
            await Task.Delay(50);
        }
        var last = await handle.QueryAsync(w => w.Status);
        throw new TimeoutException($"rollout never reached the condition; last status: {last} {string.Join(" | ", last?.Reports ?? [])}");
    }

    [Fact]
    public async Task A_healthy_model_goes_shadow_canary_full_after_approval_with_stage_and_capital_visible()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var hash = await h.PublishedCandidateAsync("healthy");
        var handle = await h.Client.StartWorkflowAsync((RolloutWorkflow w) => w.RunAsync(Plan(hash)), GovernanceHarness.Options("rollout-healthy"));

        var waiting = await WaitForAsync(handle, s => s.Reason.StartsWith("waiting for approval", StringComparison.Ordinal));
        Assert.Equal((RolloutStages.Canary, 0.05), (waiting.Stage, waiting.CapitalFraction));
        Assert.Equal(2, waiting.Reports.Count);
        var described = await handle.DescribeAsync();
        Assert.Equal(RolloutStages.Canary, described.TypedSearchAttributes.Get(FlowSearchAttributes.Stage));
        Assert.Equal(0.05, described.TypedSearchAttributes.Get(FlowSearchAttributes.CapitalFraction));
        Assert.Equal(hash, described.TypedSearchAttributes.Get(FlowSearchAttributes.Model));

        await handle.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("carol", "canary within limits")));
        var done = await handle.GetResultAsync();
        Assert.Equal("completed", done.Stage);
        Assert.Equal(1.0, done.CapitalFraction);
        Assert.Equal([RolloutStages.Shadow, RolloutStages.Canary, RolloutStages.Full], done.Reports.Select(r => r.Stage));
        Assert.All(done.Reports, r => Assert.True(r.Sessions > 100 && r.Orders > 0 && r.Psi is not null && r.KsPValue is not null && r.Fault is null, r.ToString()));
        Assert.Empty(done.Reports.SelectMany(Limits.Breaches));

        // Shadow trades no capital, so only canary and full sessions are the model's live record.
        Assert.Equal(done.Reports.Sum(r => r.Sessions), await CountAsync(h.Store, $"SELECT count() FROM live_sessions FINAL WHERE model_hash = '{hash}'"));
        var grants = (await h.Services.Registry.EntriesAsync(hash)).Where(e => e.Action == RegistryActions.GrantLive).ToList();
        Assert.Equal(2, grants.Count);
        await h.AssertReplaysAsync("rollout-healthy");
    }

    [Fact]
    public async Task An_injected_drawdown_in_the_canary_rolls_back_and_the_lifecycle_then_sunsets_the_model()
    {
        // The ten names with the best 12-1 momentum — the ones the strategy holds long — lose 15 % a session for five sessions in the canary window.
        await using var h = await GovernanceHarness.StartAsync(crashFrom: new DateOnly(2019, 8, 1));
        var hash = await h.PublishedCandidateAsync("crash");
        var plan = Plan(hash) with { ApprovalBeforeFull = false };
        var result = await h.Client.ExecuteWorkflowAsync((RolloutWorkflow w) => w.RunAsync(plan), GovernanceHarness.Options("rollout-crash"));

        Assert.True(result.RolledBack, $"{result} {string.Join(" | ", result.Reports)}");
        Assert.Equal(0, result.CapitalFraction);
        Assert.True(result.Reports.Count == 2, $"{result} {string.Join(" | ", result.Reports)}");
        Assert.StartsWith("canary: drawdown ", result.Reason);
        Assert.True(-result.Reports[1].MaxDrawdown > Limits.MaxDrawdown);
        var described = await h.Client.GetWorkflowHandle("rollout-crash").DescribeAsync();
        Assert.Equal(RolloutStages.RolledBack, described.TypedSearchAttributes.Get(FlowSearchAttributes.Stage));
        Assert.Contains(await h.Services.Registry.EntriesAsync(hash), e => e.Action == "rollout.rollback" || e.Subject == hash);
        Assert.Equal(1, await CountAsync(h.Store, $"SELECT count() FROM audit_log WHERE action = 'rollout.rollback' AND subject = '{hash}'"));

        // The breach opened incident response: the model stands down and the on-call quant is paged.
        var incident = h.Client.GetWorkflowHandle<Incident.IncidentResponseWorkflow>("rollout-crash-incident");
        var paged = await WaitForIncidentAsync(incident);
        Assert.Contains(paged.Timeline, t => t.Contains("paged level 0: on-call quant"));
        Assert.StartsWith("incident rollout-crash-incident ", (await Activities.Incident.IncidentActivities.ActiveStandDownAsync(h.Services, hash, default))!);

        // The alpha lifecycle reads the live record the canary left and sunsets the model: revoked, so the lane refuses it.
        var watch = new LifecyclePlan(hash, TimeSpan.FromDays(1), MaxDrawdown: 0.06);
        var lifecycle = await h.Client.ExecuteWorkflowAsync((AlphaLifecycleWorkflow w) => w.RunAsync(watch), GovernanceHarness.Options("lifecycle-crash"));
        Assert.Equal("sunset", lifecycle.Decision);
        Assert.Contains("live drawdown", lifecycle.Reason);
        var again = await h.Client.ExecuteWorkflowAsync((RolloutWorkflow w) => w.RunAsync(Plan(hash)), GovernanceHarness.Options("rollout-after-sunset"));
        Assert.Equal("refused", again.Stage);
        Assert.Contains("revoked", again.Reason);

        await h.AssertReplaysAsync("rollout-crash");
        await h.AssertReplaysAsync("lifecycle-crash");
        await h.AssertReplaysAsync("rollout-after-sunset");
    }

    [Fact]
    public async Task A_decayed_model_with_a_retrain_request_is_revoked_and_researched_again_as_an_unsigned_candidate()
    {
        await using var h = await GovernanceHarness.StartAsync(crashFrom: new DateOnly(2019, 8, 1));
        var hash = await h.PublishedCandidateAsync("retrain");
        var plan = Plan(hash) with { ApprovalBeforeFull = false };
        var rollout = await h.Client.ExecuteWorkflowAsync((RolloutWorkflow w) => w.RunAsync(plan), GovernanceHarness.Options("retrain-rollout"));
        Assert.True(rollout.RolledBack, rollout.Reason);

        // Retraining re-researches through the crash with stricter gates than the first research's (which were open).
        var retrain = GovernanceHarness.Research(0, 0) with { From = "2016-01-01", To = "2020-01-01", MinDeflatedSharpe = 0.01, MinProbabilisticSharpe = 0.01 };
        var watch = new LifecyclePlan(hash, TimeSpan.FromDays(1), MaxDrawdown: 0.06, Retrain: retrain);
        var outcome = await h.Client.ExecuteWorkflowAsync((AlphaLifecycleWorkflow w) => w.RunAsync(watch), GovernanceHarness.Options("lifecycle-retrain"));

        Assert.Equal("retrained", outcome.Decision);
        Assert.Contains("live drawdown", outcome.Reason);
        Assert.Contains("; retrained: ", outcome.Reason);
        var research = outcome.Retrain!;
        Assert.Equal(3, research.Trials.Count);
        Assert.All(research.Trials, t => Assert.True(t.Sessions > 500, t.ToString()));
        var child = await h.Client.GetWorkflowHandle("lifecycle-retrain-retrain-1").DescribeAsync();
        Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Completed, child.Status);
        Assert.Equal("retrained", (await h.Client.GetWorkflowHandle("lifecycle-retrain").DescribeAsync()).TypedSearchAttributes.Get(FlowSearchAttributes.Stage));

        // The decayed model is revoked; whatever the retraining registered is a new candidate that no lane loads before signing.
        Assert.Contains(await h.Services.Registry.EntriesAsync(hash), e => e.Action == RegistryActions.Revoke && e.Payload.Contains("alpha decay"));
        var revoked = await Assert.ThrowsAsync<Contracts.Registry.ArtifactRejectedException>(async () => await h.Services.Registry.VerifyForLoadAsync(await h.Services.Registry.LoadAsync(hash), "test"));
        Assert.Equal("revoked", revoked.Reason);
        var fresh = research.ArtifactHash ?? throw new Xunit.Sdk.XunitException($"retraining registered nothing: {research.Reason}");
        Assert.NotEqual(hash, fresh);
        Assert.True(research.DeflatedSharpe >= retrain.MinDeflatedSharpe, research.Reason);
        var unsigned = await Assert.ThrowsAsync<Contracts.Registry.ArtifactRejectedException>(async () => await h.Services.Registry.VerifyForLoadAsync(await h.Services.Registry.LoadAsync(fresh), "test"));
        Assert.Equal("unsigned", unsigned.Reason);

        await h.AssertReplaysAsync("lifecycle-retrain");
        await h.AssertReplaysAsync("lifecycle-retrain-retrain-1");
    }

    [Fact]
    public async Task A_single_approver_cannot_unlock_live_capital()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var research = await h.Client.ExecuteWorkflowAsync((Research.ResearchWorkflow w) => w.RunAsync(GovernanceHarness.Research(0, 0)), GovernanceHarness.Options("single-research"));
        var hash = research.ArtifactHash!;
        // Signing itself may be configured with one approver; live capital may not.
        var signing = await h.Client.StartWorkflowAsync((ModelSigningWorkflow w) => w.RunAsync(new SigningRequest(hash, 1, TimeSpan.FromHours(1))), GovernanceHarness.Options("single-signing"));
        await signing.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("alice", "ship it")));
        Assert.True((await signing.GetResultAsync()).Published);

        var result = await h.Client.ExecuteWorkflowAsync((RolloutWorkflow w) => w.RunAsync(Plan(hash)), GovernanceHarness.Options("single-rollout"));
        Assert.Equal("refused", result.Stage);
        Assert.Equal(0, result.CapitalFraction);
        Assert.Equal($"canary refused: live capital for {hash} needs 2 distinct approvers; approved by alice", result.Reason);
        Assert.Equal([RolloutStages.Shadow], result.Reports.Select(r => r.Stage));
        Assert.DoesNotContain(await h.Services.Registry.EntriesAsync(hash), e => e.Action == RegistryActions.GrantLive);
        await h.AssertReplaysAsync("single-rollout");
    }

    [Fact]
    public async Task A_tampered_artifact_is_refused_by_the_lane_with_an_audit_record()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var hash = await h.PublishedCandidateAsync("tamper");
        // Someone with write access to the store loosens the gross limit of the signed policy.
        await h.Store.ExecuteAsync($"ALTER TABLE registry_artifacts UPDATE artifact = replaceOne(artifact, 'gross_limit: 1.5', 'gross_limit: 9.5') WHERE hash = '{hash}' SETTINGS mutations_sync = 2");
        Assert.Contains("gross_limit: 9.5", (await h.Services.Registry.FindAsync(hash))!.PolicyYaml);

        var result = await h.Client.ExecuteWorkflowAsync((RolloutWorkflow w) => w.RunAsync(Plan(hash)), GovernanceHarness.Options("tampered-rollout"));
        Assert.Equal("refused", result.Stage);
        Assert.Contains("the lane refused shadow", result.Reason);
        Assert.Contains("tampered", result.Reason);
        Assert.Empty(result.Reports);
        var refusal = (await h.Services.Registry.EntriesAsync(hash)).Last();
        Assert.Equal((RegistryActions.Refused, "lane:tampered-rollout"), (refusal.Action, refusal.Actor));
        Assert.Contains("\"reason\":\"tampered\"", refusal.Payload);
        await h.AssertReplaysAsync("tampered-rollout");
    }

    private static async Task<Incident.IncidentStatus> WaitForIncidentAsync(WorkflowHandle<Incident.IncidentResponseWorkflow> handle)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await handle.QueryAsync(w => w.Status) is { Stage: "paging" } status) return status;
            }
            catch (Temporalio.Exceptions.RpcException)
            {
                // Not started yet.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("the rollback opened no incident");
    }

    internal static async Task<long> CountAsync(IFlowStore store, string sql)
    {
        using var result = await store.QueryArrowAsync(sql);
        return Contracts.Arrow.ColumnView.For(result.Batches.First(b => b.Length > 0).Column(0), "count").GetInt64(0);
    }
}
