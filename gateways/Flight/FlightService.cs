using CroweLogic.Flow.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>The Flight service hosted on Kestrel (HTTP/2, TLS when a certificate is configured) until disposed.</summary>
public sealed class FlightService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FlightService(WebApplication app, Uri location)
    {
        _app = app;
        Location = location;
    }

    /// <summary>Where clients connect (grpc+tcp:// or grpc+tls:// as Flight locations spell it, here as http(s)://).</summary>
    public Uri Location { get; }

    /// <summary>Starts serving <paramref name="store"/>.</summary>
    /// <param name="store">The store to serve (not disposed with the service).</param>
    /// <param name="options">Address, access and budget.</param>
    /// <param name="logging">Adds log providers; null logs nothing.</param>
    /// <param name="cancellationToken">Cancels startup.</param>
    public static async Task<FlightService> StartAsync(IFlowStore store, FlightServiceOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        var budget = options.Budget.Validated();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (options.Certificate is { } certificate) listen.UseHttps(certificate);
            });
            kestrel.Limits.MaxRequestBodySize = null;
        });
        // gRPC creates a service per call; prepared statements outlive the call that made them.
        builder.Services.AddSingleton(store).AddSingleton(options.Access).AddSingleton(budget).AddSingleton(new FlightSql.PreparedStatements());
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageBytes;
            grpc.MaxSendMessageSize = null;
            grpc.EnableDetailedErrors = false;
        }).AddFlightServer<FlowFlightServer>();
        var app = builder.Build();
        app.MapFlightEndpoint();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new FlightConfigurationException($"cannot listen on {options.Address}:{options.Port}: {e.Message}");
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FlightService(app, new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)));
    }

    /// <summary>Completes when the service stops (after <paramref name="cancellationToken"/> or disposal).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
