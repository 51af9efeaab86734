using CroweLogic.Flow.Temporal;
using CroweLogic.Flow.Tests.Shared;
using Temporalio.Client;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>The embedded Temporal service with its journal on (as <c>flow up</c> runs it) in a scratch directory, restartable on the same journal.</summary>
public sealed class DurableTemporal : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("flow-temporal-");
    private readonly bool _timeSkipping;
    private readonly bool _http;

    private DurableTemporal(bool timeSkipping, bool http) => (_timeSkipping, _http) = (timeSkipping, http);

    public EmbeddedTemporalService Service { get; private set; } = null!;

    public TemporalClient Client => Service.Client;

    public string Target => Service.Target;

    public string DataDirectory => _dir.Path;

    public TimeSpan SkippedTime => Service.SkippedTime;

    /// <param name="timeSkipping">Jump to the next timer when idle.</param>
    /// <param name="http">Also serve the HTTP API (the Web UI's) on a free port.</param>
    /// <param name="uiDirectory">The built Web UI to serve beside the HTTP API.</param>
    public static async Task<DurableTemporal> StartAsync(bool timeSkipping = false, bool http = false, string? uiDirectory = null)
    {
        var temporal = new DurableTemporal(timeSkipping, http || uiDirectory is not null) { _ui = uiDirectory };
        temporal.Service = await EmbeddedTemporalService.StartAsync(temporal.Options());
        return temporal;
    }

    private string? _ui;

    private EmbeddedTemporalOptions Options(int port = 0) =>
        new(TimeSkipping: _timeSkipping, Port: port, DataDirectory: _dir.Path, HttpPort: _http ? 0 : null, UiDirectory: _ui);

    /// <summary>Stops the service and starts a new one on the same journal (same port, so connected workers reconnect).</summary>
    public async Task RestartAsync()
    {
        var port = int.Parse(Target.Split(':')[1]);
        await Service.DisposeAsync();
        // The old listener's port can take a moment to be free again on a loaded machine.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Service = await EmbeddedTemporalService.StartAsync(Options(port));
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        _dir.Dispose();
    }
}
