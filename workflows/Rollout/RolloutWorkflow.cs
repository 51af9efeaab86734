using CroweLogic.Flow.Activities;
using CroweLogic.Flow.Activities.Registry;
using CroweLogic.Flow.Activities.Incident;
using CroweLogic.Flow.Activities.Rollout;
using CroweLogic.Flow.Workflows.Incident;
using CroweLogic.Flow.Workflows.Signing;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Workflows.Rollout;

/// <summary>
/// Rollout: shadow (no orders, signal quality against the backtest) → canary (a small share of capital) → full, each
/// stage unlocked only when the previous one passed every guardrail; a breach (drawdown, slippage, return drift by PSI
/// or KS, error rate, lane fault) withdraws the capital, records a rollback and opens an incident. Capital is granted through the registry,
/// which refuses it without two distinct approvers. Pause, resume, approve and abort signals; the status query and the
/// FlowStage / FlowCapitalFraction search attributes show where it is.
/// </summary>
[Workflow("Rollout")]
public sealed class RolloutWorkflow
{
    private readonly List<StageReport> _reports = [];
    private RolloutStatus? _status;
    private string _hash = "";
    private bool _paused;
    private ApprovalSignal? _approval;
    private ApprovalSignal? _abort;
    private string? _laneQueue;

    /// <summary>Stage, capital, pause state and stage KPIs.</summary>
    [WorkflowQuery("status")]
    public RolloutStatus? Status => _status is null ? null : _status with { Paused = _paused };

    /// <summary>Holds the rollout before its next stage.</summary>
    [WorkflowSignal("pause")]
    public Task PauseAsync()
    {
        _paused = true;
        return Task.CompletedTask;
    }

    /// <summary>Lets a paused rollout continue.</summary>
    [WorkflowSignal("resume")]
    public Task ResumeAsync()
    {
        _paused = false;
        return Task.CompletedTask;
    }

    /// <summary>Approves the full stage.</summary>
    [WorkflowSignal("approve")]
    public Task ApproveAsync(ApprovalSignal approval)
    {
        _approval ??= approval;
        return Task.CompletedTask;
    }

    /// <summary>Aborts: capital withdrawn before the next stage.</summary>
    [WorkflowSignal("abort")]
    public Task AbortAsync(ApprovalSignal abort)
    {
        _abort ??= abort;
        return Task.CompletedTask;
    }

    /// <summary>Runs the rollout.</summary>
    [WorkflowRun]
    public async Task<RolloutStatus> RunAsync(RolloutPlan plan)
    {
        var hash = _hash = plan.ArtifactHash;
        var deployment = Workflow.Info.WorkflowId;
        Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Model.ValueSet(hash));
        Set("pending", 0, "starting");
        // The stages' lane runs in the worker that claims it; its stages and incident actions go to that worker's own
        // queue. Patched: histories recorded before lanes had queues replay without the claim.
        if (Workflow.Patched("lane-queue"))
            _laneQueue = await Workflow.ExecuteActivityAsync((LaneActivities a) => a.Claim(deployment), ActivityProfiles.Record);
        foreach (var stage in plan.Stages)
        {
            await Workflow.WaitConditionAsync(() => !_paused || _abort is not null);
            if (_abort is { } abort) return await WithdrawAsync(plan, stage.Stage, "aborted", [$"aborted by {abort.Who}: {abort.Note}"]);
            if (stage.Stage == RolloutStages.Full && plan.ApprovalBeforeFull)
            {
                Set(_status!.Stage, _status.CapitalFraction, "waiting for approval of the full stage");
                await Workflow.WaitConditionAsync(() => _approval is not null || _abort is not null);
                if (_abort is { } late) return await WithdrawAsync(plan, stage.Stage, "aborted", [$"aborted by {late.Who}: {late.Note}"]);
            }
            if (stage.CapitalFraction > 0)
            {
                try
                {
                    await Workflow.ExecuteActivityAsync((RegistryActivities a) => a.GrantLiveAsync(new LiveGrant(hash, stage.CapitalFraction, stage.Stage)), ActivityProfiles.Record);
                }
                catch (ActivityFailureException e) when (e.InnerException is ApplicationFailureException { ErrorType: ActivityFailures.RegistryRule } refusal)
                {
                    return Set("refused", 0, $"{stage.Stage} refused: {refusal.Message}");
                }
            }
            Set(stage.Stage, stage.CapitalFraction, $"{stage.Stage} running on {stage.From}..{stage.To}");
            StageReport report;
            try
            {
                report = await Workflow.ExecuteActivityAsync((RolloutActivities a) => a.RunStageAsync(
                    new StageRequest(deployment, hash, stage.Stage, stage.CapitalFraction, stage.From, stage.To, stage.Speed)), ActivityProfiles.LaneRunOn(_laneQueue));
            }
            catch (ActivityFailureException e) when (e.InnerException is ApplicationFailureException { ErrorType: ActivityFailures.ArtifactRejected or ActivityFailures.StoodDown or ActivityFailures.InvalidPolicy } refusal)
            {
                return Set("refused", 0, $"the lane refused {stage.Stage}: {refusal.Message}");
            }
            _reports.Add(report);
            if (plan.Guardrails.Breaches(report) is { Count: > 0 } breaches) return await WithdrawAsync(plan, stage.Stage, RolloutStages.RolledBack, breaches);
            Set(stage.Stage, stage.CapitalFraction, $"{stage.Stage} passed its guardrails");
        }
        return Set("completed", _status!.CapitalFraction, $"all {plan.Stages.Count} stages passed");
    }

    private async Task<RolloutStatus> WithdrawAsync(RolloutPlan plan, string stage, string outcome, IReadOnlyList<string> why)
    {
        var withdrawn = new RollbackRecord(Workflow.Info.WorkflowId, plan.ArtifactHash, stage, why, _status?.CapitalFraction ?? 0);
        await Workflow.ExecuteActivityAsync((RolloutActivities a) => a.RecordRollbackAsync(withdrawn), ActivityProfiles.Record);
        // A guardrail breach opens incident response (stand-down, flatten, pages with escalation, post-mortem, approval to
        // resume). It outlives the rollout (abandoned child). Patched: histories recorded before this change replay without it.
        if (outcome == RolloutStages.RolledBack && Workflow.Patched("rollback-opens-incident"))
        {
            var incident = new IncidentPlan(new IncidentRequest($"{Workflow.Info.WorkflowId}-incident", Workflow.Info.WorkflowId, plan.ArtifactHash, Trigger(why), string.Join("; ", why), _laneQueue),
                plan.Escalation ?? RolloutPlan.DefaultEscalation);
            await Workflow.StartChildWorkflowAsync((IncidentResponseWorkflow w) => w.RunAsync(incident),
                new() { Id = incident.Incident.IncidentId, ParentClosePolicy = ParentClosePolicy.Abandon });
        }
        return Set(outcome, 0, $"{stage}: {string.Join("; ", why)}");
    }

    // The incident trigger named by the first breach: lane faults (kill switch, stand-down), drift, SLO (error rate) or drawdown.
    private static string Trigger(IReadOnlyList<string> breaches) => breaches[0] switch
    {
        var b when b.StartsWith("lane fault", StringComparison.Ordinal) => "lane_fault",
        var b when b.StartsWith("return drift", StringComparison.Ordinal) => "drift",
        var b when b.StartsWith("error rate", StringComparison.Ordinal) => "slo_breach",
        var b when b.StartsWith("slippage", StringComparison.Ordinal) => "slippage",
        _ => "drawdown",
    };

    private RolloutStatus Set(string stage, double capital, string reason)
    {
        Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Stage.ValueSet(stage), FlowSearchAttributes.CapitalFraction.ValueSet(capital));
        // What the Temporal UI shows as the run's current details.
        Workflow.CurrentDetails = $"**{stage}** · {capital:P0} of capital{(_paused ? " · paused" : "")} · {reason}";
        return _status = new RolloutStatus(_hash, stage, capital, _paused, [.. _reports], reason, _laneQueue);
    }
}
