namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>
/// What is wrong with a message, in the terms of QuickFIX's exceptions: each kind decides how the session answers
/// (a Reject with its SessionRejectReason, a BusinessMessageReject, a Logout, or nothing).
/// </summary>
public enum FixFaultKind
{
    /// <summary>A field the session or application needs is absent (Reject 1, or BusinessMessageReject 5 for application messages from FIX 4.2).</summary>
    FieldNotFound,
    /// <summary>A field the dictionary requires is absent (Reject 1).</summary>
    RequiredTagMissing,
    /// <summary>The tag is not in the dictionary (Reject 0).</summary>
    InvalidTagNumber,
    /// <summary>The field has no value (Reject 4).</summary>
    NoTagValue,
    /// <summary>The tag is defined but not for this message type (Reject 2).</summary>
    TagNotDefinedForMessage,
    /// <summary>The MsgType is not in the dictionary (Reject 11).</summary>
    InvalidMessageType,
    /// <summary>The application does not handle this valid MsgType (BusinessMessageReject 3, or a Reject before FIX 4.2).</summary>
    UnsupportedMessageType,
    /// <summary>A header field after the body, or a body field after the trailer (Reject 14).</summary>
    TagOutOfOrder,
    /// <summary>The value does not parse as the field's type (Reject 6).</summary>
    IncorrectDataFormat,
    /// <summary>The value is not one of the field's enumerated values (Reject 5).</summary>
    IncorrectTagValue,
    /// <summary>The tag appears twice (Reject 13).</summary>
    RepeatedTag,
    /// <summary>NumInGroup disagrees with the entries present (Reject 16).</summary>
    RepeatingGroupCountMismatch,
    /// <summary>The BeginString is not the session's (Logout "Incorrect BeginString").</summary>
    UnsupportedVersion,
}

/// <summary>A fault and the tag it is about (0 when none).</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Tag">The offending tag.</param>
public readonly record struct FixFault(FixFaultKind Kind, int Tag = 0);

/// <summary>Raised by validation and by applications to have the session answer a message as its fault requires.</summary>
/// <param name="fault">What is wrong.</param>
/// <param name="message">A description for the log.</param>
public sealed class FixFaultException(FixFault fault, string? message = null) : Exception(message ?? $"{fault.Kind} (tag {fault.Tag})")
{
    /// <summary>What is wrong.</summary>
    public FixFault Fault { get; } = fault;
}
