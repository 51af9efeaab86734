using System.Globalization;
using System.Net;
using System.Text;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Quant.Risk;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Workflows.Research;
using CroweLogic.Flow.Workflows.Rollout;
using ScottPlot;

namespace CroweLogic.Flow.Cli.Governance;

/// <summary>
/// The rollout's HTML tearsheet: equity curve and drawdown across the stages (shadow hypothetical, canary and full
/// with capital), gross exposure, TCA per stage, the stage KPIs and the research trials. Charts are ScottPlot SVG
/// inlined in one self-contained file.
/// </summary>
internal static class Tearsheet
{
    public static async Task<List<LiveSessionRow>> ReadAsync(IFlowStore store, string deployment, CancellationToken ct)
    {
        var rows = new List<LiveSessionRow>();
        using var result = await store.QueryArrowAsync(
            $"SELECT stage, toUnixTimestamp64Nano(ts), ret, capital_fraction, traded, gross, fees, spread_cost, impact_cost, slippage FROM live_sessions FINAL WHERE deployment = {Sql.Literal(deployment)} ORDER BY ts", ct);
        foreach (var batch in result.Batches)
        {
            var c = Enumerable.Range(0, 10).Select(i => ColumnView.For(batch.Column(i), $"c{i}")).ToArray();
            for (var r = 0; r < batch.Length; r++)
            {
                rows.Add(new LiveSessionRow(c[0].GetString(r), c[1].GetInt64(r), c[2].GetDouble(r), c[3].GetDouble(r), c[4].GetDouble(r), c[5].GetDouble(r), c[6].GetDouble(r), c[7].GetDouble(r), c[8].GetDouble(r), c[9].GetDouble(r)));
            }
        }
        return rows;
    }

    public static string Write(string path, string title, ResearchOutcome research, RolloutStatus rollout, List<LiveSessionRow> sessions, List<(string Metric, double Value)> kpis)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{Esc(title)}</title><style>body{{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}}table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}th{{background:#f4f4f4}}td:first-child,th:first-child{{text-align:left}}</style></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>{Esc(title)}</h1><p>Rollout outcome: <b>{Esc(rollout.Stage)}</b>, capital fraction {rollout.CapitalFraction:P0}. {Esc(rollout.Reason)}</p>");
        if (sessions.Count > 0)
        {
            var x = sessions.Select(s => DateTimeOffset.FromUnixTimeMilliseconds(s.Ts / 1_000_000).UtcDateTime.ToOADate()).ToArray();
            // The curve starts at 1 before the first session; each plotted point is the level after its session.
            var curve = Drawdown.EquityFromReturns([.. sessions.Select(s => s.Return)]);
            var equity = curve[1..];
            var drawdown = Drawdown.Series(curve)[1..].Select(d => 100 * d).ToArray();
            html.Append("<h2>Equity (growth of 1; shadow is hypothetical, no capital)</h2>").Append(ByStage(sessions, x, equity, "growth of 1"));
            html.Append("<h2>Drawdown</h2>").Append(Line(x, drawdown, "drawdown %", Colors.FireBrick));
            html.Append("<h2>Gross exposure</h2>").Append(Line(x, [.. sessions.Select(s => s.Gross)], "gross / equity", Colors.SteelBlue));
            html.Append("<h2>Transaction costs by stage (bps of traded notional)</h2>").Append(Tca(sessions));
        }
        html.Append("<h2>KPIs (canary and full sessions)</h2><table><tr><th>metric</th><th>value</th></tr>");
        foreach (var (metric, value) in kpis) html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Esc(metric)}</td><td>{value:G6}</td></tr>");
        html.Append("</table><h2>Stages</h2><table><tr><th>stage</th><th>capital</th><th>sessions</th><th>return</th><th>max drawdown</th><th>slippage bps</th><th>PSI</th><th>KS p</th><th>orders</th></tr>");
        foreach (var r in rollout.Reports)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Esc(r.Stage)}</td><td>{r.CapitalFraction:P0}</td><td>{r.Sessions}</td><td>{r.TotalReturn:P2}</td><td>{r.MaxDrawdown:P2}</td><td>{r.SlippageBps:F2}</td><td>{r.Psi:F3}</td><td>{r.KsPValue:G3}</td><td>{r.Orders}</td></tr>");
        }
        html.Append("</table><h2>Research trials</h2><table><tr><th>trial</th><th>sessions</th><th>Sharpe/session</th><th>PSR</th><th>orders</th></tr>");
        foreach (var t in research.Trials)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Esc(t.Candidate.Name)}</td><td>{t.Sessions}</td><td>{t.SharpePerPeriod:F4}</td><td>{t.ProbabilisticSharpe:F3}</td><td>{t.Orders}</td></tr>");
        }
        html.Append(CultureInfo.InvariantCulture, $"</table><p>{Esc(research.Reason)}</p></body></html>");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, html.ToString());
        return Path.GetFullPath(path);
    }

    private static string ByStage(List<LiveSessionRow> sessions, double[] x, double[] y, string label)
    {
        var plot = new Plot();
        Color[] palette = [Colors.Gray, Colors.DarkOrange, Colors.SeaGreen, Colors.Purple];
        var stages = sessions.Select(s => s.Stage).Distinct().ToList();
        foreach (var (stage, i) in stages.Select((s, i) => (s, i)))
        {
            var idx = Enumerable.Range(0, sessions.Count).Where(k => sessions[k].Stage == stage).ToArray();
            var line = plot.Add.Scatter(idx.Select(k => x[k]).ToArray(), idx.Select(k => y[k]).ToArray(), palette[i % palette.Length]);
            line.MarkerSize = 0;
            line.LegendText = stage;
        }
        plot.Axes.DateTimeTicksBottom();
        plot.YLabel(label);
        // The key as HTML: the SVG export does not carry the legend's text.
        var key = string.Join(" · ", stages.Select((stage, i) => $"<span style=\"color:{palette[i % palette.Length].ToHex()}\">■ {Esc(stage)}</span>"));
        return $"<p>{key}</p>" + plot.GetSvgXml(900, 320);
    }

    private static string Line(double[] x, double[] y, string label, Color color)
    {
        var plot = new Plot();
        var line = plot.Add.Scatter(x, y, color);
        line.MarkerSize = 0;
        plot.Axes.DateTimeTicksBottom();
        plot.YLabel(label);
        return plot.GetSvgXml(900, 260);
    }

    private static string Tca(List<LiveSessionRow> sessions)
    {
        var plot = new Plot();
        var stages = sessions.Select(s => s.Stage).Distinct().ToList();
        (string Name, Func<LiveSessionRow, double> Part, Color Color)[] parts =
            [("slippage", s => s.Slippage, Colors.SteelBlue), ("spread", s => s.Spread, Colors.DarkOrange), ("impact", s => s.Impact, Colors.FireBrick), ("fees", s => s.Fees, Colors.SeaGreen)];
        for (var i = 0; i < stages.Count; i++)
        {
            var inStage = sessions.Where(s => s.Stage == stages[i]).ToList();
            var traded = inStage.Sum(s => s.Traded);
            for (var p = 0; p < parts.Length; p++)
            {
                var bar = plot.Add.Bar(i * (parts.Length + 1) + p, traded > 0 ? inStage.Sum(parts[p].Part) / traded * 1e4 : 0);
                bar.Color = parts[p].Color;
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. stages.Select((s, i) => i * (parts.Length + 1) + 1.5)], [.. stages]);
        plot.YLabel("bps (slippage · spread · impact · fees)");
        return plot.GetSvgXml(900, 260);
    }

    private static string Esc(string text) => WebUtility.HtmlEncode(text);
}
