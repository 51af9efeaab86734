namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>How our initiators (the order client and the market-data client) reach a venue and get back to it.</summary>
public static class FixConnector
{
    /// <summary>Connects and logs on, retrying every <paramref name="retry"/> until <paramref name="timeout"/> has passed.</summary>
    /// <exception cref="FixSessionException">No logon within the timeout; the message carries the last failure.</exception>
    public static void Connect(FixInitiator initiator, string host, int port, TimeSpan timeout, TimeSpan retry)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var last = "the connect timed out";
        while (true)
        {
            try
            {
                initiator.ConnectAsync(host, port, deadline.Token).GetAwaiter().GetResult();
                return;
            }
            catch (Exception e) when (e is FixSessionException or OperationCanceledException)
            {
                // The cancellation that ends the wait says nothing; the failure before it does.
                if (e is FixSessionException) last = e.Message;
                if (deadline.IsCancellationRequested) throw new FixSessionException($"no logon within {timeout.TotalSeconds:0.#} s: {last}");
                Thread.Sleep(retry);
            }
        }
    }

    /// <summary>After a drop: tries again every <paramref name="retry"/> until logged on or <paramref name="closing"/>; each failure goes to <paramref name="failed"/>.</summary>
    public static async Task ReconnectAsync(FixInitiator initiator, string host, int port, TimeSpan retry, Func<bool> closing, Action<string> failed)
    {
        while (!closing() && initiator.Session.State == FixSessionState.Disconnected)
        {
            await Task.Delay(retry).ConfigureAwait(false);
            if (closing()) return;
            try
            {
                await initiator.ConnectAsync(host, port).ConfigureAwait(false);
            }
            catch (FixSessionException e)
            {
                failed(e.Message);
            }
        }
    }
}
