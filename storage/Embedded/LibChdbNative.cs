using System.Runtime.InteropServices;

namespace CroweLogic.Flow.Storage.Embedded;

/// <summary>
/// P/Invoke surface of libchdb's C API (chdb.h). The library is resolved at run time by
/// <see cref="LibChdbLocator"/>, not from the loader's search path, so an absent library yields
/// an actionable error instead of a DllNotFoundException.
/// </summary>
internal static unsafe partial class LibChdbNative
{
    internal const string Library = "chdb";

    [LibraryImport(Library, EntryPoint = "chdb_connect")]
    internal static partial nint Connect(int argc, nint* argv);

    [LibraryImport(Library, EntryPoint = "chdb_close_conn")]
    internal static partial void CloseConnection(nint connectionHandle);

    [LibraryImport(Library, EntryPoint = "chdb_query_n")]
    internal static partial nint QueryN(nint connection, byte* query, nuint queryLength, byte* format, nuint formatLength);

    [LibraryImport(Library, EntryPoint = "chdb_stream_query_n")]
    internal static partial nint StreamQueryN(nint connection, byte* query, nuint queryLength, byte* format, nuint formatLength);

    [LibraryImport(Library, EntryPoint = "chdb_stream_fetch_result")]
    internal static partial nint StreamFetchResult(nint connection, nint streamResult);

    [LibraryImport(Library, EntryPoint = "chdb_stream_cancel_query")]
    internal static partial void StreamCancelQuery(nint connection, nint streamResult);

    [LibraryImport(Library, EntryPoint = "chdb_result_buffer")]
    internal static partial byte* ResultBuffer(nint result);

    [LibraryImport(Library, EntryPoint = "chdb_result_length")]
    internal static partial nuint ResultLength(nint result);

    [LibraryImport(Library, EntryPoint = "chdb_result_error")]
    internal static partial byte* ResultError(nint result);

    [LibraryImport(Library, EntryPoint = "chdb_result_elapsed")]
    internal static partial double ResultElapsed(nint result);

    [LibraryImport(Library, EntryPoint = "chdb_result_rows_read")]
    internal static partial ulong ResultRowsRead(nint result);

    [LibraryImport(Library, EntryPoint = "chdb_result_bytes_read")]
    internal static partial ulong ResultBytesRead(nint result);

    [LibraryImport(Library, EntryPoint = "chdb_result_rows_written")]
    internal static partial ulong ResultRowsWritten(nint result);

    [LibraryImport(Library, EntryPoint = "chdb_destroy_query_result")]
    internal static partial void DestroyResult(nint result);

    [LibraryImport(Library, EntryPoint = "chdb_arrow_scan")]
    internal static partial int ArrowScan(nint connection, byte* tableName, void* arrowStream);

    [LibraryImport(Library, EntryPoint = "chdb_arrow_unregister_table")]
    internal static partial int ArrowUnregister(nint connection, byte* tableName);

    private static int s_resolverInstalled;

    /// <summary>Points the "chdb" import at a concrete file; idempotent, first path wins for the process.</summary>
    internal static void Bind(string libraryPath)
    {
        if (Interlocked.Exchange(ref s_resolverInstalled, 1) == 1) return;
        var handle = NativeLibrary.Load(libraryPath);
        NativeLibrary.SetDllImportResolver(typeof(LibChdbNative).Assembly, (name, _, _) => name == Library ? handle : 0);
    }
}
