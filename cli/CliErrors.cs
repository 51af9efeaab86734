using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Embedded;
using CroweLogic.Flow.Storage.Migrations;

namespace CroweLogic.Flow.Cli;

/// <summary>Turns failures into one-line messages and distinct exit codes.</summary>
internal static class CliErrors
{
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int QueryFailed = 3;
    public const int StoreUnavailable = 4;
    public const int Cancelled = 130;

    /// <summary>Runs a command body, mapping known exceptions to a message on stderr and an exit code.</summary>
    public static async Task<int> Guard(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e);
            Console.Error.WriteLine($"flow: error: {message}");
            return code;
        }
    }

    internal static (int Code, string Message) Describe(Exception e) => e switch
    {
        OperationCanceledException => (Cancelled, "cancelled"),
        StoreQueryException q => (QueryFailed, FirstLine(q.Message)),
        StoreLockedException or LibChdbMissingException or SchemaDriftException or StoreUnavailableException or CroweLogic.Flow.Host.PlatformRunningException => (StoreUnavailable, e.Message),
        ArgumentException or CroweLogic.Flow.Contracts.Policy.PolicyException or CroweLogic.Flow.Gateways.Fix.FixDictionaryException or CroweLogic.Flow.Gateways.Flight.FlightConfigurationException or FileNotFoundException or DirectoryNotFoundException or FormatException or ArrowContractException or InvalidDataException => (BadInput, e.Message),
        HttpRequestException => (StoreUnavailable, $"cannot reach the ClickHouse server: {e.Message}"),
        CroweLogic.Flow.Gateways.Fix.Session.FixSessionException or CroweLogic.Flow.Contracts.MarketData.MarketDataException or CroweLogic.Flow.Contracts.Execution.VenueException => (Failure, e.Message),
        Temporalio.Exceptions.RpcException rpc => (Failure, $"Temporal: {rpc.Message}"),
        Temporalio.Exceptions.TemporalException t => (Failure, $"Temporal: {t.Message}"),
        _ => (Failure, $"{e.GetType().Name}: {e.Message}"),
    };

    // ClickHouse messages can run to many lines (row dumps); the first carries the cause.
    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 600 ? line[..600] + "…" : line;
    }
}
