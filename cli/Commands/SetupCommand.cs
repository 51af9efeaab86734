using System.CommandLine;
using CroweLogic.Flow.Storage.Embedded;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow setup</c>: install the embedded ClickHouse engine now instead of on first use.</summary>
internal static class SetupCommand
{
    public static Command Create()
    {
        var command = new Command("setup", $"Install libchdb {LibChdbLocator.Version} (the embedded ClickHouse engine) from npm into the user cache, verifying its checksum");
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var path = LibChdbLocator.Resolve(allowInstall: true, line => Console.Error.WriteLine($"flow: {line}"));
            Console.WriteLine($"libchdb {LibChdbLocator.Version} ready at {path}");
            return Task.FromResult(0);
        }));
        return command;
    }
}
