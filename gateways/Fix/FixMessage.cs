using System.Buffers.Text;
using System.Text;


namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>
/// A received FIX message: its bytes and a field index (tag, value offset, length) in wire order. Parsing copies the
/// frame once and indexes it; values are read as spans. Instances are reusable (<see cref="Parse"/> overwrites), so a
/// receive loop parses without allocating.
/// </summary>
public sealed class FixMessage
{
    private byte[] _bytes;
    private int _length;
    private FixField[] _fields;

    /// <summary>An empty message with room for typical sizes.</summary>
    public FixMessage()
    {
        _bytes = new byte[512];
        _fields = new FixField[64];
    }

    /// <summary>The frame's bytes.</summary>
    public ReadOnlySpan<byte> Raw => _bytes.AsSpan(0, _length);

    /// <summary>Number of fields, header and trailer included.</summary>
    public int FieldCount { get; private set; }

    /// <summary>Field i in wire order.</summary>
    public FixField Field(int i) => _fields[i];

    /// <summary>The first malformed field, if any: index in wire order and the reason (tag not a number, no value).</summary>
    public (int Index, SessionRejectReason Reason)? Malformed { get; private set; }

    /// <summary>Value bytes of a field.</summary>
    public ReadOnlySpan<byte> ValueOf(FixField field) => _bytes.AsSpan(field.Offset, field.Length);

    /// <summary>Parses a complete frame (as delimited by <see cref="FixFramer"/>) into a new message.</summary>
    public static FixMessage Parse(ReadOnlySpan<byte> frame) => new FixMessage().Load(frame);

    /// <summary>Parses a complete frame into this instance, replacing its content (no allocation once warmed up).</summary>
    public FixMessage Load(ReadOnlySpan<byte> frame)
    {
        if (_bytes.Length < frame.Length) _bytes = new byte[Math.Max(frame.Length, 2 * _bytes.Length)];
        frame.CopyTo(_bytes);
        _length = frame.Length;
        FieldCount = 0;
        Malformed = null;
        var span = _bytes.AsSpan(0, _length);
        var position = 0;
        while (position < span.Length)
        {
            var rest = span[position..];
            var end = rest.IndexOf((byte)1);
            if (end < 0) end = rest.Length;
            var field = rest[..end];
            var equals = field.IndexOf((byte)'=');
            var tag = 0;
            if (equals > 0 && equals <= 9)
            {
                foreach (var d in field[..equals])
                {
                    if (d < (byte)'0' || d > (byte)'9') { tag = 0; break; }
                    tag = tag * 10 + (d - '0');
                }
            }
            if (FieldCount == _fields.Length) Array.Resize(ref _fields, _fields.Length * 2);
            var valueOffset = equals < 0 ? position + end : position + equals + 1;
            var valueLength = equals < 0 ? 0 : end - equals - 1;
            _fields[FieldCount] = new FixField(tag, valueOffset, valueLength);
            if (Malformed is null)
            {
                if (tag <= 0) Malformed = (FieldCount, SessionRejectReason.InvalidTagNumber);
                else if (valueLength == 0) Malformed = (FieldCount, SessionRejectReason.TagWithoutValue);
            }
            FieldCount++;
            position += end + 1;
        }
        return this;
    }

    /// <summary>Index of the first field with this tag, or −1.</summary>
    public int IndexOf(int tag)
    {
        for (var i = 0; i < FieldCount; i++) if (_fields[i].Tag == tag) return i;
        return -1;
    }

    /// <summary>The first value of a tag.</summary>
    public bool TryGet(int tag, out ReadOnlySpan<byte> value)
    {
        var i = IndexOf(tag);
        value = i < 0 ? default : ValueOf(_fields[i]);
        return i >= 0;
    }

    /// <summary>Every value of a tag in wire order (repeating-group members).</summary>
    public IReadOnlyList<string> Values(int tag)
    {
        var values = new List<string>();
        for (var i = 0; i < FieldCount; i++) if (_fields[i].Tag == tag) values.Add(Encoding.Latin1.GetString(ValueOf(_fields[i])));
        return values;
    }

    /// <summary>Whether the tag is present.</summary>
    public bool Has(int tag) => IndexOf(tag) >= 0;

    /// <summary>The value as a string (ASCII/Latin-1), or null if absent.</summary>
    public string? GetString(int tag) => TryGet(tag, out var v) ? Encoding.Latin1.GetString(v) : null;

    /// <summary>The value as an integer.</summary>
    public bool TryGetInt(int tag, out int value)
    {
        value = 0;
        return TryGet(tag, out var v) && Utf8Parser.TryParse(v, out value, out var consumed) && consumed == v.Length;
    }

    /// <summary>The value as a decimal (FIX Price/Qty/Float: no exponent).</summary>
    public bool TryGetDecimal(int tag, out decimal value)
    {
        value = 0;
        return TryGet(tag, out var v) && FixValues.TryParseDecimal(v, out value);
    }

    /// <summary>The value as a UTCTimestamp in ns since the epoch.</summary>
    public bool TryGetTimestamp(int tag, out long nanos)
    {
        nanos = 0;
        return TryGet(tag, out var v) && FixValues.TryParseTimestamp(v, out nanos);
    }

    /// <summary>MsgType (35).</summary>
    public ReadOnlySpan<byte> MsgType => TryGet(FixTag.MsgType, out var v) ? v : default;

    /// <summary>MsgType (35) as a string (one-character types come from a table: no allocation per message).</summary>
    public string MsgTypeString
    {
        get
        {
            var type = MsgType;
            return type.Length == 1 && type[0] < 128 ? SingleCharTypes[type[0]] : Encoding.ASCII.GetString(type);
        }
    }

    private static readonly string[] SingleCharTypes = [.. Enumerable.Range(0, 128).Select(c => ((char)c).ToString())];

    /// <summary>MsgSeqNum (34), or 0 when absent or malformed.</summary>
    public int SeqNum => TryGetInt(FixTag.MsgSeqNum, out var v) ? v : 0;

    /// <summary>Whether PossDupFlag (43) is Y.</summary>
    public bool IsPossDup => TryGet(FixTag.PossDupFlag, out var v) && v.Length == 1 && v[0] == (byte)'Y';

    /// <summary>Whether the value of a tag equals the ASCII text.</summary>
    public bool Is(int tag, string text) => TryGet(tag, out var v) && FixValues.EqualsAscii(v, text);

    /// <summary>An independent copy.</summary>
    public FixMessage Clone() => new FixMessage().Load(Raw);

    /// <summary>The frame with SOH shown as '|'.</summary>
    public override string ToString() => Encoding.Latin1.GetString(Raw).Replace('\u0001', '|');
}
