namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>What validation skips, as QuickFIX's ValidateFieldsOutOfOrder / FieldsHaveValues / UserDefinedFields / AllowUnknownMsgFields settings.</summary>
/// <param name="CheckFieldsOutOfOrder">Refuse header fields after the body and body fields after the trailer.</param>
/// <param name="CheckFieldsHaveValues">Refuse empty values.</param>
/// <param name="CheckUserDefinedFields">Check tags from 5000 up against the dictionary.</param>
/// <param name="AllowUnknownMessageFields">Let tags below 5000 that the message does not define through.</param>
public sealed record FixValidationOptions(bool CheckFieldsOutOfOrder = true, bool CheckFieldsHaveValues = true, bool CheckUserDefinedFields = true, bool AllowUnknownMessageFields = false)
{
    /// <summary>Every check on (QuickFIX's defaults).</summary>
    public static FixValidationOptions Strict { get; } = new();
}

/// <summary>
/// Validates a parsed message against a session (transport) dictionary and an application dictionary in QuickFIX's
/// order, so the first fault found is the one QuickFIX reports: version, structure, message type, required fields (in
/// tag order, then inside each group entry), then every header, trailer and body field in its section's order
/// (repeated tag, value present, format, enumeration, tag known, tag defined for the type, group count).
/// </summary>
public static class FixValidator
{
    private const int UserMin = 5000;

    /// <summary>The first fault, or null when the message is valid.</summary>
    public static FixFault? Validate(FixMessage message, FixDictionary session, FixDictionary application, FixValidationOptions? options = null)
    {
        options ??= FixValidationOptions.Strict;
        if (!message.Header.Contains(FixTag.MsgType)) return new FixFault(FixFaultKind.FieldNotFound, FixTag.MsgType);
        var msgType = message.MsgTypeString;
        if (session.HasVersion && message.Header.TryGet(FixTag.BeginString, out var begin) && !FixValues.EqualsAscii(message.ValueOf(begin), session.Version))
            return new FixFault(FixFaultKind.UnsupportedVersion, FixTag.BeginString);
        if (options.CheckFieldsOutOfOrder && !message.ValidStructure) return new FixFault(FixFaultKind.TagOutOfOrder, message.OutOfOrderTag);
        if (application.HasVersion)
        {
            if (!application.DefinesMessage(msgType)) return new FixFault(FixFaultKind.InvalidMessageType, FixTag.MsgType);
            if (MissingRequired(message.Body, application, msgType) is { } missing) return new FixFault(FixFaultKind.RequiredTagMissing, missing);
        }
        return Iterate(message, message.Header, session, msgType, options)
            ?? Iterate(message, message.Trailer, session, msgType, options)
            ?? Iterate(message, message.Body, application, msgType, options);
    }

    private static int? MissingRequired(FixFieldMap map, FixDictionary dd, string msgType)
    {
        foreach (var tag in dd.RequiredFields(msgType))
            if (!map.Contains(tag)) return tag;
        foreach (var countTag in map.GroupTags)
        {
            if (!dd.TryGetGroup(msgType, countTag, out var group)) continue;
            foreach (var entry in map.Group(countTag))
                if (MissingRequired(entry, group.Members, msgType) is { } missing) return missing;
        }
        return null;
    }

    private static FixFault? Iterate(FixMessage message, FixFieldMap map, FixDictionary dd, string msgType, FixValidationOptions options)
    {
        var last = 0;
        for (var i = 0; i < map.Count; i++)
        {
            var field = map[i];
            var tag = field.Tag;
            var value = message.ValueOf(field);
            if (i > 0 && tag == last) return new FixFault(FixFaultKind.RepeatedTag, last);
            if (options.CheckFieldsHaveValues && value.Length == 0) return new FixFault(FixFaultKind.NoTagValue, tag);
            if (dd.HasVersion)
            {
                if (dd.TryGetType(tag, out var type) && !FixFieldTypes.IsValid(type, value)) return new FixFault(FixFaultKind.IncorrectDataFormat, tag);
                if (dd.HasValues(tag) && !dd.IsValue(tag, value)) return new FixFault(FixFaultKind.IncorrectTagValue, tag);
                if (ShouldCheckTag(tag, options))
                {
                    if (!dd.IsField(tag)) return new FixFault(FixFaultKind.InvalidTagNumber, tag);
                    if (!FixMessage.IsHeaderField(tag, dd) && !FixMessage.IsTrailerField(tag, dd))
                    {
                        if (!dd.IsMessageField(msgType, tag)) return new FixFault(FixFaultKind.TagNotDefinedForMessage, tag);
                        if (dd.TryGetGroup(msgType, tag, out _) && (!FixValues.TryParseInt(value, out var declared) || declared != map.GroupCount(tag)))
                            return new FixFault(FixFaultKind.RepeatingGroupCountMismatch, tag);
                    }
                }
            }
            last = tag;
        }
        return null;
    }

    private static bool ShouldCheckTag(int tag, FixValidationOptions options) =>
        !(options.AllowUnknownMessageFields && tag < UserMin) && (options.CheckUserDefinedFields || tag < UserMin);
}
