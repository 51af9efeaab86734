using System.Buffers.Text;
using CroweLogic.Flow.Contracts.Time;

namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>
/// FIX value formats on spans: integers, decimals, UTCTimestamp and UTCTimeOnly, with the acceptance rules of
/// QuickFIX's converters (its acceptance suite is the judge of what a FIX engine must take and refuse).
/// </summary>
public static class FixValues
{
    /// <summary>
    /// Parses an integer: an optional minus and at least one digit (no plus, no spaces). Like QuickFIX's converter it
    /// takes any number of digits and keeps the low 32 bits, so "99999999999" is a well-formed INT there and here.
    /// </summary>
    public static bool TryParseInt(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        var digits = negative ? text[1..] : text;
        if (digits.Length == 0) return false;
        var x = 0;
        foreach (var c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9') return false;
            x = unchecked(10 * x + (c - '0'));
        }
        value = negative ? unchecked(-x) : x;
        return true;
    }

    /// <summary>Parses a decimal number with optional sign and fraction, no exponent (FIX float types).</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        if (!FixFieldTypes.IsValid(FixFieldType.Price, text)) return false;
        return Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length;
    }

    /// <summary>
    /// Parses YYYYMMDD-HH:MM:SS[.f…] (UTC, up to nine fraction digits) into ns since the epoch. Like QuickFIX it checks
    /// ranges field by field (month 1–12, day 1–31, second up to 60) and lets a day past the month's end roll over.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> t, out long nanos)
    {
        nanos = 0;
        if (t.Length is < 17 or > 27 || t[8] != (byte)'-') return false;
        if (!Digits(t[..8], out var date) || !TryParseTimeOnly(t[9..], out var timeOfDay)) return false;
        var year = date / 10000;
        var month = date / 100 % 100;
        var day = date % 100;
        if (month is < 1 or > 12 || day is < 1 or > 31 || year < 1) return false;
        var midnight = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(day - 1);
        nanos = (midnight.Ticks - DateTime.UnixEpoch.Ticks) * 100 + timeOfDay;
        return true;
    }

    /// <summary>Parses HH:MM:SS[.f…] into ns since midnight.</summary>
    public static bool TryParseTimeOnly(ReadOnlySpan<byte> t, out long nanos)
    {
        nanos = 0;
        if (t.Length is < 8 or > 18 || t[2] != (byte)':' || t[5] != (byte)':') return false;
        if (!Digits(t[..2], out var hour) || !Digits(t[3..5], out var minute) || !Digits(t[6..8], out var second)) return false;
        if (hour > 23 || minute > 59 || second > 60) return false;
        long fraction = 0;
        if (t.Length > 8)
        {
            if (t[8] != (byte)'.') return false;
            var digits = t[9..];
            var f = 0;
            if (digits.Length > 0 && !Digits(digits, out f)) return false;
            fraction = f;
            for (var i = digits.Length; i < 9; i++) fraction *= 10;
        }
        nanos = ((hour * 60L + minute) * 60 + second) * 1_000_000_000L + fraction;
        return true;
    }

    /// <summary>Writes YYYYMMDD-HH:MM:SS.sss (millisecond precision) into 21 bytes.</summary>
    public static int FormatTimestamp(long nanos, Span<byte> destination) => FormatTimestamp(nanos, 3, destination);

    /// <summary>Writes YYYYMMDD-HH:MM:SS with <paramref name="precision"/> fraction digits (0, 3, 6 or 9); returns the length.</summary>
    public static int FormatTimestamp(long nanos, int precision, Span<byte> destination)
    {
        var time = Nanos.ToDateTimeOffset(nanos).UtcDateTime;
        Write(destination[..4], time.Year);
        Write(destination[4..6], time.Month);
        Write(destination[6..8], time.Day);
        destination[8] = (byte)'-';
        Write(destination[9..11], time.Hour);
        destination[11] = (byte)':';
        Write(destination[12..14], time.Minute);
        destination[14] = (byte)':';
        Write(destination[15..17], time.Second);
        if (precision <= 0) return 17;
        destination[17] = (byte)'.';
        var fraction = nanos % 1_000_000_000L;
        if (fraction < 0) fraction += 1_000_000_000L;
        for (var i = precision; i < 9; i++) fraction /= 10;
        Write(destination.Slice(18, precision), (int)fraction);
        return 18 + precision;
    }

    /// <summary>Byte-wise equality with ASCII text.</summary>
    public static bool EqualsAscii(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length) return false;
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] != text[i]) return false;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> t, out int value)
    {
        value = 0;
        if (t.Length == 0 || t.Length > 9) return false;
        foreach (var c in t)
        {
            if (c < (byte)'0' || c > (byte)'9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private static void Write(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
