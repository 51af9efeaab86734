namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>One tag=value field of a parsed message: the tag and where it lies in the message's bytes.</summary>
/// <param name="Tag">Tag number (may be zero or negative when the peer sent such a tag: validation rejects it).</param>
/// <param name="Offset">Value offset in <see cref="FixMessage.Raw"/>.</param>
/// <param name="Length">Value length in bytes.</param>
/// <param name="Start">Offset of the tag's first byte; the field's wire form runs from here to its delimiter.</param>
public readonly record struct FixField(int Tag, int Offset, int Length, int Start)
{
    /// <summary>Bytes of "tag=value␁" on the wire (what BodyLength counts).</summary>
    public int WireLength => Offset + Length + 1 - Start;
}
