using CroweLogic.Flow.Activities.Incident;
using CroweLogic.Flow.Workflows.Signing;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Workflows.Incident;

/// <summary>
/// Incident response (started by the kill switch, the crash sentinel, drift or an SLO breach): stand-down → flatten
/// through the execution plane → page → wait for an acknowledgement, paging the next escalation level each time a
/// level's timer runs out → post-mortem record → trading resumes only after an approval signal.
/// </summary>
[Workflow("IncidentResponse")]
public sealed class IncidentResponseWorkflow
{
    private readonly List<string> _timeline = [];
    private IncidentStatus? _status;
    private ApprovalSignal? _ack;
    private ApprovalSignal? _resume;

    /// <summary>Stage, escalation level and timeline.</summary>
    [WorkflowQuery("status")]
    public IncidentStatus? Status => _status;

    /// <summary>A responder acknowledges the page: escalation stops.</summary>
    [WorkflowSignal("acknowledge")]
    public Task AcknowledgeAsync(ApprovalSignal ack)
    {
        _ack ??= ack;
        return Task.CompletedTask;
    }

    /// <summary>Approves resuming trading (only acted on after the acknowledgement and post-mortem).</summary>
    [WorkflowSignal("approve_resume")]
    public Task ApproveResumeAsync(ApprovalSignal approval)
    {
        _resume ??= approval;
        return Task.CompletedTask;
    }

    /// <summary>Runs the incident response.</summary>
    [WorkflowRun]
    public async Task<IncidentStatus> RunAsync(IncidentPlan plan)
    {
        if (plan.Escalation.Count == 0) throw new ApplicationFailureException("an incident needs at least one escalation level", "InvalidRequest", nonRetryable: true);
        var incident = plan.Incident;
        Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Model.ValueSet(incident.ArtifactHash));
        var level = 0;
        var standDown = await Workflow.ExecuteActivityAsync((IncidentActivities a) => a.StandDownAsync(incident), ActivityProfiles.LaneActionOn(incident.LaneQueue));
        Step("stood_down", level, $"stand-down: {standDown.Detail}");
        var flatten = await Workflow.ExecuteActivityAsync((IncidentActivities a) => a.FlattenAsync(incident), ActivityProfiles.LaneActionOn(incident.LaneQueue));
        Step("flattened", level, $"flatten: {flatten.Detail}");
        await PageAsync(incident, plan.Escalation[0], level);
        while (_ack is null)
        {
            if (await Workflow.WaitConditionAsync(() => _ack is not null, plan.Escalation[level].WaitForAck)) break;
            if (level + 1 >= plan.Escalation.Count)
            {
                // Nobody left to escalate to: keep waiting at the top level rather than give up on an open incident.
                Step("paging", level, $"no acknowledgement from {plan.Escalation[level].Recipient} within {plan.Escalation[level].WaitForAck}; waiting at the top level");
                await Workflow.WaitConditionAsync(() => _ack is not null);
                break;
            }
            Step("paging", level, $"no acknowledgement from {plan.Escalation[level].Recipient} within {plan.Escalation[level].WaitForAck}: escalating");
            level++;
            await PageAsync(incident, plan.Escalation[level], level);
        }
        Step("acknowledged", level, $"acknowledged by {_ack!.Who}: {_ack.Note}");
        var record = new PostMortem(incident.IncidentId, incident.ArtifactHash, incident.Trigger, _ack.Who, level, [.. _timeline]);
        await Workflow.ExecuteActivityAsync((IncidentActivities a) => a.RecordPostMortemAsync(record), ActivityProfiles.Record);
        Step("awaiting_resume_approval", level, "post-mortem recorded; trading stays down until an approval to resume");
        await Workflow.WaitConditionAsync(() => _resume is not null);
        var approver = _resume!.Who;
        await Workflow.ExecuteActivityAsync((IncidentActivities a) => a.ResumeAsync(new ResumeRequest(incident.IncidentId, incident.Deployment, incident.ArtifactHash, approver)), ActivityProfiles.Record);
        return Step("resumed", level, $"resume approved by {approver}: {_resume.Note}", resumedBy: approver);
    }

    private async Task PageAsync(IncidentRequest incident, EscalationStep step, int level)
    {
        var page = new Notification(incident.IncidentId, incident.ArtifactHash, level, step.Recipient, $"{incident.Trigger} on {incident.Deployment}: {incident.Detail}. Acknowledge within {step.WaitForAck}.");
        await Workflow.ExecuteActivityAsync((IncidentActivities a) => a.NotifyAsync(page), ActivityProfiles.Record);
        Step("paging", level, $"paged level {level}: {step.Recipient}");
    }

    private IncidentStatus Step(string stage, int level, string what, string? resumedBy = null)
    {
        _timeline.Add($"{Workflow.UtcNow:O} {what}");
        Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Stage.ValueSet(stage));
        return _status = new IncidentStatus(Workflow.Info.WorkflowId, stage, level, _ack?.Who, resumedBy, [.. _timeline]);
    }
}
