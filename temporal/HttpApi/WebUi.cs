using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace CroweLogic.Flow.Temporal.HttpApi;

/// <summary>
/// The HTTP side of the embedded service, as Temporal's UI server lays it out: the HTTP API under <c>/api/v1/</c>,
/// the UI's settings, and the built UI itself (a single-page app: any other path gets its index.html).
/// </summary>
internal static class WebUi
{
    public static void Map(WebApplication app, string? uiDirectory)
    {
        var workflows = app.Services.GetRequiredService<WorkflowServiceEndpoint>();
        var operators = app.Services.GetRequiredService<OperatorServiceEndpoint>();
        app.MapGet("/api/v1/settings", () => Results.Text(UiSettings.Json, "application/json"));
        TemporalHttpApi.Map(app, (WorkflowServiceEndpoint.Service, workflows), (OperatorServiceEndpoint.Service, operators));
        app.MapFallback("/api/{**rest}", (HttpContext context) =>
            TemporalHttpApi.WriteErrorAsync(context, Grpc.Core.StatusCode.NotFound, $"{context.Request.Method} {context.Request.Path} is not part of Temporal's HTTP API"));
        if (uiDirectory is null || !File.Exists(Path.Combine(uiDirectory, "index.html")))
        {
            app.MapFallback(() => Results.Text("The Temporal Web UI is not built on this machine (./flow setup builds it); the HTTP API is under /api/v1/.", "text/plain", statusCode: 404));
            return;
        }
        var files = new PhysicalFileProvider(Path.GetFullPath(uiDirectory));
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        app.MapFallbackToFile("index.html", new StaticFileOptions { FileProvider = files });
    }
}
