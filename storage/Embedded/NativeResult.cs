using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace CroweLogic.Flow.Storage.Embedded;

/// <summary>Owns one chdb_result and exposes its output buffer as <see cref="Memory{T}"/> without copying.</summary>
internal sealed unsafe class NativeResult : MemoryManager<byte>
{
    private nint _handle;

    internal NativeResult(nint handle) => _handle = handle;

    internal nint Handle => _handle;

    internal string? Error
    {
        get
        {
            var error = LibChdbNative.ResultError(_handle);
            return error == null ? null : Marshal.PtrToStringUTF8((nint)error);
        }
    }

    internal int Length => checked((int)LibChdbNative.ResultLength(_handle));

    internal StatementStats Stats => new(
        LibChdbNative.ResultRowsRead(_handle), LibChdbNative.ResultBytesRead(_handle), LibChdbNative.ResultRowsWritten(_handle),
        TimeSpan.FromSeconds(LibChdbNative.ResultElapsed(_handle)));

    public override Span<byte> GetSpan()
    {
        var buffer = LibChdbNative.ResultBuffer(_handle);
        return buffer == null ? Span<byte>.Empty : new Span<byte>(buffer, Length);
    }

    internal byte[] ToArray() => GetSpan().ToArray();

    internal string ToText() => Encoding.UTF8.GetString(GetSpan());

    public override MemoryHandle Pin(int elementIndex = 0) => new(LibChdbNative.ResultBuffer(_handle) + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        var handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0) LibChdbNative.DestroyResult(handle);
    }
}
