namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>One tag=value field of a parsed message: the tag and where its value lies in the message's bytes.</summary>
/// <param name="Tag">Tag number (0 when the tag was not a positive integer).</param>
/// <param name="Offset">Value offset in <see cref="FixMessage.Raw"/>.</param>
/// <param name="Length">Value length in bytes.</param>
public readonly record struct FixField(int Tag, int Offset, int Length);
