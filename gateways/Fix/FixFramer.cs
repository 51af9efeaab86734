namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>What <see cref="FixFramer.TryFrame"/> found at the start of a receive buffer.</summary>
public enum FrameStatus
{
    /// <summary>A frame: from "8=" through the "10=…␁" at or after the declared body length. BodyLength and CheckSum are checked when the message is parsed.</summary>
    Complete,
    /// <summary>A prefix of a frame: read more.</summary>
    NeedMore,
    /// <summary>Bytes that cannot start a frame (noise before "8=", a BodyLength that is not a number, a frame over the size limit); skip them.</summary>
    Garbled,
}

/// <summary>The result of framing: status, bytes to consume, and for garbled input why.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Length">Bytes of the frame (Complete) or to discard (Garbled); 0 for NeedMore.</param>
/// <param name="Error">Why the bytes were garbled.</param>
public readonly record struct FrameResult(FrameStatus Status, int Length, string? Error = null);

/// <summary>
/// Splits a TCP byte stream into FIX frames the way QuickFIX's parser does, so a counterparty sees the same behaviour
/// from both engines: a frame starts at "8=FIX" (QuickFIX: "8="; a BeginString always starts with FIX, and the longer
/// mark keeps "38=10" in discarded bytes from passing for a frame), its length is read from the first "␁9=" field, and it ends at the first
/// "␁10=…␁" found from the end of the declared body. A wrong BodyLength therefore yields a frame whose length check
/// fails when it is parsed (the message is ignored) instead of stalling the stream. Unlike QuickFIX, noise and
/// declared lengths past <c>maxMessageSize</c> are discarded, so a peer cannot make us buffer without bound.
/// </summary>
public static class FixFramer
{
    /// <summary>Frames the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Received bytes not yet consumed.</param>
    /// <param name="maxMessageSize">Largest frame accepted.</param>
    public static FrameResult TryFrame(ReadOnlySpan<byte> buffer, int maxMessageSize)
    {
        if (buffer.Length < 5) return "8=FIX"u8.StartsWith(buffer) ? new(FrameStatus.NeedMore, 0) : new(FrameStatus.Garbled, SkipToNextStart(buffer), "bytes before BeginString (8=FIX)");
        var start = buffer.IndexOf("8=FIX"u8);
        if (start != 0) return new(FrameStatus.Garbled, start > 0 ? start : SkipToNextStart(buffer), "bytes before BeginString (8=FIX)");
        var lengthTag = buffer.IndexOf("\u00019="u8);
        if (lengthTag < 0) return TooLong(buffer, maxMessageSize, "no BodyLength (9) field");
        var digitsStart = lengthTag + 3;
        var lengthEnd = buffer[digitsStart..].IndexOf((byte)1);
        if (lengthEnd < 0) return TooLong(buffer, maxMessageSize, "BodyLength is not delimited");
        if (!FixValues.TryParseInt(buffer.Slice(digitsStart, lengthEnd), out var bodyLength) || bodyLength < 0)
            return new(FrameStatus.Garbled, SkipToNextStart(buffer), "BodyLength is not a number");
        var bodyEnd = (long)digitsStart + lengthEnd + 1 + bodyLength;
        if (bodyEnd + 7 > maxMessageSize) return new(FrameStatus.Garbled, SkipToNextStart(buffer), $"declared length {bodyEnd + 7} exceeds the maximum message size {maxMessageSize}");
        if (buffer.Length < bodyEnd) return new(FrameStatus.NeedMore, 0);
        var search = (int)bodyEnd - 1;
        var checksum = buffer[search..].IndexOf("\u000110="u8);
        if (checksum < 0) return TooLong(buffer, maxMessageSize, "no CheckSum (10) field");
        var valueStart = search + checksum + 4;
        var end = buffer[valueStart..].IndexOf((byte)1);
        if (end < 0) return TooLong(buffer, maxMessageSize, "CheckSum is not delimited");
        return new(FrameStatus.Complete, valueStart + end + 1);
    }

    /// <summary>Sum of the bytes modulo 256 (eight bytes at a time: each frame is summed once on the way in and out).</summary>
    public static int Checksum(ReadOnlySpan<byte> bytes)
    {
        ulong sum = 0;
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes);
        const ulong evenBytes = 0x00FF00FF00FF00FFUL;
        for (var start = 0; start < words.Length; start += 128)
        {
            // Four 16-bit lanes each gain at most 510 per word: 128 words cannot overflow them.
            ulong lanes = 0;
            foreach (var word in words.Slice(start, Math.Min(128, words.Length - start))) lanes += (word & evenBytes) + ((word >> 8) & evenBytes);
            sum += (lanes & 0xFFFF) + ((lanes >> 16) & 0xFFFF) + ((lanes >> 32) & 0xFFFF) + (lanes >> 48);
        }
        foreach (var b in bytes[(words.Length * 8)..]) sum += b;
        return (int)(sum & 0xFF);
    }

    private static FrameResult TooLong(ReadOnlySpan<byte> buffer, int maxMessageSize, string why) =>
        buffer.Length > maxMessageSize ? new(FrameStatus.Garbled, SkipToNextStart(buffer), $"{why} within {maxMessageSize} bytes") : new(FrameStatus.NeedMore, 0);

    // Discards the bytes at 0 up to the next "8=FIX", keeping a tail that may be the start of one.
    private static int SkipToNextStart(ReadOnlySpan<byte> buffer)
    {
        var next = buffer[1..].IndexOf("8=FIX"u8);
        if (next >= 0) return next + 1;
        for (var keep = Math.Min(4, buffer.Length - 1); keep > 0; keep--)
            if ("8=FIX"u8.StartsWith(buffer[^keep..])) return buffer.Length - keep;
        return buffer.Length;
    }
}
