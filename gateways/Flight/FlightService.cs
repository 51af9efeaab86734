using CroweLogic.Flow.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>The Flight service hosted on Kestrel (HTTP/2, TLS when a certificate is configured) until disposed.</summary>
public sealed class FlightService : IAsyncDisposable
{
    private readonly WebEndpoint _endpoint;

    private FlightService(WebEndpoint endpoint) => _endpoint = endpoint;

    /// <summary>Where clients connect (grpc+tcp:// or grpc+tls:// as Flight locations spell it, here as http(s)://).</summary>
    public Uri Location => _endpoint.Location;

    /// <summary>Starts serving <paramref name="store"/>.</summary>
    /// <param name="store">The store to serve (not disposed with the service).</param>
    /// <param name="options">Address, access and budget.</param>
    /// <param name="logging">Adds log providers; null logs nothing.</param>
    /// <param name="cancellationToken">Cancels startup.</param>
    /// <exception cref="FlightConfigurationException">The address cannot be listened on.</exception>
    public static async Task<FlightService> StartAsync(IFlowStore store, FlightServiceOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        var budget = options.Budget.Validated();
        var builder = WebEndpoint.Builder(options.Address, options.Port, HttpProtocols.Http2, logging, listen =>
        {
            if (options.Certificate is { } certificate) listen.UseHttps(certificate);
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
        return new FlightService(await WebEndpoint.StartAsync(app, $"Arrow Flight on {options.Address}:{options.Port}", cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Completes when the service stops (after <paramref name="cancellationToken"/> or disposal).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _endpoint.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();
}
