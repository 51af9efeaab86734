namespace CroweLogic.Flow.Temporal.HttpApi;

/// <summary>
/// What the Temporal UI's own server answers at <c>/api/v1/settings</c> (the UI reads it before anything else): no
/// auth on a loopback platform, namespace <c>default</c>, no codec server, the UI release it was built from, and
/// which write actions the platform allows (batch, reset and start-from-UI are not served by the embedded service).
/// </summary>
internal static class UiSettings
{
    public static string Json { get; } = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["Auth"] = new Dictionary<string, object?> { ["Enabled"] = false, ["Options"] = Array.Empty<string>() },
        ["BannerText"] = "",
        ["DefaultNamespace"] = "default",
        ["ShowTemporalSystemNamespace"] = false,
        ["FeedbackURL"] = "",
        ["NotifyOnNewVersion"] = false,
        ["Codec"] = new Dictionary<string, object?> { ["Endpoint"] = "", ["PassAccessToken"] = false, ["IncludeCredentials"] = false },
        ["Version"] = TemporalUiBuild.Release,
        ["DisableWriteActions"] = false,
        ["WorkflowTerminateDisabled"] = false,
        ["WorkflowCancelDisabled"] = false,
        ["WorkflowSignalDisabled"] = false,
        ["WorkflowUpdateDisabled"] = true,
        ["WorkflowResetDisabled"] = true,
        ["BatchActionsDisabled"] = true,
        ["StartWorkflowDisabled"] = true,
        ["HideWorkflowQueryErrors"] = false,
        ["RefreshWorkflowCountsDisabled"] = false,
    });
}
