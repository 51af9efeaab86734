using System.Globalization;
using CroweLogic.Flow.Activities.Lifecycle;
using CroweLogic.Flow.Activities.Registry;
using CroweLogic.Flow.Workflows.Research;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Workflows.Lifecycle;

/// <summary>
/// Alpha lifecycle: periodically reads the live model's KPIs and judges decay (live Sharpe credibly below the
/// backtest's, live returns distributed unlike the backtest's, drawdown past the limit). On decay the model is
/// revoked (sunset) or, with a retrain request, revoked and re-researched with the stricter gates as a child workflow.
/// Continues as new every <see cref="LifecyclePlan.ChecksPerRun"/> checks; a stop signal ends it.
/// </summary>
[Workflow("AlphaLifecycle")]
public sealed class AlphaLifecycleWorkflow
{
    private LifecycleOutcome? _status;
    private bool _stop;

    /// <summary>The last verdict.</summary>
    [WorkflowQuery("status")]
    public LifecycleOutcome? Status => _status;

    /// <summary>Stops watching.</summary>
    [WorkflowSignal("stop")]
    public Task StopAsync()
    {
        _stop = true;
        return Task.CompletedTask;
    }

    /// <summary>Runs the lifecycle.</summary>
    [WorkflowRun]
    public async Task<LifecycleOutcome> RunAsync(LifecyclePlan plan)
    {
        var hash = plan.ArtifactHash;
        Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Model.ValueSet(hash), FlowSearchAttributes.Stage.ValueSet("watching"));
        var checks = plan.ChecksDone;
        for (var run = 0; run < plan.ChecksPerRun; run++)
        {
            if (await Workflow.WaitConditionAsync(() => _stop, plan.CheckEvery)) return _status = new LifecycleOutcome(hash, "stopped", checks, _status?.Kpis, "stop signal", null);
            var kpis = await Workflow.ExecuteActivityAsync((LifecycleActivities a) => a.LiveKpisAsync(hash), ActivityProfiles.LaneRun);
            checks++;
            var decay = Decay(plan, kpis);
            _status = new LifecycleOutcome(hash, "watching", checks, kpis, decay ?? $"healthy after {kpis.Sessions} live sessions", null);
            if (decay is null) continue;
            await Workflow.ExecuteActivityAsync((RegistryActivities a) => a.RevokeAsync(new Revocation(hash, $"alpha decay: {decay}")), ActivityProfiles.Record);
            if (plan.Retrain is not { } retrain)
            {
                Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Stage.ValueSet("sunset"));
                return _status = new LifecycleOutcome(hash, "sunset", checks, kpis, decay, null);
            }
            Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Stage.ValueSet("retraining"));
            var research = await Workflow.ExecuteChildWorkflowAsync((ResearchWorkflow w) => w.RunAsync(retrain), new() { Id = $"{Workflow.Info.WorkflowId}-retrain-{checks}" });
            Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Stage.ValueSet("retrained"));
            return _status = new LifecycleOutcome(hash, "retrained", checks, kpis, $"{decay}; retrained: {research.Reason}", research);
        }
        var next = plan with { ChecksDone = checks };
        throw Workflow.CreateContinueAsNewException((AlphaLifecycleWorkflow w) => w.RunAsync(next));
    }

    /// <summary>Why the live record counts as decayed, or null while it does not (pure: runs in workflow code).</summary>
    public static string? Decay(LifecyclePlan plan, LiveKpis kpis)
    {
        var reasons = new List<string>();
        if (-kpis.MaxDrawdown > plan.MaxDrawdown) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"live drawdown {-kpis.MaxDrawdown:P2} > {plan.MaxDrawdown:P2}"));
        if (kpis.Sessions >= plan.MinSessions)
        {
            if (kpis.ProbabilityBelowBacktest is { } below && below > plan.MaxProbabilityBelowBacktest)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"P(live Sharpe < backtest Sharpe) = {below:F3} > {plan.MaxProbabilityBelowBacktest} over {kpis.Sessions} sessions"));
            }
            if (kpis.KsPValue is { } ks && ks < plan.MinKsPValue) reasons.Add(string.Create(CultureInfo.InvariantCulture, $"live returns unlike the backtest's (KS p {ks:G3} < {plan.MinKsPValue})"));
        }
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }
}
