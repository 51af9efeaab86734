using CroweLogic.Flow.Activities.Registry;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Workflows.Signing;

/// <summary>
/// Model signing: candidate → checks (policy validates, risk caps present, the backtest reproduces to the same hash,
/// no faulted block) → approval signals from distinct people (each recorded in the audit log) → sign → publish.
/// A rejection signal or failed check ends it unsigned; so does the approval timeout.
/// </summary>
[Workflow("ModelSigning")]
public sealed class ModelSigningWorkflow
{
    private readonly List<string> _approvers = [];
    private readonly Queue<ApprovalSignal> _pending = new();
    private SigningOutcome? _status;
    private ApprovalSignal? _rejection;

    /// <summary>Current stage, checks and approvers.</summary>
    [WorkflowQuery("status")]
    public SigningOutcome? Status => _status;

    /// <summary>A person approves (a repeat by the same person counts once).</summary>
    [WorkflowSignal("approve")]
    public Task ApproveAsync(ApprovalSignal approval)
    {
        _pending.Enqueue(approval);
        return Task.CompletedTask;
    }

    /// <summary>A person rejects: the workflow ends unsigned.</summary>
    [WorkflowSignal("reject")]
    public Task RejectAsync(ApprovalSignal rejection)
    {
        _rejection ??= rejection;
        return Task.CompletedTask;
    }

    /// <summary>Runs the signing.</summary>
    [WorkflowRun]
    public async Task<SigningOutcome> RunAsync(SigningRequest request)
    {
        var hash = request.ArtifactHash;
        Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Model.ValueSet(hash));
        SigningOutcome Set(string stage, IReadOnlyList<SigningCheck> checks, string? keyId, string reason)
        {
            Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Stage.ValueSet(stage));
            return _status = new SigningOutcome(hash, stage, checks, [.. _approvers], keyId, reason);
        }
        Set("checks", [], null, "running the pre-signing checks");
        var checks = await Workflow.ExecuteActivityAsync((RegistryActivities a) => a.CheckCandidateAsync(hash), ActivityProfiles.LaneRun);
        if (checks.Where(c => !c.Passed).ToList() is { Count: > 0 } failed) return Set("rejected", checks, null, "checks failed: " + string.Join("; ", failed.Select(c => $"{c.Name}: {c.Detail}")));

        Set("awaiting_approval", checks, null, $"waiting for {request.RequiredApprovers} distinct approvers");
        var deadline = Workflow.UtcNow + request.ApprovalTimeout;
        while (_approvers.Count < request.RequiredApprovers && _rejection is null)
        {
            var remaining = deadline - Workflow.UtcNow;
            if (remaining <= TimeSpan.Zero || !await Workflow.WaitConditionAsync(() => _pending.Count > 0 || _rejection is not null, remaining))
            {
                return Set("expired", checks, null, $"approval timed out after {request.ApprovalTimeout} with {_approvers.Count} of {request.RequiredApprovers} approvers");
            }
            while (_pending.Count > 0 && _rejection is null)
            {
                var approval = _pending.Dequeue();
                await Workflow.ExecuteActivityAsync((RegistryActivities a) => a.ApproveAsync(new Approval(hash, approval.Who, approval.Note)), ActivityProfiles.Record);
                if (!_approvers.Contains(approval.Who, StringComparer.Ordinal)) _approvers.Add(approval.Who);
                Set("awaiting_approval", checks, null, $"{_approvers.Count} of {request.RequiredApprovers} approvers");
            }
        }
        if (_rejection is { } no) return Set("rejected", checks, null, $"rejected by {no.Who}: {no.Note}");

        Set("signing", checks, null, "approved by " + string.Join(", ", _approvers));
        var keyId = await Workflow.ExecuteActivityAsync((RegistryActivities a) => a.SignAsync(hash), ActivityProfiles.Record);
        await Workflow.ExecuteActivityAsync((RegistryActivities a) => a.PublishAsync(hash), ActivityProfiles.Record);
        return Set("published", checks, keyId, $"signed with key {keyId} after approval by {string.Join(", ", _approvers)}");
    }
}
