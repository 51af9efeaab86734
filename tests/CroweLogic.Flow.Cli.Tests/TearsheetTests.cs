using CroweLogic.Flow.Activities.Research;
using CroweLogic.Flow.Activities.Rollout;
using CroweLogic.Flow.Cli.Governance;
using CroweLogic.Flow.Tests.Shared;
using CroweLogic.Flow.Workflows.Research;
using CroweLogic.Flow.Workflows.Rollout;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary>The rollout tearsheet: one self-contained HTML file with the four charts, the stage and KPI tables, and escaped text.</summary>
public class TearsheetTests
{
    [Fact]
    public void The_tearsheet_has_every_chart_and_table_and_escapes_what_it_quotes()
    {
        using var dir = new TempDirectory("flow-tearsheet-");
        var day = 86_400_000_000_000L;
        var start = new DateTimeOffset(2019, 1, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        var sessions = Enumerable.Range(0, 60).Select(i => new LiveSessionRow(i < 30 ? RolloutStages.Shadow : RolloutStages.Canary, start + i * day,
            0.001 * Math.Sin(i), i < 30 ? 0 : 0.05, 0.1, 1.2, 1e-5, 2e-5, 3e-5, 4e-5)).ToList();
        var trial = new CandidateResult(new CandidateBacktest("momentum", 126, 21, "1999-11-01", "2019-01-01"), 4695, -0.0096, -0.3, 7.1, 0.254,
            new Dictionary<string, double> { ["sharpe"] = -0.15 }, "sha256:ab", 30_207);
        var research = new ResearchOutcome([trial], trial, 0.153, "selected: <best> & only", "sha256:ab");
        var report = new StageReport(RolloutStages.Canary, 0.05, 30, -0.07, -0.15, 1.8, 0.06, 0.9, 0, 17_680, 1_450, null);
        var status = new RolloutStatus("sha256:ab", RolloutStages.RolledBack, 0, false, [report], "canary: drawdown 15.25 % > 10.00 %");

        var path = Tearsheet.Write(Path.Combine(dir.Path, "reports", "t.html"), "rollout <test>", research, status, sessions, [("sharpe", -1.0077), ("max_drawdown", -0.1525)]);

        var html = File.ReadAllText(path);
        Assert.StartsWith("<!doctype html>", html);
        Assert.Equal(4, html.Split("<svg").Length - 1);
        Assert.Contains("rollout &lt;test&gt;", html);
        Assert.Contains("selected: &lt;best&gt; &amp; only", html);
        Assert.DoesNotContain("<best>", html);
        Assert.Contains("<td>max_drawdown</td><td>-0.1525</td>", html);
        Assert.Contains("<td>canary</td><td>5%</td><td>30</td><td>-7.00%</td><td>-15.00%</td>", html.Replace(" ", ""));
        Assert.Contains("<td>momentum-126-21</td><td>4695</td><td>-0.0096</td><td>0.254</td>", html);
        Assert.Contains("■ shadow</span> · <span", html); // the equity chart's key names each stage
        Assert.Contains("■ canary</span></p>", html);
    }
}
