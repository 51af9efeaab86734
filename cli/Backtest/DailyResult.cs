using CroweLogic.Flow.Dataflow.Agents;

namespace CroweLogic.Flow.Cli.Backtest;

/// <summary>One session of a run as fractions of the equity it started with, so sessions of different runs can be stitched (walk-forward).</summary>
internal readonly record struct DailyResult(long Ts, double Return, double Traded, double Gross, double Fees, double Spread, double Impact, double Slippage)
{
    public static List<DailyResult> From(IReadOnlyList<SessionRecord> sessions, double initialEquity)
    {
        var results = new List<DailyResult>(sessions.Count);
        var previous = initialEquity;
        foreach (var s in sessions)
        {
            results.Add(new DailyResult(s.Ts, s.Equity / previous - 1, s.Traded / previous, s.Gross / previous, s.Fees / previous, s.SpreadCost / previous, s.ImpactCost / previous, s.Slippage / previous));
            previous = s.Equity;
            if (!(previous > 0)) break;
        }
        return results;
    }
}
