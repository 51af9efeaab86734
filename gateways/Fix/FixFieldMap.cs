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
    public bool Contains(int tag)
    {
        for (var i = 0; i < Count; i++) if (_message.Field(_items[i]).Tag == tag) return true;
        return false;
    }

    /// <summary>The first field with a tag.</summary>
    public bool TryGet(int tag, out FixField field)
    {
        for (var i = 0; i < Count; i++)
        {
            field = _message.Field(_items[i]);
            if (field.Tag == tag) return true;
        }
        field = default;
        return false;
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
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
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
        for (var i = Count - 1; i >= 0; i--)
        {
            field = _message.Field(_items[i]);
            if (field.Tag == tag) return true;
        }
        field = default;
        return false;
    }

    // Insertion sort: stable (repeated tags stay adjacent in arrival order) and fast on the few, mostly ordered fields
    // a message has.
    internal void Sort()
    {
        for (var i = 1; i < Count; i++)
        {
            var item = _items[i];
            var key = _message.Field(item).Tag;
            var j = i - 1;
            while (j >= 0 && Before(key, _message.Field(_items[j]).Tag))
            {
                _items[j + 1] = _items[j];
                j--;
            }
            _items[j + 1] = item;
        }
    }

    private bool Before(int x, int y) => Section switch
    {
        FixSection.Header => HeaderRank(x) is var rx && HeaderRank(y) is var ry && (rx != 0 || ry != 0) ? rx != 0 && (ry == 0 || rx < ry) : x < y,
        FixSection.Trailer => x != FixTag.CheckSum && (y == FixTag.CheckSum || x < y),
        FixSection.Group => GroupBefore(x, y),
        _ => x < y,
    };

    private bool GroupBefore(int x, int y)
    {
        var px = _members?.PositionOf(x) ?? 0;
        var py = _members?.PositionOf(y) ?? 0;
        if (px == 0 && py == 0) return x < y;
        if (px == 0) return false;
        if (py == 0) return true;
        return px < py;
    }

    private static int HeaderRank(int tag) => tag switch
    {
        FixTag.BeginString => 1,
        FixTag.BodyLength => 2,
        FixTag.MsgType => 3,
        _ => 0,
    };
}
