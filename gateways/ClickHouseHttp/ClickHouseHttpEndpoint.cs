using CroweLogic.Flow.Storage.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CroweLogic.Flow.Gateways.ClickHouseHttp;

/// <summary>The ClickHouse HTTP interface over the embedded engine, hosted on Kestrel (HTTP/1.1) until disposed.</summary>
public sealed class ClickHouseHttpEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClickHouseHttpEndpoint(WebApplication app, Uri location)
    {
        _app = app;
        Location = location;
    }

    /// <summary>Where clients connect (http://host:port/).</summary>
    public Uri Location { get; }

    /// <summary>Starts serving <paramref name="store"/> (not disposed with the endpoint).</summary>
    /// <exception cref="IOException">The address cannot be listened on.</exception>
    public static async Task<ClickHouseHttpEndpoint> StartAsync(EmbeddedClickHouseStore store, ClickHouseHttpOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        options.Budget.Validated();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Address, options.Port, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AllowSynchronousIO = false;
        });
        var app = builder.Build();
        var handler = new ClickHouseHttpHandler(store, options);
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ClickHouseHttpEndpoint(app, new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal) + "/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
