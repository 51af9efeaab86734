using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>
/// A Kestrel application on one address until disposed: how the platform's network services — Arrow Flight, the
/// ClickHouse HTTP interface, the metrics endpoint — are built, started, report where they listen, and stop.
/// </summary>
public sealed class WebEndpoint : IAsyncDisposable
{
    private WebEndpoint(WebApplication app, Uri location)
    {
        App = app;
        Location = location;
    }

    /// <summary>The running application.</summary>
    public WebApplication App { get; }

    /// <summary>Where it listens (http(s)://host:port/; a port of 0 is resolved to the one bound).</summary>
    public Uri Location { get; }

    /// <summary>A slim builder listening on <paramref name="address"/>:<paramref name="port"/> with no log providers but <paramref name="logging"/>'s and no request body limit.</summary>
    public static WebApplicationBuilder Builder(IPAddress address, int port, HttpProtocols protocols, Action<ILoggingBuilder>? logging = null, Action<ListenOptions>? listen = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, port, options =>
            {
                options.Protocols = protocols;
                listen?.Invoke(options);
            });
            kestrel.Limits.MaxRequestBodySize = null;
        });
        return builder;
    }

    /// <summary>Starts <paramref name="app"/>; <paramref name="what"/> names it in the error when the address is taken.</summary>
    /// <exception cref="FlightConfigurationException">The address cannot be listened on.</exception>
    public static async Task<WebEndpoint> StartAsync(WebApplication app, string what, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new FlightConfigurationException($"cannot listen for {what}: {e.Message}");
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebEndpoint(app, new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal) + "/"));
    }

    /// <summary>Completes when the application stops.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => App.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops, letting requests in flight finish for up to 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(grace.Token).ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
