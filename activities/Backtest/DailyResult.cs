using CroweLogic.Flow.Dataflow.Agents;

namespace CroweLogic.Flow.Activities.Backtest;

/// <summary>One session of a run as fractions of the equity it started with, so sessions of different runs can be stitched (walk-forward).</summary>
public readonly record struct DailyResult(long Ts, double Return, double Traded, double Gross, double Fees, double Spread, double Impact, double Slippage)
{
    /// <summary>The sessions from the first one that traded or held a position: a strategy's warm-up (its lookback, flat) is not part of its record.</summary>
    public static List<DailyResult> Trading(IReadOnlyList<DailyResult> days)
    {
        var first = 0;
        while (first < days.Count && days[first].Traded == 0 && days[first].Gross == 0) first++;
        return [.. days.Skip(first)];
    }

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
