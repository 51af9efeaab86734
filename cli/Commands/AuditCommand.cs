using System.CommandLine;
using CroweLogic.Flow.Storage.Audit;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow audit verify|show</c>: the hash-chained audit log.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var verify = new Command("verify", "Check every entry's hash and link; exit 1 and name the first break if the log was altered");
        verify.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            var broken = await new AuditLog(store, () => 0).VerifyAsync(ct);
            if (broken is not null)
            {
                Console.Error.WriteLine($"flow: error: audit log is broken at {broken}");
                return CliErrors.Failure;
            }
            using var count = await store.QueryArrowAsync("SELECT count() FROM audit_log", ct);
            Console.WriteLine($"audit log intact: {count.Scalar<long>():N0} entries");
            return 0;
        }));

        var limit = new Option<int>("--last", "-n") { Description = "How many entries", DefaultValueFactory = _ => 20 };
        var show = new Command("show", "The newest audit entries") { limit };
        show.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            await QueryOutput.PrintAsync(store, $"SELECT seq, ts, actor, action, subject, left(hash, 16) AS hash FROM audit_log ORDER BY seq DESC LIMIT {Math.Max(1, parse.GetValue(limit))}", "table", ct);
            return 0;
        }));

        return new Command("audit", "The append-only, hash-chained audit log") { verify, show };
    }
}
