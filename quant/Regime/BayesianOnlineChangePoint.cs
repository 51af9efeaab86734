namespace CroweLogic.Flow.Quant.Regime;

/// <summary>
/// Bayesian online change-point detection (Adams &amp; MacKay 2007) for a Gaussian series with unknown mean and variance
/// (Normal–Gamma prior, Student-t predictive) and a constant hazard 1/λ. Keeps the run-length posterior in log space;
/// run lengths whose posterior falls below <see cref="PruneBelow"/> are dropped and the rest renormalised, which makes
/// long series linear-time in practice.
/// </summary>
public sealed class BayesianOnlineChangePoint
{
    private readonly double _logH;
    private readonly double _log1mH;
    private readonly double _mu0, _kappa0, _alpha0, _beta0;
    // One entry per surviving run length: its length, log posterior and Normal–Gamma posterior parameters.
    private List<(int Run, double LogPost, (double Mu, double Kappa, double Alpha, double Beta) Stats)> _runs;

    /// <summary>Creates a detector.</summary>
    /// <param name="expectedRunLength">λ: the prior expected run length (hazard 1/λ).</param>
    /// <param name="mu0">Prior mean.</param>
    /// <param name="kappa0">Prior pseudo-observations for the mean.</param>
    /// <param name="alpha0">Prior shape of the precision.</param>
    /// <param name="beta0">Prior rate of the precision.</param>
    public BayesianOnlineChangePoint(double expectedRunLength, double mu0 = 0, double kappa0 = 1, double alpha0 = 1, double beta0 = 1)
    {
        if (!(expectedRunLength > 1)) throw new QuantInputException($"the expected run length must exceed 1, got {expectedRunLength}");
        if (!double.IsFinite(mu0) || !(kappa0 > 0) || !(alpha0 > 0) || !(beta0 > 0)) throw new QuantInputException("the Normal–Gamma prior needs a finite mean and positive κ, α, β");
        Hazard = 1 / expectedRunLength;
        _logH = Math.Log(Hazard);
        _log1mH = Math.Log(1 - Hazard);
        (_mu0, _kappa0, _alpha0, _beta0) = (mu0, kappa0, alpha0, beta0);
        _runs = [(0, 0.0, (mu0, kappa0, alpha0, beta0))];
    }

    /// <summary>The constant hazard 1/λ.</summary>
    public double Hazard { get; }

    /// <summary>Run lengths below this posterior probability are pruned (0 keeps every run length).</summary>
    public double PruneBelow { get; init; } = 1e-12;

    /// <summary>Observations seen.</summary>
    public int Count { get; private set; }

    /// <summary>The run-length posterior P(r_t = r | x_1..t) for r = 0, 1, … (pruned run lengths read 0).</summary>
    public double[] RunLengthPosterior
    {
        get
        {
            var result = new double[_runs.Max(e => e.Run) + 1];
            foreach (var e in _runs) result[e.Run] = Math.Exp(e.LogPost);
            return result;
        }
    }

    /// <summary>Log predictive density of <paramref name="x"/> under run length r's posterior (Student-t).</summary>
    public double LogPredictive(int runLength, double x) => StudentT(_runs.Single(e => e.Run == runLength).Stats, x);

    /// <summary>Adds one observation; returns the most likely run length afterwards.</summary>
    public int Update(double x)
    {
        if (!double.IsFinite(x)) throw new QuantInputException($"observation {Count} is {x}");
        var grown = new List<(int Run, double LogPost, (double Mu, double Kappa, double Alpha, double Beta) Stats)>(_runs.Count + 1);
        var changeTerms = new double[_runs.Count];
        for (var i = 0; i < _runs.Count; i++)
        {
            var (run, logPost, st) = _runs[i];
            var logPred = StudentT(st, x);
            changeTerms[i] = logPost + logPred + _logH;
            var updated = ((st.Kappa * st.Mu + x) / (st.Kappa + 1), st.Kappa + 1, st.Alpha + 0.5, st.Beta + st.Kappa * (x - st.Mu) * (x - st.Mu) / (2 * (st.Kappa + 1)));
            grown.Add((run + 1, logPost + logPred + _log1mH, updated));
        }
        grown.Insert(0, (0, LogSumExp(changeTerms), (_mu0, _kappa0, _alpha0, _beta0)));

        var evidence = LogSumExp([.. grown.Select(e => e.LogPost)]);
        var floor = Math.Log(Math.Max(PruneBelow, double.Epsilon)) + evidence;
        var kept = grown.Where(e => e.Run == 0 || PruneBelow <= 0 || e.LogPost >= floor).ToList();
        var norm = LogSumExp([.. kept.Select(e => e.LogPost)]);
        _runs = [.. kept.Select(e => (e.Run, e.LogPost - norm, e.Stats))];
        Count++;
        return _runs.MaxBy(e => e.LogPost).Run;
    }

    /// <summary>
    /// Runs a whole series and returns the detected change points: the start t − r of the most likely run once it has
    /// stayed the most likely run for <paramref name="minimumSegment"/> consecutive observations (transient flickers of the
    /// MAP run length are not reported).
    /// </summary>
    public static IReadOnlyList<int> Detect(IReadOnlyList<double> series, double expectedRunLength, double mu0, double kappa0, double alpha0, double beta0, int minimumSegment = 5)
    {
        var detector = new BayesianOnlineChangePoint(expectedRunLength, mu0, kappa0, alpha0, beta0);
        var starts = new SortedSet<int>();
        int candidate = -1, streak = 0;
        for (var t = 0; t < series.Count; t++)
        {
            var start = t - detector.Update(series[t]);
            streak = start == candidate ? streak + 1 : 1;
            candidate = start;
            if (streak >= minimumSegment && start > 0) starts.Add(start);
        }
        return [.. starts];
    }

    private static double StudentT((double Mu, double Kappa, double Alpha, double Beta) s, double x)
    {
        var nu = 2 * s.Alpha;
        var scale2 = s.Beta * (s.Kappa + 1) / (s.Alpha * s.Kappa);
        var z = (x - s.Mu) * (x - s.Mu) / (nu * scale2);
        return MathNet.Numerics.SpecialFunctions.GammaLn((nu + 1) / 2) - MathNet.Numerics.SpecialFunctions.GammaLn(nu / 2)
            - 0.5 * Math.Log(nu * Math.PI * scale2) - (nu + 1) / 2 * Math.Log(1 + z);
    }

    private static double LogSumExp(double[] values)
    {
        var max = values.Max();
        return double.IsNegativeInfinity(max) ? max : max + Math.Log(values.Sum(v => Math.Exp(v - max)));
    }
}
