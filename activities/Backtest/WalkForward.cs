using CroweLogic.Flow.Quant.Statistics;

namespace CroweLogic.Flow.Activities.Backtest;

/// <summary>
/// Walk-forward selection: for each calendar year after <see cref="TrainYears"/> years of history, the candidate with
/// the best Sharpe over the preceding years trades that year. Every candidate is a causal strategy run over the whole
/// history (its year-Y sessions use only data before them), so choosing among them with data before Y and keeping
/// its year-Y sessions is an out-of-sample test of the choice.
/// </summary>
public static class WalkForward
{
    /// <summary>Years of history before the first out-of-sample year.</summary>
    public const int TrainYears = 3;

    /// <summary>One out-of-sample year: the candidate chosen on the years before it, its in-sample Sharpe and the sessions it traded.</summary>
    /// <param name="Year">The out-of-sample year.</param>
    /// <param name="Chosen">The chosen candidate.</param>
    /// <param name="InSampleSharpe">Its Sharpe over the training years.</param>
    /// <param name="Sessions">Sessions it traded in the year.</param>
    public sealed record Fold(int Year, string Chosen, double InSampleSharpe, int Sessions);

    /// <summary>Chooses a candidate per year and stitches the chosen candidates' out-of-sample sessions.</summary>
    public static (List<DailyResult> OutOfSample, List<Fold> Folds) Select(IReadOnlyList<(string Name, List<DailyResult> Days)> candidates)
    {
        static int Year(long ts) => DateTimeOffset.FromUnixTimeMilliseconds(ts / 1_000_000).Year;
        var years = candidates.SelectMany(c => c.Days).Select(d => Year(d.Ts)).Distinct().Order().ToList();
        var oos = new List<DailyResult>();
        var folds = new List<Fold>();
        foreach (var year in years.Where(y => y >= years[0] + TrainYears))
        {
            var best = candidates
                .Select(c => (c.Name, c.Days, Sharpe: Sharpe(c.Days.Where(d => Year(d.Ts) >= year - TrainYears && Year(d.Ts) < year).Select(d => d.Return).ToList())))
                .OrderByDescending(c => c.Sharpe).ThenBy(c => c.Name, StringComparer.Ordinal).First();
            var test = best.Days.Where(d => Year(d.Ts) == year).ToList();
            oos.AddRange(test);
            folds.Add(new Fold(year, best.Name, best.Sharpe, test.Count));
        }
        return (oos, folds);
    }

    private static double Sharpe(List<double> returns) => returns.Count > 20 && returns.Any(r => r != returns[0]) ? Performance.Sharpe(returns) : double.NegativeInfinity;
}
