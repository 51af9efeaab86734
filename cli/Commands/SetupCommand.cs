using System.CommandLine;
using CroweLogic.Flow.Storage.Embedded;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow setup</c>: install the embedded ClickHouse engine now instead of on first use, and build the Temporal Web UI that <c>flow up</c> serves.</summary>
internal static class SetupCommand
{
    public static Command Create()
    {
        var command = new Command("setup", $"Install libchdb {LibChdbLocator.Version} (the embedded ClickHouse engine) from npm into the user cache, verifying its checksum, and build the Temporal Web UI flow up serves (npm @temporalio/ui {CroweLogic.Flow.Temporal.HttpApi.TemporalUiBuild.Release})");
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var path = LibChdbLocator.Resolve(allowInstall: true, line => Console.Error.WriteLine($"flow: {line}"));
            Console.WriteLine($"libchdb {LibChdbLocator.Version} ready at {path}");
            if (Cli.Temporal.TemporalUiSetup.SourceDirectory() is null)
            {
                Console.WriteLine("Temporal Web UI: not built (this flow is not in a checkout; flow up serves the HTTP API alone)");
                return 0;
            }
            var ui = await Cli.Temporal.TemporalUiSetup.EnsureBuiltAsync(line => Console.Error.WriteLine($"flow: {line}"), ct);
            Console.WriteLine($"Temporal Web UI {CroweLogic.Flow.Temporal.HttpApi.TemporalUiBuild.Release} ready at {ui}");
            return 0;
        }));
        return command;
    }
}
