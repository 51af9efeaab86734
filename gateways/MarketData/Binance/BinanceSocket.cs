using System.Net.WebSockets;

namespace CroweLogic.Flow.Gateways.MarketData.Binance;

/// <summary>Reading a Binance WebSocket (market streams or the WebSocket API): whole text messages, and a drop handed to its owner to reconnect.</summary>
internal static class BinanceSocket
{
    /// <summary>
    /// Hands each whole message to <paramref name="handle"/> (valid only during the call) until <paramref name="stop"/>;
    /// a close or a socket error goes to <paramref name="dropped"/>, which reconnects before reading resumes on
    /// <paramref name="socket"/>'s new value.
    /// </summary>
    public static async Task ReceiveAsync(Func<WebSocket> socket, Action<ReadOnlyMemory<byte>> handle, Func<WebSocketException, Task> dropped, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var result = await socket().ReceiveAsync(buffer, stop).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) throw new WebSocketException($"the venue closed the stream ({result.CloseStatus} {result.CloseStatusDescription})");
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                handle(message.GetBuffer().AsMemory(0, (int)message.Length));
                message.SetLength(0);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (WebSocketException e)
            {
                if (stop.IsCancellationRequested) return;
                message.SetLength(0);
                await dropped(e).ConfigureAwait(false);
            }
        }
    }
}
