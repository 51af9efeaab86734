using System.Text;
using System.Xml.Linq;

namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>A repeating group of a message: its first field (the delimiter) and the dictionary of its members.</summary>
/// <param name="Delimiter">The tag every entry starts with.</param>
/// <param name="Members">Fields, required fields and nested groups of one entry.</param>
public sealed record FixGroupDefinition(int Delimiter, FixDictionary Members);

/// <summary>What a dictionary says of one tag, looked up by index on the parse and validation path.</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Type">Its type.</param>
/// <param name="Values">Its enumerated values, or null.</param>
/// <param name="IsHeader">Whether the dictionary's header lists it.</param>
/// <param name="IsTrailer">Whether the dictionary's trailer lists it.</param>
public sealed record FixFieldDefinition(int Tag, FixFieldType Type, HashSet<string>? Values, bool IsHeader, bool IsTrailer)
{
    /// <summary>Whether the value may hold any byte (its length is in the field before it).</summary>
    public bool IsData => Type == FixFieldType.Data;
}

/// <summary>One message type of a dictionary: its fields (top level), required fields in tag order and its groups.</summary>
public sealed class FixMessageDefinition
{
    private readonly bool[] _fields;
    private readonly FixGroupDefinition?[] _groups;

    internal FixMessageDefinition(string msgType, IReadOnlySet<int> fields, int[] required, IReadOnlyDictionary<int, FixGroupDefinition> groups)
    {
        MsgType = msgType;
        _fields = new bool[fields.Count == 0 ? 0 : Math.Max(0, fields.Max()) + 1];
        foreach (var tag in fields) if (tag >= 0) _fields[tag] = true;
        _groups = new FixGroupDefinition?[groups.Count == 0 ? 0 : Math.Max(0, groups.Keys.Max()) + 1];
        foreach (var (tag, group) in groups) if (tag >= 0) _groups[tag] = group;
        Required = required;
    }

    /// <summary>The MsgType (or "_header_"/"_trailer_" for the envelope's groups).</summary>
    public string MsgType { get; }

    /// <summary>Required fields, ascending.</summary>
    public int[] Required { get; }

    /// <summary>Whether the message defines a tag at its top level.</summary>
    public bool IsField(int tag) => (uint)tag < (uint)_fields.Length && _fields[tag];

    /// <summary>The group a count tag opens in this message.</summary>
    public FixGroupDefinition? Group(int tag) => (uint)tag < (uint)_groups.Length ? _groups[tag] : null;
}

/// <summary>
/// A FIX data dictionary read from a QuickFIX-format XML specification (QuickFIX's <c>spec/FIX4x.xml</c>,
/// <c>FIX50*.xml</c>, <c>FIXT11.xml</c>): fields with types and enumerations, header and trailer, messages with
/// their fields, required fields and repeating groups (components expanded). It is built the way QuickFIX builds its
/// DataDictionary, down to which component fields count as required, so validation against it (<see cref="FixValidator"/>)
/// agrees with QuickFIX's. The embedded <see cref="Fix44"/> is QuickFIX's own FIX 4.4 dictionary.
/// </summary>
public sealed class FixDictionary
{
    private readonly HashSet<int> _fields = [];
    private readonly List<int> _orderedFields = [];
    private readonly Dictionary<int, FixFieldType> _types = [];
    private readonly Dictionary<int, HashSet<string>> _values = [];
    private readonly Dictionary<int, string> _names = [];
    private readonly Dictionary<string, int> _tags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _msgTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<int>> _messageFields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<int>> _requiredFields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _required = new(StringComparer.Ordinal);
    private readonly HashSet<int> _headerFields = [];
    private readonly HashSet<int> _trailerFields = [];
    private readonly Dictionary<int, Dictionary<string, FixGroupDefinition>> _groups = [];
    private readonly HashSet<int> _dataFields = [];
    private readonly Dictionary<string, FixMessageDefinition> _definitions = new(StringComparer.Ordinal);
    private FixFieldDefinition?[] _definitionsByTag = [];
    private int[] _positions = [];
    private bool[] _isField = [];

    private FixDictionary(string version) => Version = version;

    /// <summary>A dictionary that defines nothing: messages are checked for structure only (QuickFIX without a data dictionary).</summary>
    public static FixDictionary Empty { get; } = new("");

    /// <summary>The embedded FIX 4.4 dictionary: QuickFIX 1.15.1's spec/FIX44.xml, every FIX 4.4 message and field.</summary>
    public static FixDictionary Fix44 { get; } = LoadEmbedded();

    /// <summary>The version this dictionary describes (FIX.4.4, FIXT.1.1, FIX.5.0 for every FIX 5.0 service pack); empty when none.</summary>
    public string Version { get; }

    /// <summary>BeginString of this dictionary's version.</summary>
    public string BeginString => Version;

    /// <summary>Whether the dictionary names a version (then values are checked against types and enumerations).</summary>
    public bool HasVersion => Version.Length > 0;

    /// <summary>Loads a QuickFIX-format dictionary file.</summary>
    /// <exception cref="FixDictionaryException">The file is missing, not XML, or not a usable dictionary.</exception>
    public static FixDictionary Load(string path)
    {
        if (!File.Exists(path)) throw new FixDictionaryException($"dictionary file {path} does not exist");
        try
        {
            return Read(XDocument.Load(path));
        }
        catch (System.Xml.XmlException e)
        {
            throw new FixDictionaryException($"dictionary file {path} is not valid XML: {e.Message}");
        }
        catch (FixDictionaryException e)
        {
            throw new FixDictionaryException($"{path}: {e.Message}");
        }
    }

    /// <summary>Whether a tag is defined (a member, for a group's dictionary).</summary>
    public bool IsField(int tag) => (uint)tag < (uint)_isField.Length ? _isField[tag] : _fields.Contains(tag);

    /// <summary>What the dictionary's fields section says of a tag (null when it does not define it).</summary>
    public FixFieldDefinition? Field(int tag) => (uint)tag < (uint)_definitionsByTag.Length ? _definitionsByTag[tag] : null;

    /// <summary>A message type's definition (null when the dictionary does not define it).</summary>
    public FixMessageDefinition? Message(string msgType) => _definitions.GetValueOrDefault(msgType);

    /// <summary>Whether a tag is of type DATA (its value may hold any byte; its length is in the field before it).</summary>
    public bool IsDataField(int tag) => Field(tag)?.IsData == true;

    /// <summary>Whether a tag belongs to the standard header.</summary>
    public bool IsHeaderField(int tag) => Field(tag)?.IsHeader == true;

    /// <summary>Whether a tag belongs to the standard trailer.</summary>
    public bool IsTrailerField(int tag) => Field(tag)?.IsTrailer == true;

    /// <summary>Whether a message type is defined (in the messages section; groups of the envelope do not count).</summary>
    public bool DefinesMessage(string msgType) => _msgTypes.Contains(msgType);

    /// <summary>Whether a tag is defined for a message type (top level: group members are their group's).</summary>
    public bool IsMessageField(string msgType, int tag) => Message(msgType)?.IsField(tag) == true;

    /// <summary>The type of a tag.</summary>
    public bool TryGetType(int tag, out FixFieldType type)
    {
        var field = Field(tag);
        type = field?.Type ?? FixFieldType.Unknown;
        return field is not null;
    }

    /// <summary>Whether a tag has enumerated values.</summary>
    public bool HasValues(int tag) => Field(tag)?.Values is not null;

    /// <summary>Whether a value is one of the tag's enumerated values (each of them, for multiple-value types).</summary>
    public bool IsValue(int tag, ReadOnlySpan<byte> value) => Field(tag) is { } field && IsValue(field, value);

    /// <summary>Whether a value is one of a field's enumerated values (each of them, for multiple-value types).</summary>
    public static bool IsValue(FixFieldDefinition field, ReadOnlySpan<byte> value)
    {
        if (field.Values is not { } values) return false;
        var lookup = values.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> text = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        Encoding.Latin1.GetChars(value, text);
        if (!FixFieldTypes.IsMultipleValue(field.Type)) return lookup.Contains(text);
        ReadOnlySpan<char> rest = text;
        while (true)
        {
            var space = rest.IndexOf(' ');
            if (!lookup.Contains(space < 0 ? rest : rest[..space])) return false;
            if (space < 0) return true;
            rest = rest[(space + 1)..];
        }
    }

    /// <summary>Required body fields of a message type, in tag order.</summary>
    public ReadOnlySpan<int> RequiredFields(string msgType) => Message(msgType)?.Required ?? [];

    /// <summary>The repeating group a count tag opens in a message type ("_header_" for the header).</summary>
    public bool TryGetGroup(string msgType, int tag, out FixGroupDefinition group)
    {
        group = Message(msgType)?.Group(tag)!;
        return group is not null;
    }

    /// <summary>Position of a tag in a group entry's field order (1-based; 0 when not a member): how entries are written.</summary>
    public int PositionOf(int tag) => (uint)tag < (uint)_positions.Length ? _positions[tag] : 0;

    /// <summary>Tag of a field name, for applications that address fields by name.</summary>
    public int TagOf(string fieldName) => _tags.TryGetValue(fieldName, out var tag) ? tag : throw new KeyNotFoundException($"field {fieldName} is not in the dictionary");

    /// <summary>Name of a tag, if defined.</summary>
    public string? NameOf(int tag) => _names.GetValueOrDefault(tag);

    private static FixDictionary Read(XDocument document)
    {
        var root = document.Root;
        if (root is null || root.Name.LocalName != "fix") throw new FixDictionaryException("could not parse the data dictionary: no <fix> element at the root");
        var type = root.Attribute("type")?.Value ?? "FIX";
        if (type is not ("FIX" or "FIXT")) throw new FixDictionaryException("the type attribute must be FIX or FIXT");
        var major = root.Attribute("major")?.Value ?? throw new FixDictionaryException("the major attribute is missing from <fix>");
        var minor = root.Attribute("minor")?.Value ?? throw new FixDictionaryException("the minor attribute is missing from <fix>");
        var dd = new FixDictionary($"{type}.{major}.{minor}");

        var fields = root.Element("fields") ?? throw new FixDictionaryException("the <fields> section is missing");
        if (!fields.Elements().Any()) throw new FixDictionaryException("no fields are defined");
        foreach (var field in fields.Elements("field"))
        {
            var name = field.Attribute("name")?.Value ?? throw new FixDictionaryException("a <field> has no name attribute");
            var number = field.Attribute("number")?.Value ?? throw new FixDictionaryException($"<field> {name} has no number attribute");
            var xmlType = field.Attribute("type")?.Value ?? throw new FixDictionaryException($"<field> {name} has no type attribute");
            if (!int.TryParse(number, out var tag)) throw new FixDictionaryException($"<field> {name} has an invalid number {number}");
            dd.AddField(tag);
            var fieldType = FixFieldTypes.FromXml(xmlType, dd.Version);
            dd._types[tag] = fieldType;
            if (fieldType == FixFieldType.Data) dd._dataFields.Add(tag);
            if (!dd._tags.TryAdd(name, tag)) throw new FixDictionaryException($"the field named {name} is defined more than once");
            dd._names[tag] = name;
            foreach (var value in field.Elements("value"))
            {
                var enumeration = value.Attribute("enum")?.Value ?? throw new FixDictionaryException($"a <value> of field {name} has no enum attribute");
                if (!dd._values.TryGetValue(tag, out var set)) dd._values[tag] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(enumeration);
            }
        }

        var components = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var component in root.Element("components")?.Elements("component") ?? [])
            components.TryAdd(component.Attribute("name")?.Value ?? "", component);

        // FIX 5.0 application dictionaries have no header or trailer of their own: FIXT carries them.
        if (type == "FIXT" || string.CompareOrdinal(major, "5") < 0)
        {
            dd.ReadEnvelope(root, "header", "_header_", dd._headerFields, components);
            dd.ReadEnvelope(root, "trailer", "_trailer_", dd._trailerFields, components);
        }

        var messages = root.Element("messages") ?? throw new FixDictionaryException("the <messages> section is missing");
        if (!messages.Elements().Any()) throw new FixDictionaryException("no messages are defined");
        foreach (var message in messages.Elements("message"))
        {
            var msgType = message.Attribute("msgtype")?.Value ?? throw new FixDictionaryException("a <message> has no msgtype attribute");
            dd._msgTypes.Add(msgType);
            foreach (var member in message.Elements())
            {
                var required = IsRequired(member);
                switch (member.Name.LocalName)
                {
                    case "field":
                    case "group":
                        var tag = dd.LookupTag(member);
                        dd.AddMessageField(msgType, tag);
                        if (required) dd.AddRequired(msgType, tag);
                        if (member.Name.LocalName == "group") dd.AddXmlGroup(member, msgType, dd, required, components);
                        break;
                    case "component":
                        dd.AddXmlComponentFields(member, msgType, dd, required, components);
                        break;
                }
            }
        }
        dd.Freeze();
        return dd;
    }

    // Lookups the parse and validation path makes per field become array indexes: a definition per tag, and per message
    // type its fields, required fields (ascending) and groups.
    private void Freeze()
    {
        var maxTag = _fields.Count == 0 ? -1 : _fields.Max();
        _definitionsByTag = new FixFieldDefinition?[Math.Max(0, maxTag + 1)];
        _isField = new bool[Math.Max(0, maxTag + 1)];
        foreach (var tag in _fields) if (tag >= 0) _isField[tag] = true;
        foreach (var tag in _fields)
        {
            if (tag < 0 || !_types.TryGetValue(tag, out var type) && !_headerFields.Contains(tag) && !_trailerFields.Contains(tag)) continue;
            _definitionsByTag[tag] = new FixFieldDefinition(tag, type, _values.GetValueOrDefault(tag), _headerFields.Contains(tag), _trailerFields.Contains(tag));
        }
        _positions = new int[Math.Max(0, (_orderedFields.Count == 0 ? -1 : _orderedFields.Max()) + 1)];
        for (var i = 0; i < _orderedFields.Count; i++) if (_orderedFields[i] >= 0) _positions[_orderedFields[i]] = i + 1;
        foreach (var (msgType, set) in _requiredFields) _required[msgType] = [.. set];
        foreach (var byMessage in _groups.Values)
            foreach (var group in byMessage.Values) group.Members.Freeze();
        var msgTypes = _msgTypes.Concat(_messageFields.Keys).Concat(_requiredFields.Keys).Concat(_groups.Values.SelectMany(g => g.Keys)).Distinct(StringComparer.Ordinal);
        foreach (var msgType in msgTypes)
        {
            var groups = _groups.Where(g => g.Value.ContainsKey(msgType)).ToDictionary(g => g.Key, g => g.Value[msgType]);
            _definitions[msgType] = new FixMessageDefinition(msgType, _messageFields.GetValueOrDefault(msgType) ?? [], _required.GetValueOrDefault(msgType) ?? [], groups);
        }
    }

    private void ReadEnvelope(XElement root, string section, string groupKey, HashSet<int> set, Dictionary<string, XElement> components)
    {
        var element = root.Element(section) ?? throw new FixDictionaryException($"the <{section}> section is missing");
        if (!element.Elements().Any()) throw new FixDictionaryException($"no {section} fields are defined");
        foreach (var member in element.Elements())
        {
            if (member.Name.LocalName is not ("field" or "group")) continue;
            set.Add(LookupTag(member));
            if (member.Name.LocalName == "group") AddXmlGroup(member, groupKey, this, IsRequired(member), components);
        }
    }

    // Mirrors QuickFIX: a component's fields are required only when both field and component are, and a required
    // component nested inside makes its own required fields required of the message (this dictionary), wherever the
    // nesting sits; inside a group, components contribute members but no required fields.
    private int AddXmlComponentFields(XElement node, string msgType, FixDictionary target, bool componentRequired, Dictionary<string, XElement> components, int depth = 0)
    {
        if (depth > 32) throw new FixDictionaryException("components nest too deeply (a cycle?)");
        var name = node.Attribute("name")?.Value ?? throw new FixDictionaryException("a <component> has no name");
        if (!components.TryGetValue(name, out var component)) throw new FixDictionaryException($"component not found: {name}");
        var first = 0;
        foreach (var member in component.Elements())
        {
            var kind = member.Name.LocalName;
            if (kind is "field" or "group")
            {
                var tag = LookupTag(member);
                if (first == 0) first = tag;
                if (IsRequired(member) && componentRequired) AddRequired(msgType, tag);
                target.AddField(tag);
                target.AddMessageField(msgType, tag);
            }
            if (kind == "component") AddXmlComponentFields(member, msgType, target, IsRequired(member), components, depth + 1);
            if (kind == "group") AddXmlGroup(member, msgType, target, IsRequired(member), components, depth + 1);
        }
        return first;
    }

    private void AddXmlGroup(XElement node, string msgType, FixDictionary target, bool groupRequired, Dictionary<string, XElement> components, int depth = 0)
    {
        if (depth > 32) throw new FixDictionaryException("groups nest too deeply (a cycle?)");
        var countTag = LookupTag(node);
        var members = new FixDictionary(target.Version);
        var delimiter = 0;
        foreach (var member in node.Elements())
        {
            var field = 0;
            switch (member.Name.LocalName)
            {
                case "field":
                    field = LookupTag(member);
                    members.AddField(field);
                    if (IsRequired(member) && groupRequired) members.AddRequired(msgType, field);
                    break;
                case "component":
                    field = AddXmlComponentFields(member, msgType, members, false, components, depth + 1);
                    break;
                case "group":
                    field = LookupTag(member);
                    members.AddField(field);
                    if (IsRequired(member) && groupRequired) members.AddRequired(msgType, field);
                    AddXmlGroup(member, msgType, members, IsRequired(member), components, depth + 1);
                    break;
            }
            if (delimiter == 0) delimiter = field;
        }
        if (delimiter == 0) return;
        if (!target._groups.TryGetValue(countTag, out var byMessage)) target._groups[countTag] = byMessage = new Dictionary<string, FixGroupDefinition>(StringComparer.Ordinal);
        byMessage[msgType] = new FixGroupDefinition(delimiter, members);
    }

    private void AddField(int tag)
    {
        _fields.Add(tag);
        _orderedFields.Add(tag);
    }

    private void AddMessageField(string msgType, int tag)
    {
        if (!_messageFields.TryGetValue(msgType, out var set)) _messageFields[msgType] = set = [];
        set.Add(tag);
    }

    private void AddRequired(string msgType, int tag)
    {
        if (!_requiredFields.TryGetValue(msgType, out var set)) _requiredFields[msgType] = set = [];
        set.Add(tag);
    }

    private int LookupTag(XElement member)
    {
        var name = member.Attribute("name")?.Value ?? throw new FixDictionaryException($"a <{member.Name.LocalName}> has no name");
        return _tags.TryGetValue(name, out var tag) ? tag : throw new FixDictionaryException($"field {name} is not defined in the fields section");
    }

    private static bool IsRequired(XElement member) => member.Attribute("required")?.Value is "Y" or "y";

    private static FixDictionary LoadEmbedded()
    {
        using var stream = typeof(FixDictionary).Assembly.GetManifestResourceStream("fix/FIX44.xml")
            ?? throw new InvalidOperationException("the embedded FIX 4.4 dictionary is missing from the assembly");
        return Read(XDocument.Load(stream));
    }
}

/// <summary>A dictionary file that cannot be used.</summary>
public sealed class FixDictionaryException(string message) : Exception(message);
