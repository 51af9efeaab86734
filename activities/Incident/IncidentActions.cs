namespace CroweLogic.Flow.Activities.Incident;

/// <summary>Audit-log actions of incident response; the subject is the artifact hash.</summary>
public static class IncidentActions
{
    /// <summary>The deployment stood down (payload: incident, trigger).</summary>
    public const string StandDown = "incident.stand_down";

    /// <summary>Flatten requested through the kill switch.</summary>
    public const string Flatten = "incident.flatten";

    /// <summary>A person or rota was paged.</summary>
    public const string Notify = "incident.notify";

    /// <summary>The post-mortem record.</summary>
    public const string PostMortem = "incident.post_mortem";

    /// <summary>Trading resumed after an approval.</summary>
    public const string Resume = "incident.resume";
}
