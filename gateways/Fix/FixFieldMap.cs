namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>Which part of a message a field map is; it decides the order fields are kept (and written) in.</summary>
public enum FixSection
{
    /// <summary>BeginString, BodyLength and MsgType first, then ascending tags.</summary>
    Header,
    /// <summary>Ascending tags.</summary>
    Body,
    /// <summary>Ascending tags with CheckSum last.</summary>
    Trailer,
    /// <summary>A repeating-group entry: its dictionary's member order.</summary>
    Group,
}

/// <summary>
/// The fields of one part of a parsed message (header, body, trailer or one repeating-group entry), as indexes into the
/// message's field list, kept in the order QuickFIX keeps them; a count field's entries hang under its tag. Maps are
/// pooled by their message, so parsing a message without groups allocates nothing.
/// </summary>
public sealed class FixFieldMap
{
    private readonly FixMessage _message;
    private int[] _items = new int[16];
    private int[] _tags = new int[16];
    private Dictionary<int, List<FixFieldMap>>? _groups;
    private FixDictionary? _members;

    internal FixFieldMap(FixMessage message) => _message = message;

    /// <summary>Which part this is.</summary>
    public FixSection Section { get; private set; }

    /// <summary>Number of fields (entries of groups not included).</summary>
    public int Count { get; private set; }

    /// <summary>The i-th field in order.</summary>
    public FixField this[int i] => _message.Field(_items[i]);

    /// <summary>Entries of the group a count field opens (empty when none).</summary>
    public IReadOnlyList<FixFieldMap> Group(int countTag) => _groups is not null && _groups.TryGetValue(countTag, out var entries) ? entries : [];

    /// <summary>Number of entries under a count tag.</summary>
    public int GroupCount(int countTag) => _groups is not null && _groups.TryGetValue(countTag, out var entries) ? entries.Count : 0;

    /// <summary>Count tags that have entries, ascending.</summary>
    public IEnumerable<int> GroupTags => _groups is { Count: > 0 } groups ? groups.Where(g => g.Value.Count > 0).Select(g => g.Key).Order() : [];

    /// <summary>Whether a tag is among the fields.</summary>
    public bool Contains(int tag) => _tags.AsSpan(0, Count).Contains(tag);

    /// <summary>The first field with a tag.</summary>
    public bool TryGet(int tag, out FixField field)
    {
        var i = _tags.AsSpan(0, Count).IndexOf(tag);
        field = i >= 0 ? _message.Field(_items[i]) : default;
        return i >= 0;
    }

    internal void Reset(FixSection section, FixDictionary? members)
    {
        Section = section;
        _members = members;
        Count = 0;
        _groups?.Clear();
    }

    internal void Append(int fieldIndex)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
            Array.Resize(ref _tags, _tags.Length * 2);
        }
        _tags[Count] = _message.Field(fieldIndex).Tag;
        _items[Count++] = fieldIndex;
    }

    internal void AddEntry(int countTag, FixFieldMap entry)
    {
        _groups ??= [];
        if (!_groups.TryGetValue(countTag, out var entries)) _groups[countTag] = entries = [];
        entries.Add(entry);
    }

    // The most recent field with a tag, as fields were appended (how a data field finds its length).
    internal bool TryGetLast(int tag, out FixField field)
    {
        var i = _tags.AsSpan(0, Count).LastIndexOf(tag);
        field = i >= 0 ? _message.Field(_items[i]) : default;
        return i >= 0;
    }

    // Insertion sort on a key per field that encodes the section's order: stable (repeated tags stay adjacent in arrival
    // order) and fast on the few, mostly ordered fields a message has.
    internal void Sort()
    {
        if (Count < 2) return;
        Span<long> keys = Count <= 64 ? stackalloc long[Count] : new long[Count];
        for (var i = 0; i < Count; i++) keys[i] = Key(_tags[i]);
        for (var i = 1; i < Count; i++)
        {
            var key = keys[i];
            if (key >= keys[i - 1]) continue;
            var item = _items[i];
            var tag = _tags[i];
            var j = i - 1;
            while (j >= 0 && keys[j] > key)
            {
                keys[j + 1] = keys[j];
                _items[j + 1] = _items[j];
                _tags[j + 1] = _tags[j];
                j--;
            }
            keys[j + 1] = key;
            _items[j + 1] = item;
            _tags[j + 1] = tag;
        }
    }

    // Header: 8, 9, 35 first, then by tag. Trailer: by tag, CheckSum last. Group: members by their position in the
    // group's definition, anything else after them by tag.
    private long Key(int tag) => Section switch
    {
        FixSection.Header => HeaderRank(tag) is var rank and not 0 ? rank - 4L + int.MinValue : tag,
        FixSection.Trailer => tag == FixTag.CheckSum ? long.MaxValue : tag,
        FixSection.Group => _members?.PositionOf(tag) is > 0 and var position ? position - (long)int.MaxValue * 4 : tag,
        _ => tag,
    };

    private static int HeaderRank(int tag) => tag switch
    {
        FixTag.BeginString => 1,
        FixTag.BodyLength => 2,
        FixTag.MsgType => 3,
        _ => 0,
    };
}
