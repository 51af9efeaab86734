using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using CroweLogic.Flow.Gateways.MarketData.Binance;

namespace CroweLogic.Flow.Gateways.Venue.Binance;

/// <summary>What the user-data stream tells its owner.</summary>
public interface IBinanceUserDataEvents
{
    /// <summary>An order changed (an <c>executionReport</c>).</summary>
    void OnOrderUpdate(BinanceOrderUpdate update);

    /// <summary>The subscription is (again) live: whatever happened while it was not must be read from the REST API.</summary>
    void OnSubscribed(string description, bool reconnected);

    /// <summary>The stream is down, or delivered something unreadable that may have been an order event.</summary>
    void OnTrouble(string reason, bool connected);
}

/// <summary>
/// The account's user-data stream as Binance spot serves it since the listenKey was retired: a WebSocket API
/// connection (<c>/ws-api/v3</c>) subscribed with <c>userDataStream.subscribe.signature</c> (apiKey and timestamp,
/// signed over their alphabetical query), events arriving as <c>{"subscriptionId","event":{…}}</c>. A dropped socket is
/// reconnected and resubscribed, an <c>eventStreamTerminated</c> resubscribed on the same socket; either way the owner
/// hears <see cref="IBinanceUserDataEvents.OnSubscribed"/> with <c>reconnected</c> set and reconciles, since the
/// venue does not replay the events a dead subscription missed.
/// </summary>
public sealed class BinanceUserDataStream : IAsyncDisposable
{
    private readonly BinanceVenueOptions _options;
    private readonly Func<long> _venueNowMs;
    private readonly IBinanceUserDataEvents _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ClientWebSocket? _socket;
    private TaskCompletionSource<BinanceWsResponse>? _pending;
    private string _pendingId = "";
    private Task? _loop;
    private int _requests;
    private long _received;

    /// <summary>A stream for <paramref name="options"/>; <paramref name="venueNowMs"/> stamps the subscription (the venue's clock).</summary>
    public BinanceUserDataStream(BinanceVenueOptions options, Func<long> venueNowMs, IBinanceUserDataEvents events) =>
        (_options, _venueNowMs, _events) = (options, venueNowMs, events);

    /// <summary>User-data events received.</summary>
    public long Events => Interlocked.Read(ref _received);

    /// <summary>Drops the socket without a close handshake (tests: a network loss).</summary>
    public void Abort() => _socket?.Abort();

    /// <summary>Connects and subscribes, then keeps the subscription alive.</summary>
    /// <exception cref="Contracts.Execution.VenueException">The endpoint cannot be reached, or refused the subscription (bad key, signature, permissions).</exception>
    public async Task StartAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await ConnectAsync(timeout.Token).ConfigureAwait(false);
            var subscribed = Subscribe(timeout.Token);
            _loop = Task.Run(ReceiveLoopAsync);
            var answer = await subscribed.ConfigureAwait(false);
            Refused(answer);
            _events.OnSubscribed($"Binance user-data stream {_options.WsApiBase} subscribed (subscription {answer.SubscriptionId})", reconnected: false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            throw new Contracts.Execution.VenueException($"Binance user-data stream {_options.WsApiBase}: cannot subscribe within {_options.ConnectTimeout.TotalSeconds:0.#} s: {e.Message}", e);
        }
    }

    private static void Refused(BinanceWsResponse answer)
    {
        if (answer.Status != 200)
            throw new Contracts.Execution.VenueException($"Binance refused the user-data subscription: status {answer.Status}, Binance {answer.Code}: {answer.Message}");
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        await socket.ConnectAsync(_options.WsApiBase, cancellationToken).ConfigureAwait(false);
        _socket = socket;
    }

    // Sends the signed subscription; the receive loop completes the answer.
    private async Task<BinanceWsResponse> Subscribe(CancellationToken cancellationToken)
    {
        var id = $"subscribe-{Interlocked.Increment(ref _requests)}";
        var timestamp = _venueNowMs().ToString(CultureInfo.InvariantCulture);
        var key = _options.Credentials.ApiKey;
        var signature = _options.Credentials.Sign($"apiKey={key}&timestamp={timestamp}");
        var pending = new TaskCompletionSource<BinanceWsResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        (_pendingId, _pending) = (id, pending);
        var request = $"{{\"id\":\"{id}\",\"method\":\"userDataStream.subscribe.signature\",\"params\":{{\"apiKey\":\"{key}\",\"timestamp\":{timestamp},\"signature\":\"{signature}\"}}}}";
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket!.SendAsync(Encoding.UTF8.GetBytes(request), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
        using var registration = cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
        return await pending.Task.ConfigureAwait(false);
    }

    private Task ReceiveLoopAsync() => BinanceSocket.ReceiveAsync(() => _socket!, Handle, e =>
    {
        _pending?.TrySetException(e);
        return ReconnectAsync(e.Message);
    }, _stop.Token);

    private void Handle(ReadOnlyMemory<byte> json)
    {
        object? parsed;
        try
        {
            parsed = BinanceOrderMessages.Parse(json);
        }
        catch (FormatException e)
        {
            _events.OnTrouble($"an unreadable user-data message ({e.Message}): it may have been an order event", connected: true);
            return;
        }
        switch (parsed)
        {
            case BinanceWsResponse answer when answer.Id == _pendingId:
                _pending?.TrySetResult(answer);
                break;
            case BinanceOrderUpdate update:
                Interlocked.Increment(ref _received);
                _events.OnOrderUpdate(update);
                break;
            case BinanceStreamTerminated:
                _events.OnTrouble("Binance terminated the user-data subscription (eventStreamTerminated); resubscribing", connected: true);
                _ = Task.Run(() => ResubscribeAsync("Binance user-data stream resubscribed"));
                break;
        }
    }

    private async Task ResubscribeAsync(string what)
    {
        try
        {
            var answer = await Subscribe(_stop.Token).ConfigureAwait(false);
            Refused(answer);
            _events.OnSubscribed($"{what} (subscription {answer.SubscriptionId})", reconnected: true);
        }
        catch (Exception e) when (e is WebSocketException or Contracts.Execution.VenueException)
        {
            // A refusal leaves the socket up but deaf: drop it, and the receive loop reconnects.
            _events.OnTrouble($"resubscribing failed: {e.Message}", connected: false);
            _socket?.Abort();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task ReconnectAsync(string reason)
    {
        _events.OnTrouble($"Binance user-data stream dropped: {reason}; reconnecting every {_options.ReconnectDelay.TotalSeconds:0.##} s", connected: false);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ReconnectDelay, _stop.Token).ConfigureAwait(false);
                _socket?.Dispose();
                await ConnectAsync(_stop.Token).ConfigureAwait(false);
                // The answer arrives on this loop, so it cannot be awaited here: the next pass reads it.
                _ = Task.Run(() => ResubscribeAsync($"Binance user-data stream {_options.WsApiBase} reconnected"));
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (WebSocketException e)
            {
                _events.OnTrouble($"reconnect to {_options.WsApiBase} failed: {e.Message}", connected: false);
            }
        }
    }

    /// <summary>Closes the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket?.Abort();
        if (_loop is { } loop) await loop.ConfigureAwait(false);
        _socket?.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
