using System.Text.Json;
using CroweLogic.Flow.Activities.Research;
using CroweLogic.Flow.Storage;
using Temporalio.Activities;

namespace CroweLogic.Flow.Activities.Incident;

/// <summary>
/// Incident side effects. Stand-down and resume are audit-log entries (a stage refuses to start while its artifact
/// stands down) and, when the deployment's lane runs in this worker, its stand-down flag; flatten engages the running
/// lane's kill switch, which flattens at the next event through the execution plane.
/// </summary>
public sealed class IncidentActivities(GovernanceServices services)
{
    /// <summary>Stands the deployment down: no new risk.</summary>
    [Activity("incident.stand_down")]
    public async Task<LaneAction> StandDownAsync(IncidentRequest incident)
    {
        var lane = services.Lanes.Find(incident.Deployment);
        lane?.StandDown($"incident {incident.IncidentId}: {incident.Trigger}");
        await AppendAsync(IncidentActions.StandDown, incident.ArtifactHash, new { incident = incident.IncidentId, incident.Deployment, incident.Trigger, incident.Detail, lane_running = lane is not null }).ConfigureAwait(false);
        return new LaneAction(lane is not null, lane is null ? $"no lane of {incident.Deployment} runs in this worker; new stages are refused until resumed" : "running lane stood down");
    }

    /// <summary>Flattens the deployment's book through the running lane's kill switch.</summary>
    [Activity("incident.flatten")]
    public async Task<LaneAction> FlattenAsync(IncidentRequest incident)
    {
        var lane = services.Lanes.Find(incident.Deployment);
        lane?.Kill($"incident {incident.IncidentId}: flatten ({incident.Trigger})");
        await AppendAsync(IncidentActions.Flatten, incident.ArtifactHash, new { incident = incident.IncidentId, incident.Deployment, lane_running = lane is not null }).ConfigureAwait(false);
        return new LaneAction(lane is not null, lane is null ? $"no lane of {incident.Deployment} runs in this worker: nothing open to flatten here" : "kill switch engaged: the lane flattens at its next event");
    }

    /// <summary>Pages a person or rota (audit log and the worker's stderr).</summary>
    [Activity("incident.notify")]
    public async Task<bool> NotifyAsync(Notification notification)
    {
        await AppendAsync(IncidentActions.Notify, notification.ArtifactHash, notification).ConfigureAwait(false);
        await Console.Error.WriteLineAsync($"flow: PAGE level {notification.Level} → {notification.Recipient}: [{notification.IncidentId}] {notification.Message}").ConfigureAwait(false);
        return true;
    }

    /// <summary>Writes the post-mortem record.</summary>
    [Activity("incident.post_mortem")]
    public async Task<bool> RecordPostMortemAsync(PostMortem postMortem)
    {
        await AppendAsync(IncidentActions.PostMortem, postMortem.ArtifactHash, postMortem).ConfigureAwait(false);
        return true;
    }

    /// <summary>Lifts the stand-down (the workflow only calls this after an approval signal).</summary>
    [Activity("incident.resume")]
    public async Task<LaneAction> ResumeAsync(ResumeRequest resume)
    {
        var lane = services.Lanes.Find(resume.Deployment);
        lane?.Resume();
        await AppendAsync(IncidentActions.Resume, resume.ArtifactHash, new { incident = resume.IncidentId, resume.Deployment, approver = resume.Approver }).ConfigureAwait(false);
        return new LaneAction(lane is not null, $"resumed by {resume.Approver}");
    }

    /// <summary>The incident whose stand-down of the artifact is still in force, or null.</summary>
    public static async Task<string?> ActiveStandDownAsync(GovernanceServices services, string hash, CancellationToken ct)
    {
        var entries = await EventTables.AuditLog.ReadAsync(services.Store,
            $"subject = {Sql.Literal(hash)} AND action IN ({Sql.Literal(IncidentActions.StandDown)}, {Sql.Literal(IncidentActions.Resume)})", "seq DESC LIMIT 1", ct).ConfigureAwait(false);
        if (entries.SingleOrDefault() is not { Action: IncidentActions.StandDown } last) return null;
        using var json = JsonDocument.Parse(last.Payload);
        return $"incident {json.RootElement.GetProperty("incident").GetString()} (audit #{last.Sequence})";
    }

    private Task AppendAsync(string action, string hash, object payload) =>
        services.Audit.AppendAsync(services.Actor, action, hash, JsonSerializer.Serialize(payload), ResearchActivities.Cancellation());
}
