using CroweLogic.Flow.Gateways.Flight;
using CroweLogic.Flow.Storage.Embedded;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace CroweLogic.Flow.Gateways.ClickHouseHttp;

/// <summary>The ClickHouse HTTP interface over the embedded engine, hosted on Kestrel (HTTP/1.1) until disposed.</summary>
public sealed class ClickHouseHttpEndpoint : IAsyncDisposable
{
    private readonly WebEndpoint _endpoint;

    private ClickHouseHttpEndpoint(WebEndpoint endpoint) => _endpoint = endpoint;

    /// <summary>Where clients connect (http://host:port/).</summary>
    public Uri Location => _endpoint.Location;

    /// <summary>Starts serving <paramref name="store"/> (not disposed with the endpoint).</summary>
    /// <exception cref="FlightConfigurationException">The address cannot be listened on.</exception>
    public static async Task<ClickHouseHttpEndpoint> StartAsync(EmbeddedClickHouseStore store, ClickHouseHttpOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        options.Budget.Validated();
        var app = WebEndpoint.Builder(options.Address, options.Port, HttpProtocols.Http1, logging).Build();
        app.Run(new ClickHouseHttpHandler(store, options).HandleAsync);
        return new ClickHouseHttpEndpoint(await WebEndpoint.StartAsync(app, $"the ClickHouse HTTP interface on {options.Address}:{options.Port}", cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();
}
