using System.Xml.Linq;

namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>Why a message failed validation: a session Reject (35=3) or, for a valid but unsupported MsgType, a business reject.</summary>
/// <param name="Reason">SessionRejectReason (373) to report.</param>
/// <param name="RefTag">The offending tag (371), 0 when none.</param>
/// <param name="Text">A precise description for Text (58) and the log.</param>
/// <param name="UnsupportedMessageType">True when the MsgType is valid FIX but not defined here: answer with BusinessMessageReject 380=3.</param>
public readonly record struct FixRejection(SessionRejectReason Reason, int RefTag, string Text, bool UnsupportedMessageType = false);

/// <summary>
/// A FIX data dictionary in QuickFIX's XML format (fields with types and enumerations; header, trailer, messages,
/// components and repeating groups). Validates parsed messages: field order of the standard header, required tags,
/// tags defined for the message type, undefined tags, enumerated values, data formats, repeated tags and group counts,
/// each with its SessionRejectReason. The embedded default, <see cref="Fix44"/>, covers what the platform speaks.
/// </summary>
public sealed class FixDictionary
{
    private readonly Dictionary<int, FieldDefinition> _fields = [];
    private readonly Dictionary<string, int> _tagsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MessageDefinition> _messages = new(StringComparer.Ordinal);
    private readonly HashSet<int> _header = [];
    private readonly HashSet<int> _trailer = [];
    private readonly List<int> _requiredHeader = [];

    private FixDictionary(XDocument document)
    {
        var root = document.Root ?? throw new FixDictionaryException("the dictionary has no root element");
        BeginString = $"{root.Attribute("type")?.Value ?? "FIX"}.{root.Attribute("major")?.Value}.{root.Attribute("minor")?.Value}";
        foreach (var field in root.Element("fields")?.Elements("field") ?? [])
        {
            var name = Required(field, "name");
            if (!int.TryParse(Required(field, "number"), out var tag) || tag <= 0) throw new FixDictionaryException($"field {name} has an invalid number");
            var values = field.Elements("value").Select(v => Required(v, "enum")).ToHashSet(StringComparer.Ordinal);
            _fields[tag] = new FieldDefinition(tag, name, Required(field, "type").ToUpperInvariant(), values.Count > 0 ? values : null);
            _tagsByName[name] = tag;
        }
        var components = (root.Element("components")?.Elements("component") ?? []).ToDictionary(c => Required(c, "name"), c => c, StringComparer.Ordinal);
        var header = root.Element("header") ?? throw new FixDictionaryException("the dictionary has no header");
        foreach (var (tag, required, _) in Members(header, components)) { _header.Add(tag); if (required) _requiredHeader.Add(tag); }
        foreach (var (tag, _, _) in Members(root.Element("trailer") ?? new XElement("trailer"), components)) _trailer.Add(tag);
        foreach (var message in root.Element("messages")?.Elements("message") ?? [])
        {
            var definition = new MessageDefinition(Required(message, "msgtype"), Required(message, "name"));
            Fill(definition.Body, message, components);
            _messages[definition.MsgType] = definition;
        }
        if (!_fields.ContainsKey(FixTag.MsgType)) throw new FixDictionaryException("the dictionary does not define MsgType (35)");
    }

    /// <summary>The embedded FIX 4.4 dictionary.</summary>
    public static FixDictionary Fix44 { get; } = LoadEmbedded();

    /// <summary>BeginString of this dictionary's version, e.g. FIX.4.4.</summary>
    public string BeginString { get; }

    /// <summary>Loads a QuickFIX-format dictionary file.</summary>
    /// <exception cref="FixDictionaryException">The file is missing, not XML, or not a usable dictionary.</exception>
    public static FixDictionary Load(string path)
    {
        if (!File.Exists(path)) throw new FixDictionaryException($"dictionary file {path} does not exist");
        try
        {
            return new FixDictionary(XDocument.Load(path));
        }
        catch (System.Xml.XmlException e)
        {
            throw new FixDictionaryException($"dictionary file {path} is not valid XML: {e.Message}");
        }
    }

    /// <summary>Whether a message type is defined.</summary>
    public bool DefinesMessage(string msgType) => _messages.ContainsKey(msgType);

    /// <summary>Tag of a field name, for applications that address fields by name.</summary>
    public int TagOf(string fieldName) => _tagsByName.TryGetValue(fieldName, out var tag) ? tag : throw new KeyNotFoundException($"field {fieldName} is not in the dictionary");

    /// <summary>Validates a parsed message; null when it is valid.</summary>
    public FixRejection? Validate(FixMessage message)
    {
        if (message.Malformed is { } malformed)
        {
            var field = message.Field(malformed.Index);
            return new FixRejection(malformed.Reason, field.Tag, malformed.Reason == SessionRejectReason.InvalidTagNumber ? $"field {malformed.Index + 1} has no valid tag number" : $"tag {field.Tag} has no value");
        }
        if (message.FieldCount < 4 || message.Field(2).Tag != FixTag.MsgType)
            return new FixRejection(SessionRejectReason.TagOutOfOrder, message.FieldCount > 2 ? message.Field(2).Tag : FixTag.MsgType, "MsgType (35) must be the third field");
        var msgType = message.MsgTypeString;
        var msgTypeField = _fields[FixTag.MsgType];
        if (msgTypeField.Values is { } known && !known.Contains(msgType))
            return new FixRejection(SessionRejectReason.InvalidMsgType, FixTag.MsgType, $"MsgType {msgType} is not a valid {BeginString} message type");
        if (!_messages.TryGetValue(msgType, out var definition))
            return new FixRejection(SessionRejectReason.InvalidMsgType, FixTag.MsgType, $"MsgType {msgType} is not supported", UnsupportedMessageType: true);

        var seen = new HashSet<int>();
        var inBody = false;
        var i = 0;
        for (; i < message.FieldCount; i++)
        {
            var field = message.Field(i);
            var tag = field.Tag;
            if (tag == FixTag.CheckSum) break;
            if (_header.Contains(tag) && !definition.Body.Tags.ContainsKey(tag))
            {
                if (inBody) return new FixRejection(SessionRejectReason.TagOutOfOrder, tag, $"header tag {tag} appears after body fields");
                if (!seen.Add(tag)) return new FixRejection(SessionRejectReason.TagAppearsMoreThanOnce, tag, $"tag {tag} appears more than once");
                if (CheckValue(message, field) is { } bad) return bad;
                continue;
            }
            if (_trailer.Contains(tag)) continue;
            inBody = true;
            if (!_fields.ContainsKey(tag)) return new FixRejection(SessionRejectReason.UndefinedTag, tag, $"tag {tag} is not defined in {BeginString}");
            if (!definition.Body.Tags.ContainsKey(tag)) return new FixRejection(SessionRejectReason.TagNotDefinedForMessageType, tag, $"tag {tag} is not defined for MsgType {msgType}");
            if (!seen.Add(tag)) return new FixRejection(SessionRejectReason.TagAppearsMoreThanOnce, tag, $"tag {tag} appears more than once");
            if (CheckValue(message, field) is { } invalid) return invalid;
            if (definition.Body.Groups.TryGetValue(tag, out var group))
            {
                var problem = ReadGroup(message, ref i, group, msgType);
                if (problem is not null) return problem;
            }
        }
        foreach (var tag in _requiredHeader)
            if (!seen.Contains(tag) && tag is not (FixTag.BeginString or FixTag.BodyLength or FixTag.CheckSum))
                return new FixRejection(SessionRejectReason.RequiredTagMissing, tag, $"required header tag {tag} is missing");
        foreach (var tag in definition.Body.Required)
            if (!seen.Contains(tag)) return new FixRejection(SessionRejectReason.RequiredTagMissing, tag, $"required tag {tag} is missing from MsgType {msgType}");
        return null;
    }

    // Reads the entries of a group whose count field is at index i; leaves i on the last field consumed.
    private FixRejection? ReadGroup(FixMessage message, ref int i, GroupDefinition group, string msgType)
    {
        if (!int.TryParse(message.ValueOf(message.Field(i)), out var count) || count < 0)
            return new FixRejection(SessionRejectReason.IncorrectDataFormat, group.CountTag, $"NumInGroup {group.CountTag} is not a count");
        var entries = 0;
        while (i + 1 < message.FieldCount)
        {
            var next = message.Field(i + 1);
            if (next.Tag != group.Body.Delimiter) break;
            entries++;
            var entryTags = new HashSet<int>();
            while (i + 1 < message.FieldCount)
            {
                next = message.Field(i + 1);
                if (!group.Body.Tags.ContainsKey(next.Tag) || (next.Tag == group.Body.Delimiter && entryTags.Count > 0)) break;
                if (!entryTags.Add(next.Tag)) return new FixRejection(SessionRejectReason.RepeatingGroupOutOfOrder, next.Tag, $"tag {next.Tag} repeats inside one entry of group {group.CountTag}");
                i++;
                if (CheckValue(message, next) is { } bad) return bad;
                if (group.Body.Groups.TryGetValue(next.Tag, out var nested))
                {
                    var problem = ReadGroup(message, ref i, nested, msgType);
                    if (problem is not null) return problem;
                }
            }
            foreach (var required in group.Body.Required)
                if (!entryTags.Contains(required)) return new FixRejection(SessionRejectReason.RequiredTagMissing, required, $"required tag {required} is missing from an entry of group {group.CountTag} in MsgType {msgType}");
        }
        if (i + 1 < message.FieldCount && group.Body.Tags.ContainsKey(message.Field(i + 1).Tag) && message.Field(i + 1).Tag != group.Body.Delimiter)
            return new FixRejection(SessionRejectReason.RepeatingGroupOutOfOrder, message.Field(i + 1).Tag, $"group {group.CountTag} entries must start with tag {group.Body.Delimiter}");
        if (entries != count)
            return new FixRejection(SessionRejectReason.IncorrectNumInGroupCount, group.CountTag, $"NumInGroup {group.CountTag} says {count} entries, the message has {entries}");
        return null;
    }

    private FixRejection? CheckValue(FixMessage message, FixField field)
    {
        if (!_fields.TryGetValue(field.Tag, out var definition)) return null;
        var value = message.ValueOf(field);
        if (!FixValueFormat.IsValid(definition.Type, value))
            return new FixRejection(SessionRejectReason.IncorrectDataFormat, field.Tag, $"tag {field.Tag} ({definition.Name}) is not a valid {definition.Type}");
        if (definition.Values is { } values)
        {
            if (definition.Type is "MULTIPLEVALUESTRING" or "MULTIPLECHARVALUE")
            {
                foreach (var part in System.Text.Encoding.Latin1.GetString(value).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (!values.Contains(part)) return new FixRejection(SessionRejectReason.ValueOutOfRange, field.Tag, $"tag {field.Tag} ({definition.Name}) has an invalid value {part}");
            }
            else if (!values.Contains(System.Text.Encoding.Latin1.GetString(value)))
                return new FixRejection(SessionRejectReason.ValueOutOfRange, field.Tag, $"tag {field.Tag} ({definition.Name}) has an invalid value {System.Text.Encoding.Latin1.GetString(value)}");
        }
        return null;
    }

    private void Fill(FieldSet set, XElement element, Dictionary<string, XElement> components)
    {
        foreach (var (tag, required, child) in Members(element, components))
        {
            set.Delimiter ??= tag;
            set.Tags[tag] = required;
            if (required) set.Required.Add(tag);
            if (child is not null)
            {
                var group = new GroupDefinition(tag);
                Fill(group.Body, child, components);
                set.Groups[tag] = group;
            }
        }
    }

    // Fields of an element with components expanded; groups come with their element.
    private IEnumerable<(int Tag, bool Required, XElement? Group)> Members(XElement element, Dictionary<string, XElement> components, int depth = 0)
    {
        if (depth > 20) throw new FixDictionaryException("components nest too deeply (a cycle?)");
        foreach (var child in element.Elements())
        {
            var name = Required(child, "name");
            var required = child.Attribute("required")?.Value == "Y";
            switch (child.Name.LocalName)
            {
                case "field":
                    yield return (TagByName(name), required, null);
                    break;
                case "group":
                    yield return (TagByName(name), required, child);
                    break;
                case "component":
                    if (!components.TryGetValue(name, out var component)) throw new FixDictionaryException($"component {name} is not defined");
                    foreach (var member in Members(component, components, depth + 1))
                        yield return (member.Tag, member.Required && required, member.Group);
                    break;
            }
        }
    }

    private int TagByName(string name) => _tagsByName.TryGetValue(name, out var tag) ? tag : throw new FixDictionaryException($"field {name} is used but not defined");

    private static string Required(XElement element, string attribute) =>
        element.Attribute(attribute)?.Value ?? throw new FixDictionaryException($"<{element.Name.LocalName}> lacks the {attribute} attribute");

    private static FixDictionary LoadEmbedded()
    {
        using var stream = typeof(FixDictionary).Assembly.GetManifestResourceStream("fix/FIX44.xml")
            ?? throw new InvalidOperationException("the embedded FIX 4.4 dictionary is missing from the assembly");
        return new FixDictionary(XDocument.Load(stream));
    }

    private sealed record FieldDefinition(int Tag, string Name, string Type, HashSet<string>? Values);

    private sealed class FieldSet
    {
        public Dictionary<int, bool> Tags { get; } = [];
        public List<int> Required { get; } = [];
        public Dictionary<int, GroupDefinition> Groups { get; } = [];
        public int? Delimiter { get; set; }
    }

    private sealed record MessageDefinition(string MsgType, string Name)
    {
        public FieldSet Body { get; } = new();
    }

    private sealed record GroupDefinition(int CountTag)
    {
        public FieldSet Body { get; } = new();
    }
}

/// <summary>A dictionary file that cannot be used.</summary>
public sealed class FixDictionaryException(string message) : Exception(message);
