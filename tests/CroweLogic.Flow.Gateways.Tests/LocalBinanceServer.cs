using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// A local stand-in for Binance spot on 127.0.0.1, speaking its protocol: <c>GET /api/v3/depth</c> answers from a
/// script (status, Retry-After, X-MBX-USED-WEIGHT-1M, body), and <c>/stream</c> is a WebSocket that acknowledges
/// SUBSCRIBE requests as the venue does and then sends what the test queues for that connection.
/// </summary>
public sealed class LocalBinanceServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string Body, int? RetryAfter)> _rest = new();
    private readonly List<string> _restRequests = [];
    private readonly List<string> _subscriptions = [];
    private readonly SemaphoreSlim _connected = new(0);
    private WebSocket? _socket;
    private int _connections;

    private LocalBinanceServer(WebApplication app, LocalBinanceAccount account) => (_app, Account) = (app, account);

    /// <summary>The account behind the order endpoints and the WebSocket API.</summary>
    public LocalBinanceAccount Account { get; }

    /// <summary>Base address of both APIs.</summary>
    public Uri Http { get; private set; } = null!;

    /// <summary>The WebSocket API endpoint (user-data stream).</summary>
    public Uri WsApi => new($"ws://{Http.Authority}/ws-api/v3");

    /// <summary>The WebSocket base.</summary>
    public Uri Ws => new($"ws://{Http.Authority}");

    /// <summary>REST requests received (path and query).</summary>
    public IReadOnlyList<string> RestRequests
    {
        get
        {
            lock (_restRequests) return [.. _restRequests];
        }
    }

    /// <summary>SUBSCRIBE requests received, as sent.</summary>
    public IReadOnlyList<string> Subscriptions
    {
        get
        {
            lock (_subscriptions) return [.. _subscriptions];
        }
    }

    /// <summary>WebSocket connections accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The API key the account accepts.</summary>
    public const string ApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

    /// <summary>The account's secret.</summary>
    public const string Secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    /// <summary>Starts on a free loopback port.</summary>
    public static async Task<LocalBinanceServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new LocalBinanceServer(app, new LocalBinanceAccount(ApiKey, Secret));
        app.UseWebSockets();
        server.Account.Map(app);
        app.MapGet("/api/v3/depth", server.DepthAsync);
        app.Map("/stream", server.StreamAsync);
        await app.StartAsync();
        server.Http = new Uri(app.Urls.First());
        return server;
    }

    /// <summary>Queues the answer to the next depth request.</summary>
    public void Rest(int status, string body, int? retryAfter = null) => _rest.Enqueue((status, body, retryAfter));

    /// <summary>Waits for the <paramref name="n"/>-th connection's SUBSCRIBE.</summary>
    public async Task WaitForSubscriptionAsync(int n)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Subscriptions.Count < n)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no SUBSCRIBE number {n} within 20 s");
            await Task.Delay(20);
        }
    }

    /// <summary>Sends a text message on the current connection.</summary>
    public Task SendAsync(string json) => _socket!.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Drops the current connection without a close handshake.</summary>
    public void Drop() => _socket?.Abort();

    private async Task DepthAsync(HttpContext context)
    {
        lock (_restRequests) _restRequests.Add(context.Request.Path + context.Request.QueryString);
        if (!_rest.TryDequeue(out var answer)) answer = (503, "{\"code\":-1,\"msg\":\"no scripted answer\"}", null);
        context.Response.StatusCode = answer.Status;
        context.Response.Headers["X-MBX-USED-WEIGHT-1M"] = "20";
        if (answer.RetryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body);
    }

    private async Task StreamAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        _socket = socket;
        Interlocked.Increment(ref _connections);
        var buffer = new byte[16 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close) break;
                var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                lock (_subscriptions) _subscriptions.Add(text);
                var id = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
                await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"result\":null,\"id\":{id}}}"), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Dropped by the test or the client.
        }
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _connected.Dispose();
    }
}
