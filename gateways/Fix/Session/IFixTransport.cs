namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>The connection under a session.</summary>
public interface IFixTransport
{
    /// <summary>Writes a whole frame.</summary>
    void Send(ReadOnlySpan<byte> frame);

    /// <summary>Closes the connection.</summary>
    void Disconnect(string reason);
}
