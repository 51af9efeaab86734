namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>SessionRejectReason (373) codes of FIX 4.4.</summary>
public enum SessionRejectReason
{
    /// <summary>Invalid tag number.</summary>
    InvalidTagNumber = 0,
    /// <summary>Required tag missing.</summary>
    RequiredTagMissing = 1,
    /// <summary>Tag not defined for this message type.</summary>
    TagNotDefinedForMessageType = 2,
    /// <summary>Undefined tag.</summary>
    UndefinedTag = 3,
    /// <summary>Tag specified without a value.</summary>
    TagWithoutValue = 4,
    /// <summary>Value is incorrect (out of range) for this tag.</summary>
    ValueOutOfRange = 5,
    /// <summary>Incorrect data format for value.</summary>
    IncorrectDataFormat = 6,
    /// <summary>CompID problem.</summary>
    CompIdProblem = 9,
    /// <summary>SendingTime accuracy problem.</summary>
    SendingTimeAccuracy = 10,
    /// <summary>Invalid MsgType.</summary>
    InvalidMsgType = 11,
    /// <summary>Tag appears more than once.</summary>
    TagAppearsMoreThanOnce = 13,
    /// <summary>Tag specified out of required order.</summary>
    TagOutOfOrder = 14,
    /// <summary>Repeating group fields out of order.</summary>
    RepeatingGroupOutOfOrder = 15,
    /// <summary>Incorrect NumInGroup count for repeating group.</summary>
    IncorrectNumInGroupCount = 16,
    /// <summary>Other.</summary>
    Other = 99,
}
