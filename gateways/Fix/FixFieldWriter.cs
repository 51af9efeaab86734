using System.Buffers.Text;
using System.Text;

namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>
/// Appends tag=value␁ fields to a reusable buffer, formatting numbers and timestamps in place. With a reserved prefix it
/// also frames the message: <see cref="Complete"/> writes "8=…␁9=len␁" right-aligned before the body and appends
/// "10=ccc␁", so a frame is built without copying. No allocation once the buffer has grown to the message size.
/// </summary>
public sealed class FixFieldWriter
{
    private const int Reserve = 32;
    private byte[] _buffer = new byte[1024];
    private int _start;
    private int _position;

    /// <summary>A writer for a body (no framing reserve) or, with <paramref name="framed"/>, for whole frames.</summary>
    public FixFieldWriter(bool framed = false)
    {
        _start = framed ? Reserve : 0;
        _position = _start;
    }

    /// <summary>Fields written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(_start, _position - _start);

    /// <summary>Forgets the fields, keeping the buffer.</summary>
    public FixFieldWriter Clear()
    {
        _position = _start;
        return this;
    }

    /// <summary>Appends tag=value␁.</summary>
    public FixFieldWriter Add(int tag, ReadOnlySpan<byte> value)
    {
        var span = Open(tag, value.Length);
        value.CopyTo(span);
        return Close(value.Length);
    }

    /// <summary>Appends tag=value␁ for ASCII text.</summary>
    public FixFieldWriter Add(int tag, string value)
    {
        var span = Open(tag, value.Length);
        var written = Encoding.Latin1.GetBytes(value, span);
        return Close(written);
    }

    /// <summary>Appends an integer field.</summary>
    public FixFieldWriter Add(int tag, long value)
    {
        var span = Open(tag, 20);
        Utf8Formatter.TryFormat(value, span, out var written);
        return Close(written);
    }

    /// <summary>Appends a decimal field (no exponent, trailing zeros trimmed).</summary>
    public FixFieldWriter Add(int tag, decimal value)
    {
        var span = Open(tag, 32);
        Utf8Formatter.TryFormat(value, span, out var written, new System.Buffers.StandardFormat('G'));
        // Trim trailing zeros of a fraction ("101.2500" → "101.25", "5.0" → "5").
        if (span[..written].IndexOf((byte)'.') >= 0)
        {
            while (span[written - 1] == (byte)'0') written--;
            if (span[written - 1] == (byte)'.') written--;
        }
        return Close(written);
    }

    /// <summary>Appends a price or quantity given as double (rounded to 15 significant digits, never an exponent).</summary>
    public FixFieldWriter Add(int tag, double value) => Add(tag, (decimal)value);

    /// <summary>Appends a one-character field.</summary>
    public FixFieldWriter Add(int tag, char value)
    {
        var span = Open(tag, 1);
        span[0] = (byte)value;
        return Close(1);
    }

    /// <summary>Appends a Boolean field (Y/N).</summary>
    public FixFieldWriter Add(int tag, bool value) => Add(tag, value ? 'Y' : 'N');

    /// <summary>Appends a UTCTimestamp field with millisecond precision.</summary>
    public FixFieldWriter AddTimestamp(int tag, long nanos) => AddTimestamp(tag, nanos, 3);

    /// <summary>Appends a UTCTimestamp field with 0, 3, 6 or 9 fraction digits.</summary>
    public FixFieldWriter AddTimestamp(int tag, long nanos, int precision)
    {
        var span = Open(tag, 27);
        return Close(FixValues.FormatTimestamp(nanos, precision, span));
    }

    /// <summary>Appends already encoded fields ("tag=value␁…").</summary>
    public FixFieldWriter AddRaw(ReadOnlySpan<byte> fields)
    {
        Ensure(fields.Length);
        fields.CopyTo(_buffer.AsSpan(_position));
        _position += fields.Length;
        return this;
    }

    /// <summary>Frames the fields written (which must start with 35=): returns the whole message, valid until the next write.</summary>
    public ReadOnlySpan<byte> Complete(string beginString)
    {
        if (_start != Reserve) throw new InvalidOperationException("this writer was created for bodies; create it with framed: true to build frames");
        var bodyLength = _position - _start;
        Span<byte> prefix = stackalloc byte[Reserve];
        var n = 0;
        n += Encoding.ASCII.GetBytes("8=", prefix);
        n += Encoding.ASCII.GetBytes(beginString, prefix[n..]);
        prefix[n++] = 1;
        prefix[n++] = (byte)'9';
        prefix[n++] = (byte)'=';
        Utf8Formatter.TryFormat(bodyLength, prefix[n..], out var digits);
        n += digits;
        prefix[n++] = 1;
        var frameStart = _start - n;
        prefix[..n].CopyTo(_buffer.AsSpan(frameStart));
        var checksum = FixFramer.Checksum(_buffer.AsSpan(frameStart, _position - frameStart));
        Ensure(7);
        var trailer = _buffer.AsSpan(_position, 7);
        trailer[0] = (byte)'1';
        trailer[1] = (byte)'0';
        trailer[2] = (byte)'=';
        trailer[3] = (byte)('0' + checksum / 100);
        trailer[4] = (byte)('0' + checksum / 10 % 10);
        trailer[5] = (byte)('0' + checksum % 10);
        trailer[6] = 1;
        return _buffer.AsSpan(frameStart, _position + 7 - frameStart);
    }

    private Span<byte> Open(int tag, int maxValueLength)
    {
        Ensure(12 + maxValueLength);
        Utf8Formatter.TryFormat(tag, _buffer.AsSpan(_position), out var written);
        _position += written;
        _buffer[_position++] = (byte)'=';
        return _buffer.AsSpan(_position, maxValueLength);
    }

    private FixFieldWriter Close(int valueLength)
    {
        _position += valueLength;
        _buffer[_position++] = 1;
        return this;
    }

    private void Ensure(int extra)
    {
        if (_position + extra + 8 <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _position + extra + 64));
    }
}
