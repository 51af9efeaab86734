namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>What <see cref="FixFramer.TryFrame"/> found at the start of a receive buffer.</summary>
public enum FrameStatus
{
    /// <summary>A whole, well-formed frame: BeginString, BodyLength and CheckSum agree.</summary>
    Complete,
    /// <summary>A prefix of a frame: read more.</summary>
    NeedMore,
    /// <summary>
    /// Bytes that cannot be a valid frame; skip them. Per the FIX session spec a garbled message is ignored (no Reject,
    /// no sequence number consumed); the session logs the reason.
    /// </summary>
    Garbled,
}

/// <summary>The result of framing: status, bytes to consume, and for garbled input why.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Length">Bytes of the frame (Complete) or to discard (Garbled); 0 for NeedMore.</param>
/// <param name="Error">Why the bytes were garbled.</param>
public readonly record struct FrameResult(FrameStatus Status, int Length, string? Error = null);

/// <summary>
/// Splits a TCP byte stream into FIX frames: "8=…␁9=len␁ … 10=ccc␁" where len counts the bytes after 9's delimiter up to
/// "10=", and ccc is the byte sum modulo 256 of everything before "10=". No allocation on the success path.
/// </summary>
public static class FixFramer
{
    private const byte Soh = 1;

    /// <summary>Frames the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Received bytes not yet consumed.</param>
    /// <param name="maxMessageSize">Largest frame accepted; larger declared lengths are garbled (a peer cannot make us buffer without bound).</param>
    public static FrameResult TryFrame(ReadOnlySpan<byte> buffer, int maxMessageSize)
    {
        if (buffer.Length == 0) return new(FrameStatus.NeedMore, 0);
        if (buffer[0] != (byte)'8' || (buffer.Length > 1 && buffer[1] != (byte)'='))
            return new(FrameStatus.Garbled, SkipToNextStart(buffer, 1), "bytes before BeginString (8=)");
        if (buffer.Length < 2) return new(FrameStatus.NeedMore, 0);
        var beginEnd = buffer.IndexOf(Soh);
        if (beginEnd < 0) return buffer.Length > 32 ? new(FrameStatus.Garbled, SkipToNextStart(buffer, 1), "BeginString is not delimited") : new(FrameStatus.NeedMore, 0);
        var rest = buffer[(beginEnd + 1)..];
        if (rest.Length < 2) return new(FrameStatus.NeedMore, 0);
        if (rest[0] != (byte)'9' || rest[1] != (byte)'=') return new(FrameStatus.Garbled, SkipToNextStart(buffer, 1), "BodyLength (9) is not the second field");
        var lengthEnd = rest.IndexOf(Soh);
        if (lengthEnd < 0) return rest.Length > 12 ? new(FrameStatus.Garbled, SkipToNextStart(buffer, 1), "BodyLength is not delimited") : new(FrameStatus.NeedMore, 0);
        var digits = rest[2..lengthEnd];
        if (digits.Length == 0 || digits.Length > 9) return new(FrameStatus.Garbled, SkipToNextStart(buffer, 1), "BodyLength is not a number");
        var bodyLength = 0;
        foreach (var d in digits)
        {
            if (d < (byte)'0' || d > (byte)'9') return new(FrameStatus.Garbled, SkipToNextStart(buffer, 1), "BodyLength is not a number");
            bodyLength = bodyLength * 10 + (d - '0');
        }
        var bodyStart = beginEnd + 1 + lengthEnd + 1;
        var checksumStart = bodyStart + bodyLength;
        var total = checksumStart + 7;
        if (total > maxMessageSize) return new(FrameStatus.Garbled, SkipToNextStart(buffer, 1), $"declared length {total} exceeds the maximum message size {maxMessageSize}");
        if (buffer.Length < total) return new(FrameStatus.NeedMore, 0);
        var trailer = buffer.Slice(checksumStart, 7);
        if (trailer[0] != (byte)'1' || trailer[1] != (byte)'0' || trailer[2] != (byte)'=' || trailer[6] != Soh || buffer[checksumStart - 1] != Soh)
            return new(FrameStatus.Garbled, SkipToNextStart(buffer, 1), "BodyLength does not end at CheckSum (10=)");
        var declared = 0;
        for (var i = 3; i < 6; i++)
        {
            var d = trailer[i];
            if (d < (byte)'0' || d > (byte)'9') return new(FrameStatus.Garbled, total, "CheckSum is not three digits");
            declared = declared * 10 + (d - '0');
        }
        var actual = Checksum(buffer[..checksumStart]);
        if (actual != declared) return new(FrameStatus.Garbled, total, $"CheckSum {declared:D3} does not match the computed {actual:D3}");
        return new(FrameStatus.Complete, total);
    }

    /// <summary>Sum of the bytes modulo 256.</summary>
    public static int Checksum(ReadOnlySpan<byte> bytes)
    {
        uint sum = 0;
        foreach (var b in bytes) sum += b;
        return (int)(sum & 0xFF);
    }

    // A frame can only start at "8=FIX"; discard up to the next such position (or keep a possible partial start).
    private static int SkipToNextStart(ReadOnlySpan<byte> buffer, int from)
    {
        var next = buffer[from..].IndexOf("8=FIX"u8);
        if (next >= 0) return from + next;
        // Keep a tail that could be the beginning of "8=FIX".
        for (var keep = Math.Min(4, buffer.Length - from); keep > 0; keep--)
            if ("8=FIX"u8.StartsWith(buffer[^keep..])) return buffer.Length - keep;
        return buffer.Length;
    }
}
