using CroweLogic.Flow.Activities.Research;
using CroweLogic.Flow.Quant;
using CroweLogic.Flow.Quant.Statistics;

namespace CroweLogic.Flow.Workflows.Research;

/// <summary>
/// Selection without naive best-of-N (Bailey &amp; López de Prado 2014): the trial with the highest Sharpe ratio wins only
/// if its deflated Sharpe ratio — its PSR against the Sharpe ratio expected from the best of N unskilled trials, N the
/// number of trials and the variance that of the trials' Sharpe ratios — and its plain PSR pass the gates. Pure and
/// deterministic, so it runs inside workflow code.
/// </summary>
public static class TrialSelection
{
    /// <summary>The selection's outcome.</summary>
    /// <param name="Winner">The trial that passed, or null.</param>
    /// <param name="Best">The trial with the highest Sharpe ratio (passed or not).</param>
    /// <param name="DeflatedSharpe">The best trial's DSR (null when undefined).</param>
    /// <param name="ExpectedMaxSharpe">Sharpe ratio per period expected from the best of N unskilled trials.</param>
    /// <param name="Reason">Why the best trial passed or failed.</param>
    public sealed record Result(CandidateResult? Winner, CandidateResult? Best, double? DeflatedSharpe, double? ExpectedMaxSharpe, string Reason);

    /// <summary>Selects among the trials.</summary>
    public static Result Select(IReadOnlyList<CandidateResult> trials, double minDeflatedSharpe, double minProbabilisticSharpe)
    {
        var defined = trials.Where(t => t is { SharpePerPeriod: not null, Skewness: not null, Kurtosis: not null }).ToList();
        if (defined.Count == 0) return new(null, null, null, null, $"none of the {trials.Count} trials has a defined Sharpe ratio (too few sessions or no variance)");
        var best = defined.OrderByDescending(t => t.SharpePerPeriod).ThenBy(t => t.Candidate.Name, StringComparer.Ordinal).First();
        var sharpes = defined.Select(t => t.SharpePerPeriod!.Value).ToList();
        var mean = sharpes.Average();
        var variance = sharpes.Count > 1 ? sharpes.Sum(s => (s - mean) * (s - mean)) / (sharpes.Count - 1) : 0;
        double? expectedMax = null, dsr = null;
        try
        {
            // One trial has nothing to deflate against: its DSR is its PSR.
            expectedMax = trials.Count >= 2 ? Performance.ExpectedMaxSharpe(trials.Count, variance) : 0;
            dsr = Performance.ProbabilisticSharpe(best.SharpePerPeriod!.Value, expectedMax.Value, best.Sessions, best.Skewness!.Value, best.Kurtosis!.Value);
        }
        catch (QuantInputException e)
        {
            return new(null, best, null, expectedMax, $"{best.Candidate.Name}: deflated Sharpe ratio undefined ({e.Message})");
        }
        var psr = best.ProbabilisticSharpe ?? 0;
        var passed = dsr >= minDeflatedSharpe && psr >= minProbabilisticSharpe;
        var reason = FormattableString.Invariant(
            $"{best.Candidate.Name}: Sharpe {best.SharpePerPeriod:F4}/session over {best.Sessions} sessions, PSR {psr:F3} (gate {minProbabilisticSharpe}), DSR {dsr:F3} against the best of {trials.Count} unskilled trials ({expectedMax:F4}/session; gate {minDeflatedSharpe})");
        return new(passed ? best : null, best, dsr, expectedMax, (passed ? "selected: " : "no candidate: ") + reason);
    }
}
