using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Ingest;
using Spectre.Console;

namespace CroweLogic.Flow.Cli;

/// <summary>Shows import progress: a live bar on a terminal, one line per step otherwise (CI logs).</summary>
internal static class ImportProgressView
{
    public static async Task<IReadOnlyList<IngestReport>> RunAsync(string title, Func<IProgress<ImportProgress>, Task<IReadOnlyList<IngestReport>>> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsErrorRedirected)
            return await work(new LineProgress(title));

        IReadOnlyList<IngestReport> result = [];
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                result = await work(new BarProgress(task, title));
                task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class BarProgress(ProgressTask task, string title) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Done;
            task.Description = Markup.Escape($"{title}: {value.Item}");
        }
    }

    private sealed class LineProgress(string title) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => Console.Error.WriteLine($"flow: {title} [{value.Done}/{value.Total}] {value.Item}");
    }
}
