namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>
/// Durable session state: the next sequence numbers in both directions and every message sent, by sequence number, so
/// a ResendRequest can be answered after a restart.
/// </summary>
public interface IFixMessageStore : IDisposable
{
    /// <summary>MsgSeqNum of the next message we send.</summary>
    int NextSenderSeqNum { get; set; }

    /// <summary>MsgSeqNum we expect on the next message received.</summary>
    int NextTargetSeqNum { get; set; }

    /// <summary>Records a sent frame under its sequence number.</summary>
    void Save(int seqNum, ReadOnlySpan<byte> frame);

    /// <summary>The stored frames with sequence numbers in [begin, end], in order (missing ones skipped).</summary>
    IEnumerable<(int SeqNum, byte[] Frame)> Get(int begin, int end);

    /// <summary>Both sequence numbers back to 1 and the stored messages dropped (a new FIX session day or ResetSeqNumFlag).</summary>
    void Reset();
}
