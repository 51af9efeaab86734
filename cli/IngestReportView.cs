using CroweLogic.Flow.Storage.Ingest;
using Spectre.Console;

namespace CroweLogic.Flow.Cli;

/// <summary>Prints ingest reports: one row per batch, a total, and quarantined rows by reason.</summary>
internal static class IngestReportView
{
    public static void Print(IReadOnlyList<IngestReport> reports)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("source", "table", "rows in", "accepted", "rejected", "duplicates", "seconds")
            .Caption("accepted + rejected + duplicates = rows in; 'already loaded' batches changed nothing");
        foreach (var c in new[] { 2, 3, 4, 5, 6 }) table.Columns[c].RightAligned();
        foreach (var r in reports)
        {
            table.AddRow(Markup.Escape(r.Source), r.Table,
                r.AlreadyLoaded ? "[grey]already loaded[/]" : $"{r.RowsIn:N0}", $"{r.Accepted:N0}",
                r.Rejected > 0 ? $"[yellow]{r.Rejected:N0}[/]" : "0", $"{r.Duplicates:N0}", $"{r.Elapsed.TotalSeconds:F2}");
        }
        if (reports.Count > 1)
        {
            table.AddRow("[bold]total[/]", "", $"[bold]{reports.Sum(r => r.RowsIn):N0}[/]", $"[bold]{reports.Sum(r => r.Accepted):N0}[/]",
                $"[bold]{reports.Sum(r => r.Rejected):N0}[/]", $"[bold]{reports.Sum(r => r.Duplicates):N0}[/]", $"[bold]{reports.Sum(r => r.Elapsed.TotalSeconds):F2}[/]");
        }
        AnsiConsole.Write(table);

        var reasons = reports.SelectMany(r => r.RejectsByReason.Select(kv => (r.Table, Reason: kv.Key, Count: kv.Value)))
            .GroupBy(x => (x.Table, x.Reason)).Select(g => (g.Key.Table, g.Key.Reason, Count: g.Sum(x => x.Count))).OrderBy(x => x.Table).ThenByDescending(x => x.Count).ToList();
        if (reasons.Count == 0) return;
        var quarantine = new Table().Border(TableBorder.Rounded).AddColumns("table", "reject reason", "rows").Caption("rows are in the rejects table: flow sql \"SELECT * FROM rejects\"");
        quarantine.Columns[2].RightAligned();
        foreach (var (t, reason, count) in reasons) quarantine.AddRow(t, reason, $"{count:N0}");
        AnsiConsole.Write(quarantine);
    }
}
