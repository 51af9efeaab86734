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
    // Surviving run lengths in increasing order with their log posterior and Normal–Gamma parameters, as parallel
    // arrays reused between steps (the hot loop allocates nothing).
    private int _size = 1;
    private int[] _run = [0];
    private double[] _logPost = [0.0], _mu = [0.0], _kappa = [1.0], _alpha = [1.0], _beta = [1.0];
    private int[] _runNext = [0];
    private double[] _logPostNext = [0.0], _muNext = [0.0], _kappaNext = [1.0], _alphaNext = [1.0], _betaNext = [1.0];

    // GammaLn((ν+1)/2) − GammaLn(ν/2) depends only on α = α₀ + r/2, i.e. on the run length: cached per run length.
    private readonly List<double> _gammaTerm = [];

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
        (_mu[0], _kappa[0], _alpha[0], _beta[0]) = (mu0, kappa0, alpha0, beta0);
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
            var result = new double[_run[_size - 1] + 1];
            for (var i = 0; i < _size; i++) result[_run[i]] = Math.Exp(_logPost[i]);
            return result;
        }
    }

    /// <summary>Log predictive density of <paramref name="x"/> under run length r's posterior (Student-t).</summary>
    public double LogPredictive(int runLength, double x)
    {
        var i = Array.IndexOf(_run, runLength, 0, _size);
        if (i < 0) throw new QuantInputException($"run length {runLength} is not in the posterior (pruned or not reached)");
        return StudentT(i, x);
    }

    /// <summary>Adds one observation; returns the most likely run length afterwards.</summary>
    public int Update(double x)
    {
        if (!double.IsFinite(x)) throw new QuantInputException($"observation {Count} is {x}");
        EnsureCapacity(_size + 1);

        // Growth messages into slots 1..size, the change-point message into slot 0.
        var changeMax = double.NegativeInfinity;
        for (var i = 0; i < _size; i++)
        {
            var lp = _logPost[i] + StudentT(i, x);
            _logPostNext[i + 1] = lp + _log1mH;
            changeMax = Math.Max(changeMax, lp);
            var k = _kappa[i];
            _runNext[i + 1] = _run[i] + 1;
            _muNext[i + 1] = (k * _mu[i] + x) / (k + 1);
            _kappaNext[i + 1] = k + 1;
            _alphaNext[i + 1] = _alpha[i] + 0.5;
            _betaNext[i + 1] = _beta[i] + k * (x - _mu[i]) * (x - _mu[i]) / (2 * (k + 1));
        }
        double changeSum = 0;
        for (var i = 0; i < _size; i++) changeSum += Math.Exp(_logPostNext[i + 1] - _log1mH - changeMax);
        _logPostNext[0] = changeMax + Math.Log(changeSum) + _logH;
        (_runNext[0], _muNext[0], _kappaNext[0], _alphaNext[0], _betaNext[0]) = (0, _mu0, _kappa0, _alpha0, _beta0);
        var size = _size + 1;

        // Normalise, prune negligible run lengths (never r = 0), renormalise.
        var evidence = LogSumExp(_logPostNext, size);
        var floor = PruneBelow > 0 ? Math.Log(PruneBelow) + evidence : double.NegativeInfinity;
        var kept = 0;
        for (var i = 0; i < size; i++)
        {
            if (i > 0 && _logPostNext[i] < floor) continue;
            _runNext[kept] = _runNext[i];
            _logPostNext[kept] = _logPostNext[i];
            _muNext[kept] = _muNext[i];
            _kappaNext[kept] = _kappaNext[i];
            _alphaNext[kept] = _alphaNext[i];
            _betaNext[kept] = _betaNext[i];
            kept++;
        }
        var norm = LogSumExp(_logPostNext, kept);
        var best = 0;
        for (var i = 0; i < kept; i++)
        {
            _logPostNext[i] -= norm;
            if (_logPostNext[i] > _logPostNext[best]) best = i;
        }
        (_run, _runNext) = (_runNext, _run);
        (_logPost, _logPostNext) = (_logPostNext, _logPost);
        (_mu, _muNext) = (_muNext, _mu);
        (_kappa, _kappaNext) = (_kappaNext, _kappa);
        (_alpha, _alphaNext) = (_alphaNext, _alpha);
        (_beta, _betaNext) = (_betaNext, _beta);
        _size = kept;
        Count++;
        return _run[best];
    }

    private void EnsureCapacity(int needed)
    {
        if (_runNext.Length >= needed && _run.Length >= needed) return;
        var capacity = Math.Max(needed, 2 * _run.Length);
        Array.Resize(ref _run, capacity);
        Array.Resize(ref _logPost, capacity);
        Array.Resize(ref _mu, capacity);
        Array.Resize(ref _kappa, capacity);
        Array.Resize(ref _alpha, capacity);
        Array.Resize(ref _beta, capacity);
        Array.Resize(ref _runNext, capacity);
        Array.Resize(ref _logPostNext, capacity);
        Array.Resize(ref _muNext, capacity);
        Array.Resize(ref _kappaNext, capacity);
        Array.Resize(ref _alphaNext, capacity);
        Array.Resize(ref _betaNext, capacity);
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

    private double StudentT(int i, double x)
    {
        var r = _run[i];
        while (_gammaTerm.Count <= r)
        {
            var nuR = 2 * (_alpha0 + _gammaTerm.Count / 2.0);
            _gammaTerm.Add(MathNet.Numerics.SpecialFunctions.GammaLn((nuR + 1) / 2) - MathNet.Numerics.SpecialFunctions.GammaLn(nuR / 2));
        }
        var nu = 2 * _alpha[i];
        var scale2 = _beta[i] * (_kappa[i] + 1) / (_alpha[i] * _kappa[i]);
        var d = x - _mu[i];
        return _gammaTerm[r] - 0.5 * Math.Log(nu * Math.PI * scale2) - (nu + 1) / 2 * Math.Log(1 + d * d / (nu * scale2));
    }

    private static double LogSumExp(double[] values, int count)
    {
        var max = double.NegativeInfinity;
        for (var i = 0; i < count; i++) max = Math.Max(max, values[i]);
        if (double.IsNegativeInfinity(max)) return max;
        double sum = 0;
        for (var i = 0; i < count; i++) sum += Math.Exp(values[i] - max);
        return max + Math.Log(sum);
    }
}
