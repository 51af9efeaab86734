using System.Text;

namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>
/// A received FIX message: its bytes, its fields in wire order, and the QuickFIX view of it: header, body and trailer
/// each in QuickFIX's field order, repeating groups recognised from the dictionaries, whether a header field came after
/// the body (<see cref="ValidStructure"/>), and why the frame is not a message at all (<see cref="Invalid"/>: a field
/// without '=', a tag that is not a number, BodyLength or CheckSum wrong). Data fields are read by the length in the
/// field before them, so their values may hold any byte. Instances are reusable (<see cref="Load(ReadOnlySpan{byte})"/>
/// overwrites), so a receive loop parses without allocating.
/// </summary>
public sealed class FixMessage
{
    private byte[] _bytes;
    private int _length;
    private FixField[] _fields;
    private readonly List<FixFieldMap> _maps = [];
    private int _mapsInUse;
    private FixDictionary? _sessionDictionary;
    private FixDictionary? _appDictionary;
    private bool _validated;

    /// <summary>An empty message with room for typical sizes.</summary>
    public FixMessage()
    {
        _bytes = new byte[512];
        _fields = new FixField[64];
        Header = Rent(FixSection.Header, null);
        Body = Rent(FixSection.Body, null);
        Trailer = Rent(FixSection.Trailer, null);
    }

    /// <summary>The frame's bytes.</summary>
    public ReadOnlySpan<byte> Raw => _bytes.AsSpan(0, _length);

    /// <summary>Number of fields, header and trailer included, in wire order (group members included).</summary>
    public int FieldCount { get; private set; }

    /// <summary>Field i in wire order.</summary>
    public FixField Field(int i) => _fields[i];

    /// <summary>Header fields in QuickFIX order.</summary>
    public FixFieldMap Header { get; }

    /// <summary>Body fields in ascending tag order, with repeating-group entries under their count fields.</summary>
    public FixFieldMap Body { get; }

    /// <summary>Trailer fields, CheckSum last.</summary>
    public FixFieldMap Trailer { get; }

    /// <summary>False when a header field followed a body or trailer field, or a body field a trailer field.</summary>
    public bool ValidStructure { get; private set; }

    /// <summary>The first field found out of its section's place (0 when the structure is valid).</summary>
    public int OutOfOrderTag { get; private set; }

    /// <summary>Why the frame is not a FIX message (null when it is one); such a message is ignored, never answered.</summary>
    public string? Invalid { get; private set; }

    /// <summary>Value bytes of a field.</summary>
    public ReadOnlySpan<byte> ValueOf(FixField field) => _bytes.AsSpan(field.Offset, field.Length);

    /// <summary>Parses a complete frame (as delimited by <see cref="FixFramer"/>) into a new message.</summary>
    public static FixMessage Parse(ReadOnlySpan<byte> frame) => new FixMessage().Load(frame);

    /// <summary>Parses a frame without a dictionary: standard header and trailer fields, no groups, no length check.</summary>
    public FixMessage Load(ReadOnlySpan<byte> frame) => Load(frame, null, null, validate: false);

    /// <summary>
    /// Parses a frame the way QuickFIX does: header, body and trailer sorted, groups read with the session dictionary
    /// (header and trailer, and admin bodies) and the application dictionary (application bodies). With
    /// <paramref name="validate"/> the first three fields must be 8, 9, 35 and BodyLength and CheckSum must be right.
    /// </summary>
    public FixMessage Load(ReadOnlySpan<byte> frame, FixDictionary? sessionDictionary, FixDictionary? appDictionary, bool validate)
    {
        if (_bytes.Length < frame.Length) _bytes = new byte[Math.Max(frame.Length, 2 * _bytes.Length)];
        frame.CopyTo(_bytes);
        _length = frame.Length;
        _sessionDictionary = sessionDictionary;
        _appDictionary = appDictionary;
        _validated = validate;
        FieldCount = 0;
        Invalid = null;
        ValidStructure = true;
        OutOfOrderTag = 0;
        _mapsInUse = 3;
        Header.Reset(FixSection.Header, null);
        Body.Reset(FixSection.Body, null);
        Trailer.Reset(FixSection.Trailer, null);
        Structure(sessionDictionary, appDictionary, validate);
        return this;
    }

    private void Structure(FixDictionary? sessionDd, FixDictionary? appDd, bool validate)
    {
        var position = 0;
        var count = 0;
        var section = FixSection.Header;
        var header = sessionDd?.Message("_header_");
        var trailer = sessionDd?.Message("_trailer_");
        FixMessageDefinition? body = null;
        while (position < _length && Invalid is null)
        {
            var index = Extract(ref position, sessionDd, appDd, null);
            if (index < 0) return;
            var field = _fields[index];
            if (count < 3)
            {
                var expected = count == 0 ? FixTag.BeginString : count == 1 ? FixTag.BodyLength : FixTag.MsgType;
                count++;
                if (field.Tag != expected && validate)
                {
                    Invalid = "Header fields out of order";
                    return;
                }
            }
            if (IsHeaderField(field.Tag, sessionDd))
            {
                if (section != FixSection.Header) MarkOutOfOrder(field.Tag);
                if (field.Tag == FixTag.MsgType)
                {
                    if (FixMsgType.IsAdmin(ValueOf(field))) appDd = sessionDd;
                    body = appDd?.Message(MsgTypeOf(field));
                }
                Header.Append(index);
                if (header is not null) ReadGroup(header, sessionDd!, field, ref position, Header);
            }
            else if (IsTrailerField(field.Tag, sessionDd))
            {
                section = FixSection.Trailer;
                Trailer.Append(index);
                if (trailer is not null) ReadGroup(trailer, sessionDd!, field, ref position, Trailer);
            }
            else
            {
                if (section == FixSection.Trailer) MarkOutOfOrder(field.Tag);
                section = FixSection.Body;
                Body.Append(index);
                if (body is not null) ReadGroup(body, appDd!, field, ref position, Body);
            }
        }
        if (Invalid is not null) return;
        Header.Sort();
        Body.Sort();
        Trailer.Sort();
        if (validate) CheckLengthAndChecksum();
    }

    private void MarkOutOfOrder(int tag)
    {
        if (OutOfOrderTag == 0) OutOfOrderTag = tag;
        ValidStructure = false;
    }

    // Entries start at the delimiter, or at a member field the current entry already has; a non-member ends the group.
    // The owner is the dictionary the group belongs to: it decides which member fields are data fields.
    private void ReadGroup(FixMessageDefinition definition, FixDictionary owner, FixField countField, ref int position, FixFieldMap map)
    {
        if (definition.Group(countField.Tag) is not { } group) return;
        var nested = group.Members.Message(definition.MsgType);
        FixFieldMap? entry = null;
        while (position < _length)
        {
            var before = position;
            var index = Extract(ref position, owner, owner, entry);
            if (index < 0) return;
            var field = _fields[index];
            var member = group.Members.IsField(field.Tag);
            if (field.Tag == group.Delimiter || (member && (entry is null || entry.Contains(field.Tag))))
            {
                if (entry is not null) map.AddEntry(countField.Tag, Sorted(entry));
                entry = Rent(FixSection.Group, group.Members);
            }
            else if (!member)
            {
                if (entry is not null) map.AddEntry(countField.Tag, Sorted(entry));
                position = before;
                FieldCount--;
                return;
            }
            entry!.Append(index);
            if (nested is not null) ReadGroup(nested, group.Members, field, ref position, entry);
        }
    }

    private static FixFieldMap Sorted(FixFieldMap entry)
    {
        entry.Sort();
        return entry;
    }

    // Reads one field at position; returns its index, or -1 with Invalid set.
    private int Extract(ref int position, FixDictionary? sessionDd, FixDictionary? appDd, FixFieldMap? group)
    {
        var span = _bytes.AsSpan(0, _length);
        var rest = span[position..];
        var equals = rest.IndexOf((byte)'=');
        if (equals < 0)
        {
            Invalid = "Equal sign not found in field";
            return -1;
        }
        if (!FixValues.TryParseInt(rest[..equals], out var tag))
        {
            Invalid = "Field tag is invalid: " + Encoding.Latin1.GetString(rest[..equals]);
            return -1;
        }
        var valueStart = position + equals + 1;
        var soh = span[valueStart..].IndexOf((byte)1);
        if (soh < 0)
        {
            Invalid = "SOH not found at end of field";
            return -1;
        }
        var valueEnd = valueStart + soh;
        if ((sessionDd?.Field(tag)?.IsData == true) || (appDd is not null && appDd != sessionDd && appDd.Field(tag)?.IsData == true))
        {
            var lengthTag = tag == 89 ? 93 : tag - 1;
            var location = group ?? (IsHeaderField(lengthTag, sessionDd) ? Header : IsTrailerField(lengthTag, sessionDd) ? Trailer : Body);
            if (!location.TryGetLast(lengthTag, out var lengthField))
            {
                Invalid = $"Data length field {lengthTag} was not found for data field {tag}";
                return -1;
            }
            if (!FixValues.TryParseInt(ValueOf(lengthField), out var dataLength) || dataLength < 0 || valueStart + dataLength >= _length)
            {
                Invalid = $"Unable to determine SOH for data field {tag}";
                return -1;
            }
            valueEnd = valueStart + dataLength;
        }
        if (FieldCount == _fields.Length) Array.Resize(ref _fields, _fields.Length * 2);
        _fields[FieldCount] = new FixField(tag, valueStart, valueEnd - valueStart, position);
        position = valueEnd + 1;
        return FieldCount++;
    }

    private void CheckLengthAndChecksum()
    {
        if (!Header.TryGet(FixTag.BodyLength, out var bodyLength))
        {
            Invalid = "BodyLength is missing";
            return;
        }
        if (!FixValues.TryParseInt(ValueOf(bodyLength), out var declared))
        {
            Invalid = "BodyLength has wrong format: " + Encoding.Latin1.GetString(ValueOf(bodyLength));
            return;
        }
        // The fields tile the frame, so BodyLength is the frame less the 8, 9 and 10 fields, and the checksum the sum of
        // every byte less those of the 10 fields (QuickFIX's per-field sums, without walking the fields twice).
        var actual = _length;
        var sum = (uint)FixFramer.Checksum(_bytes.AsSpan(0, _length));
        for (var i = 0; i < FieldCount; i++)
        {
            var f = _fields[i];
            if (f.Tag is FixTag.BeginString or FixTag.BodyLength or FixTag.CheckSum) actual -= f.WireLength;
            if (f.Tag == FixTag.CheckSum) sum -= (uint)FixFramer.Checksum(_bytes.AsSpan(f.Start, f.WireLength));
        }
        if (declared != actual)
        {
            Invalid = $"Expected BodyLength={actual}, Received BodyLength={declared}";
            return;
        }
        if (!Trailer.TryGet(FixTag.CheckSum, out var checksum))
        {
            Invalid = "CheckSum is missing";
            return;
        }
        if (!FixValues.TryParseInt(ValueOf(checksum), out var declaredSum))
        {
            Invalid = "CheckSum has wrong format: " + Encoding.Latin1.GetString(ValueOf(checksum));
            return;
        }
        if (declaredSum != (int)(sum & 0xFF)) Invalid = $"Expected CheckSum={sum & 0xFF}, Received CheckSum={declaredSum}";
    }

    private FixFieldMap Rent(FixSection section, FixDictionary? members)
    {
        if (_mapsInUse == _maps.Count) _maps.Add(new FixFieldMap(this));
        var map = _maps[_mapsInUse++];
        map.Reset(section, members);
        return map;
    }

    private string MsgTypeOf(FixField field)
    {
        var type = ValueOf(field);
        return type.Length == 1 && type[0] < 128 ? SingleCharTypes[type[0]] : Encoding.ASCII.GetString(type);
    }

    /// <summary>Whether a tag is a header field: QuickFIX's standard list, or the dictionary's header.</summary>
    public static bool IsHeaderField(int tag, FixDictionary? dictionary) => IsStandardHeaderField(tag) || dictionary?.Field(tag)?.IsHeader == true;

    /// <summary>Whether a tag is a trailer field: SignatureLength, Signature, CheckSum, or the dictionary's trailer.</summary>
    public static bool IsTrailerField(int tag, FixDictionary? dictionary) => IsStandardTrailerField(tag) || dictionary?.Field(tag)?.IsTrailer == true;

    /// <summary>QuickFIX's standard header tags (a header field whatever the dictionary says).</summary>
    public static bool IsStandardHeaderField(int tag) => tag switch
    {
        FixTag.BeginString or FixTag.BodyLength or FixTag.MsgType or FixTag.SenderCompId or FixTag.TargetCompId or 115 or 128 or 90 or FixTag.MsgSeqNum
            or 50 or 142 or 57 or 143 or 116 or 144 or 129 or 145 or FixTag.PossDupFlag or FixTag.PossResend or FixTag.SendingTime or FixTag.OrigSendingTime
            or 212 or 213 or 347 or 369 or 370 or FixTag.ApplVerId or 1129 or 627 => true,
        _ => false,
    };

    /// <summary>QuickFIX's standard trailer tags: SignatureLength, Signature, CheckSum.</summary>
    public static bool IsStandardTrailerField(int tag) => tag is 93 or 89 or FixTag.CheckSum;

    /// <summary>Index of the first field with this tag in wire order, or −1.</summary>
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
        return TryGet(tag, out var v) && FixValues.TryParseInt(v, out value);
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

    /// <summary>An independent copy, parsed with the same dictionaries.</summary>
    public FixMessage Clone() => new FixMessage().Load(Raw, _sessionDictionary, _appDictionary, _validated);

    /// <summary>The frame with SOH shown as '|'.</summary>
    public override string ToString() => Encoding.Latin1.GetString(Raw).Replace('\u0001', '|');
}
