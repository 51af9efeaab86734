using CroweLogic.Flow.Dataflow.Agents;

namespace CroweLogic.Flow.Activities.Backtest;

/// <summary>One session of a run as fractions of the equity it started with, so sessions of different runs can be stitched (walk-forward).</summary>
public readonly record struct DailyResult(long Ts, double Return, double Traded, double Gross, double Fees, double Spread, double Impact, double Slippage)
{
    /// <summary>Sessions as returns and cost fractions of the equity each started with; stops at ruin.</summary>
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
