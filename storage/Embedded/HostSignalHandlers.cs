using System.Runtime.InteropServices;

namespace CroweLogic.Flow.Storage.Embedded;

/// <summary>
/// Keeps the .NET runtime's handlers for fault signals across libchdb calls that install ClickHouse's own. The runtime
/// turns SIGSEGV into NullReferenceException and SIGFPE into DivideByZeroException; with ClickHouse's handler in place
/// the first null dereference anywhere in the process hangs it instead (measured: a NullReferenceException thrown
/// after opening a store never reached its catch block).
/// </summary>
internal static unsafe partial class HostSignalHandlers
{
    // The signals chdb_reset_signal_handlers lists (ClickHouse's fatal-signal set): ABRT, SEGV, ILL, BUS, SYS, FPE, TSTP, TRAP.
    private static readonly int[] Signals = [6, 11, 4, 7, 31, 8, 20, 5];

    // struct sigaction is 152 bytes on x86-64 and arm64 glibc; keep room to spare and treat it as opaque.
    private const int SigactionSize = 512;

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static partial int SigAction(int signal, byte* action, byte* previous);

    /// <summary>Runs <paramref name="call"/> and puts back whatever fault-signal dispositions it changed.</summary>
    public static T Preserve<T>(Func<T> call)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return call();
        var saved = new byte[Signals.Length * SigactionSize];
        fixed (byte* buffer = saved)
        {
            for (var i = 0; i < Signals.Length; i++)
            {
                if (SigAction(Signals[i], null, buffer + (i * SigactionSize)) != 0)
                    throw new InvalidOperationException($"sigaction({Signals[i]}) failed with errno {Marshal.GetLastPInvokeError()}");
            }
            try
            {
                return call();
            }
            finally
            {
                for (var i = 0; i < Signals.Length; i++) SigAction(Signals[i], buffer + (i * SigactionSize), null);
            }
        }
    }
}
