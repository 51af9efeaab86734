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
        var definition = application.Message(msgType);
        if (application.HasVersion)
        {
            if (!application.DefinesMessage(msgType)) return new FixFault(FixFaultKind.InvalidMessageType, FixTag.MsgType);
            if (definition is not null && MissingRequired(message.Body, definition) is { } missing) return new FixFault(FixFaultKind.RequiredTagMissing, missing);
        }
        return Iterate(message, message.Header, session, session.Message(msgType), options)
            ?? Iterate(message, message.Trailer, session, session.Message(msgType), options)
            ?? Iterate(message, message.Body, application, definition, options);
    }

    private static int? MissingRequired(FixFieldMap map, FixMessageDefinition definition)
    {
        foreach (var tag in definition.Required)
            if (!map.Contains(tag)) return tag;
        foreach (var countTag in map.GroupTags)
        {
            if (definition.Group(countTag) is not { } group || group.Members.Message(definition.MsgType) is not { } members) continue;
            foreach (var entry in map.Group(countTag))
                if (MissingRequired(entry, members) is { } missing) return missing;
        }
        return null;
    }

    private static FixFault? Iterate(FixMessage message, FixFieldMap map, FixDictionary dd, FixMessageDefinition? definition, FixValidationOptions options)
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
                var known = dd.Field(tag);
                if (known is not null)
                {
                    if (!FixFieldTypes.IsValid(known.Type, value)) return new FixFault(FixFaultKind.IncorrectDataFormat, tag);
                    if (known.Values is not null && !FixDictionary.IsValue(known, value)) return new FixFault(FixFaultKind.IncorrectTagValue, tag);
                }
                if (ShouldCheckTag(tag, options))
                {
                    if (known is null) return new FixFault(FixFaultKind.InvalidTagNumber, tag);
                    if (!FixMessage.IsStandardHeaderField(tag) && !known.IsHeader && !FixMessage.IsStandardTrailerField(tag) && !known.IsTrailer)
                    {
                        if (definition is null || !definition.IsField(tag)) return new FixFault(FixFaultKind.TagNotDefinedForMessage, tag);
                        if (definition.Group(tag) is not null && (!FixValues.TryParseInt(value, out var declared) || declared != map.GroupCount(tag)))
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
