namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>
/// A field's data type as a QuickFIX-format dictionary declares it. The set and the XML names are QuickFIX's, so a
/// dictionary means the same thing to this engine as to QuickFIX: types it does not list (TZTIMEONLY, XMLDATA, …) are
/// <see cref="Unknown"/> and, like QuickFIX, accept any value.
/// </summary>
public enum FixFieldType
{
#pragma warning disable CS1591 // the names are the FIX type names
    Unknown,
    String,
    Char,
    Price,
    Int,
    Amt,
    Qty,
    Currency,
    MultipleValueString,
    MultipleStringValue,
    MultipleCharValue,
    Exchange,
    UtcTimeStamp,
    Boolean,
    LocalMktDate,
    Data,
    Float,
    PriceOffset,
    MonthYear,
    DayOfMonth,
    UtcDate,
    UtcDateOnly,
    UtcTimeOnly,
    NumInGroup,
    Percentage,
    SeqNum,
    Length,
    Country,
#pragma warning restore CS1591
}

/// <summary>Reads dictionary type names and checks values against a type, with QuickFIX's rules.</summary>
public static class FixFieldTypes
{
    /// <summary>The type of an XML type name; before FIX 4.2 CHAR fields were strings.</summary>
    public static FixFieldType FromXml(string name, string beginString) => name switch
    {
        "CHAR" when FixVersion.Compare(beginString, FixVersion.Fix42) < 0 => FixFieldType.String,
        "STRING" => FixFieldType.String,
        "CHAR" => FixFieldType.Char,
        "PRICE" => FixFieldType.Price,
        "INT" => FixFieldType.Int,
        "AMT" => FixFieldType.Amt,
        "QTY" => FixFieldType.Qty,
        "CURRENCY" => FixFieldType.Currency,
        "MULTIPLEVALUESTRING" => FixFieldType.MultipleValueString,
        "MULTIPLESTRINGVALUE" => FixFieldType.MultipleStringValue,
        "MULTIPLECHARVALUE" => FixFieldType.MultipleCharValue,
        "EXCHANGE" => FixFieldType.Exchange,
        "UTCTIMESTAMP" or "TIME" => FixFieldType.UtcTimeStamp,
        "BOOLEAN" => FixFieldType.Boolean,
        "LOCALMKTDATE" => FixFieldType.LocalMktDate,
        "DATA" => FixFieldType.Data,
        "FLOAT" => FixFieldType.Float,
        "PRICEOFFSET" => FixFieldType.PriceOffset,
        "MONTHYEAR" => FixFieldType.MonthYear,
        "DAYOFMONTH" => FixFieldType.DayOfMonth,
        "UTCDATE" => FixFieldType.UtcDate,
        "UTCDATEONLY" => FixFieldType.UtcDateOnly,
        "UTCTIMEONLY" => FixFieldType.UtcTimeOnly,
        "NUMINGROUP" => FixFieldType.NumInGroup,
        "PERCENTAGE" => FixFieldType.Percentage,
        "SEQNUM" => FixFieldType.SeqNum,
        "LENGTH" => FixFieldType.Length,
        "COUNTRY" => FixFieldType.Country,
        _ => FixFieldType.Unknown,
    };

    /// <summary>Whether several space-separated values may be given.</summary>
    public static bool IsMultipleValue(FixFieldType type) =>
        type is FixFieldType.MultipleValueString or FixFieldType.MultipleCharValue or FixFieldType.MultipleStringValue;

    /// <summary>
    /// Whether a value is well formed for its type: numbers are an optional minus and digits (no plus, no exponent),
    /// CHAR and BOOLEAN one character, timestamps YYYYMMDD-HH:MM:SS with an optional fraction. Free-text types take anything.
    /// </summary>
    public static bool IsValid(FixFieldType type, ReadOnlySpan<byte> value) => type switch
    {
        FixFieldType.Char => value.Length == 1,
        FixFieldType.Price or FixFieldType.Amt or FixFieldType.Qty or FixFieldType.Float or FixFieldType.PriceOffset or FixFieldType.Percentage => IsDecimal(value),
        FixFieldType.Int or FixFieldType.NumInGroup or FixFieldType.SeqNum or FixFieldType.Length => FixValues.TryParseInt(value, out _),
        FixFieldType.UtcTimeStamp => FixValues.TryParseTimestamp(value, out _),
        FixFieldType.Boolean => value.Length == 1 && value[0] is (byte)'Y' or (byte)'N',
        FixFieldType.UtcDate or FixFieldType.UtcDateOnly => IsDate(value), // QuickFIX's UtcDateOnly is UtcDate
        FixFieldType.UtcTimeOnly => FixValues.TryParseTimeOnly(value, out _),
        _ => true,
    };

    // An optional minus, digits, and a fraction that needs a digit after the point unless digits came before it.
    private static bool IsDecimal(ReadOnlySpan<byte> value)
    {
        var i = 0;
        if (value.Length == 0) return false;
        if (value[0] == (byte)'-' && ++i == value.Length) return false;
        var digit = false;
        while (i < value.Length && IsDigit(value[i])) { i++; digit = true; }
        if (i < value.Length && value[i] == (byte)'.')
        {
            i++;
            while (i < value.Length && IsDigit(value[i])) { i++; digit = true; }
        }
        return digit && i == value.Length;
    }

    private static bool IsDate(ReadOnlySpan<byte> value)
    {
        if (value.Length != 8) return false;
        foreach (var c in value) if (!IsDigit(c)) return false;
        var month = (value[4] - '0') * 10 + (value[5] - '0');
        var day = (value[6] - '0') * 10 + (value[7] - '0');
        return month is >= 1 and <= 12 && day is >= 1 and <= 31;
    }

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';
}
