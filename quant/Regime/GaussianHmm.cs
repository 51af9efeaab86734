namespace CroweLogic.Flow.Quant.Regime;

/// <summary>
/// A K-state hidden Markov model with Gaussian emissions (regimes of returns; the blueprint uses K = 2), computed in log
/// space so long series do not underflow: Baum–Welch fitting, the forward filter and Viterbi decoding.
/// </summary>
/// <param name="Initial">π: initial state probabilities.</param>
/// <param name="Transition">A[i][j] = P(state j at t+1 | state i at t).</param>
/// <param name="Means">Emission means per state.</param>
/// <param name="StdDevs">Emission standard deviations per state.</param>
public sealed record GaussianHmm(double[] Initial, double[][] Transition, double[] Means, double[] StdDevs)
{
    private int K => Initial.Length;

    /// <summary>Checks shapes and that every distribution is valid.</summary>
    public void Validate()
    {
        if (K < 1 || Transition.Length != K || Means.Length != K || StdDevs.Length != K || Transition.Any(r => r.Length != K))
            throw new QuantInputException("HMM parameters must all have one entry per state");
        CheckDistribution(Initial, "initial probabilities");
        for (var i = 0; i < K; i++) CheckDistribution(Transition[i], $"transition row {i}");
        for (var i = 0; i < K; i++)
            if (!double.IsFinite(Means[i]) || !(StdDevs[i] > 0)) throw new QuantInputException($"state {i} has mean {Means[i]} and standard deviation {StdDevs[i]}");
    }

    /// <summary>log P(observations | model) by the forward recursion.</summary>
    public double LogLikelihood(IReadOnlyList<double> observations) => Forward(Check(observations)).LogLikelihood;

    /// <summary>Filtered state probabilities P(s_t | y_1..t) for every t (the online regime estimate).</summary>
    public double[][] Filter(IReadOnlyList<double> observations)
    {
        var (logAlpha, _) = Forward(Check(observations));
        return [.. logAlpha.Select(Normalise)];
    }

    /// <summary>The most likely state path (Viterbi) and its log probability.</summary>
    public (int[] Path, double LogProbability) Viterbi(IReadOnlyList<double> observations)
    {
        var y = Check(observations);
        int t = y.Length;
        var delta = new double[t][];
        var back = new int[t][];
        delta[0] = [.. Enumerable.Range(0, K).Select(i => Math.Log(Initial[i]) + LogEmission(i, y[0]))];
        for (var s = 1; s < t; s++)
        {
            delta[s] = new double[K];
            back[s] = new int[K];
            for (var j = 0; j < K; j++)
            {
                var best = double.NegativeInfinity;
                var arg = 0;
                for (var i = 0; i < K; i++)
                {
                    var v = delta[s - 1][i] + Math.Log(Transition[i][j]);
                    if (v > best) (best, arg) = (v, i);
                }
                delta[s][j] = best + LogEmission(j, y[s]);
                back[s][j] = arg;
            }
        }
        var path = new int[t];
        path[t - 1] = Array.IndexOf(delta[t - 1], delta[t - 1].Max());
        for (var s = t - 1; s > 0; s--) path[s - 1] = back[s][path[s]];
        return (path, delta[t - 1].Max());
    }

    /// <summary>
    /// Baum–Welch (EM) from this model as the starting point; stops when the log-likelihood gain falls below
    /// <paramref name="tolerance"/>. Standard deviations are floored at <paramref name="minStdDev"/> so a state cannot
    /// collapse onto one observation.
    /// </summary>
    public (GaussianHmm Model, double[] LogLikelihoods) Fit(IReadOnlyList<double> observations, int maxIterations = 500, double tolerance = 1e-9, double minStdDev = 1e-8)
    {
        var y = Check(observations);
        int t = y.Length;
        if (t < 2) throw new QuantInputException("fitting an HMM needs at least two observations");
        var model = this;
        var history = new List<double>();
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var (logAlpha, logLik) = model.Forward(y);
            history.Add(logLik);
            if (history.Count > 1 && history[^1] - history[^2] < tolerance) break;
            var logBeta = model.Backward(y);

            // γ_t(i) and Σ_t ξ_t(i, j), all from log quantities.
            var gamma = new double[t][];
            for (var s = 0; s < t; s++) gamma[s] = Normalise([.. Enumerable.Range(0, model.K).Select(i => logAlpha[s][i] + logBeta[s][i])]);
            var xi = new double[model.K, model.K];
            for (var s = 0; s < t - 1; s++)
            {
                var terms = new double[model.K, model.K];
                var max = double.NegativeInfinity;
                for (var i = 0; i < model.K; i++)
                for (var j = 0; j < model.K; j++)
                {
                    terms[i, j] = logAlpha[s][i] + Math.Log(model.Transition[i][j]) + model.LogEmission(j, y[s + 1]) + logBeta[s + 1][j];
                    max = Math.Max(max, terms[i, j]);
                }
                double total = 0;
                for (var i = 0; i < model.K; i++) for (var j = 0; j < model.K; j++) total += Math.Exp(terms[i, j] - max);
                for (var i = 0; i < model.K; i++) for (var j = 0; j < model.K; j++) xi[i, j] += Math.Exp(terms[i, j] - max) / total;
            }

            var initial = gamma[0];
            var transition = new double[model.K][];
            var means = new double[model.K];
            var stds = new double[model.K];
            for (var i = 0; i < model.K; i++)
            {
                var rowTotal = Enumerable.Range(0, model.K).Sum(j => xi[i, j]);
                transition[i] = rowTotal > 0 ? [.. Enumerable.Range(0, model.K).Select(j => xi[i, j] / rowTotal)] : model.Transition[i];
                double weight = 0, sum = 0;
                for (var s = 0; s < t; s++) { weight += gamma[s][i]; sum += gamma[s][i] * y[s]; }
                means[i] = weight > 0 ? sum / weight : model.Means[i];
                double squares = 0;
                for (var s = 0; s < t; s++) squares += gamma[s][i] * (y[s] - means[i]) * (y[s] - means[i]);
                stds[i] = weight > 0 ? Math.Max(minStdDev, Math.Sqrt(squares / weight)) : model.StdDevs[i];
            }
            model = new GaussianHmm(initial, transition, means, stds);
        }
        return (model, [.. history]);
    }

    private (double[][] LogAlpha, double LogLikelihood) Forward(double[] y)
    {
        var logAlpha = new double[y.Length][];
        logAlpha[0] = [.. Enumerable.Range(0, K).Select(i => Math.Log(Initial[i]) + LogEmission(i, y[0]))];
        for (var s = 1; s < y.Length; s++)
        {
            logAlpha[s] = new double[K];
            for (var j = 0; j < K; j++)
                logAlpha[s][j] = LogSumExp(Enumerable.Range(0, K).Select(i => logAlpha[s - 1][i] + Math.Log(Transition[i][j]))) + LogEmission(j, y[s]);
        }
        return (logAlpha, LogSumExp(logAlpha[^1]));
    }

    private double[][] Backward(double[] y)
    {
        var logBeta = new double[y.Length][];
        logBeta[^1] = new double[K];
        for (var s = y.Length - 2; s >= 0; s--)
        {
            logBeta[s] = new double[K];
            for (var i = 0; i < K; i++)
                logBeta[s][i] = LogSumExp(Enumerable.Range(0, K).Select(j => Math.Log(Transition[i][j]) + LogEmission(j, y[s + 1]) + logBeta[s + 1][j]));
        }
        return logBeta;
    }

    private double LogEmission(int state, double value)
    {
        var z = (value - Means[state]) / StdDevs[state];
        return -0.5 * z * z - Math.Log(StdDevs[state]) - 0.5 * Math.Log(2 * Math.PI);
    }

    private double[] Check(IReadOnlyList<double> observations)
    {
        Validate();
        if (observations.Count == 0) throw new QuantInputException("the observation series is empty");
        foreach (var v in observations) if (!double.IsFinite(v)) throw new QuantInputException($"the observation series holds {v}");
        return [.. observations];
    }

    private static double LogSumExp(IEnumerable<double> values)
    {
        var array = values as double[] ?? [.. values];
        var max = array.Max();
        return double.IsNegativeInfinity(max) ? max : max + Math.Log(array.Sum(v => Math.Exp(v - max)));
    }

    private static double[] Normalise(double[] logValues)
    {
        var total = LogSumExp(logValues);
        return [.. logValues.Select(v => Math.Exp(v - total))];
    }

    private static void CheckDistribution(double[] p, string what)
    {
        if (p.Any(v => !(v >= 0)) || Math.Abs(p.Sum() - 1) > 1e-9) throw new QuantInputException($"{what} must be non-negative and sum to one");
    }
}
