using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Allocation;

/// <summary>Settings of the meta-allocator (blueprint §16.5, §22.3).</summary>
/// <param name="Ridge">λ of V = λI + Σxxᵀ.</param>
/// <param name="Exploration">β, the width of the confidence bonus.</param>
/// <param name="MaxAllocation">Per-arm capital cap.</param>
/// <param name="MinAllocation">Per-arm capital floor.</param>
/// <param name="CvarLevel">Tail share q of the arm's realised returns whose mean loss is penalised.</param>
/// <param name="CvarPenalty">Weight on that CVaR.</param>
/// <param name="CvarMinSamples">Realised returns needed before the CVaR penalty applies.</param>
/// <param name="LossPenalty">λ_loss in the shaped reward r − λ_loss·max(0, −r)^p − ψ·breach.</param>
/// <param name="LossPower">p.</param>
/// <param name="BreachPenalty">ψ.</param>
public sealed record LinUcbConfig(
    double Ridge = 1.0, double Exploration = 1.5, double MaxAllocation = 0.25, double MinAllocation = 0.0,
    double CvarLevel = 0.05, double CvarPenalty = 0.1, int CvarMinSamples = 20, double LossPenalty = 0.5, double LossPower = 2, double BreachPenalty = 0.0);

/// <summary>
/// A disjoint-arm contextual LinUCB over live strategies: each arm keeps V_j = λI + Σxxᵀ and b_j = Σ r̃·x on a
/// risk-adjusted reward; its score is x·θ̂_j + β‖x‖_{V_j⁻¹} − c·CVaR_q(realised returns), and capital goes to the
/// positive scores under per-arm caps and floors.
/// </summary>
public sealed class LinUcbAllocator
{
    private readonly LinUcbConfig _config;
    private readonly Matrix<double>[] _v;
    private readonly Vector<double>[] _b;
    private readonly List<double>[] _returns;

    /// <summary>Creates an allocator for <paramref name="arms"/> strategies with <paramref name="features"/> context features.</summary>
    public LinUcbAllocator(int arms, int features, LinUcbConfig? config = null)
    {
        _config = config ?? new LinUcbConfig();
        if (arms < 1 || features < 1) throw new QuantInputException("the allocator needs at least one arm and one feature");
        if (!(_config.Ridge > 0) || _config.Exploration < 0 || !(_config.CvarLevel is > 0 and < 1)) throw new QuantInputException("ridge must be positive, exploration non-negative and the CVaR level in (0, 1)");
        if (_config.MinAllocation < 0 || _config.MaxAllocation < _config.MinAllocation || _config.MaxAllocation * arms < 1 - 1e-12 || _config.MinAllocation * arms > 1 + 1e-12)
            throw new QuantInputException($"allocation bounds [{_config.MinAllocation}, {_config.MaxAllocation}] cannot sum to one over {arms} arms");
        _v = [.. Enumerable.Range(0, arms).Select(_ => Matrix<double>.Build.DenseIdentity(features) * _config.Ridge)];
        _b = [.. Enumerable.Range(0, arms).Select(_ => Vector<double>.Build.Dense(features))];
        _returns = [.. Enumerable.Range(0, arms).Select(_ => new List<double>())];
    }

    /// <summary>θ̂_j = V_j⁻¹b_j, the ridge estimate of arm j's reward model.</summary>
    public double[] Theta(int arm) => [.. _v[arm].Cholesky().Solve(_b[arm])];

    /// <summary>The risk-adjusted reward the model learns from.</summary>
    public double ShapedReward(double pnl, bool drawdownBreach) =>
        pnl - _config.LossPenalty * Math.Pow(Math.Max(0, -pnl), _config.LossPower) - (drawdownBreach ? _config.BreachPenalty : 0);

    /// <summary>Per-arm scores for the given contexts (one row per arm).</summary>
    public double[] Scores(double[][] contexts)
    {
        Check(contexts);
        var scores = new double[_v.Length];
        for (var j = 0; j < _v.Length; j++)
        {
            var x = Vector<double>.Build.DenseOfArray(contexts[j]);
            var chol = _v[j].Cholesky();
            var mean = x * chol.Solve(_b[j]);
            var width = _config.Exploration * Math.Sqrt(x * chol.Solve(x));
            scores[j] = mean + width - _config.CvarPenalty * Cvar(j);
        }
        return scores;
    }

    /// <summary>Capital weights: proportional to positive scores, within [floor, cap], summing to one (equal when none is positive).</summary>
    public double[] Allocate(double[][] contexts)
    {
        var scores = Scores(contexts);
        var n = scores.Length;
        var raw = scores.Select(s => Math.Max(0, s)).ToArray();
        if (raw.Sum() <= 0) raw = [.. Enumerable.Repeat(1.0, n)];
        // Water-filling: fix arms at a bound, share the rest by score, until every weight respects its bounds.
        var weights = new double[n];
        var free = Enumerable.Range(0, n).ToHashSet();
        var budget = 1.0;
        while (true)
        {
            var total = free.Sum(i => raw[i]);
            foreach (var i in free) weights[i] = total > 0 ? budget * raw[i] / total : budget / free.Count;
            var over = free.Where(i => weights[i] > _config.MaxAllocation + 1e-15).ToList();
            var under = free.Where(i => weights[i] < _config.MinAllocation - 1e-15).ToList();
            if (over.Count == 0 && under.Count == 0) return weights;
            foreach (var i in over) { weights[i] = _config.MaxAllocation; budget -= weights[i]; free.Remove(i); }
            foreach (var i in under) { weights[i] = _config.MinAllocation; budget -= weights[i]; free.Remove(i); }
            if (free.Count == 0) return weights;
        }
    }

    /// <summary>Learns from one arm's outcome in its context.</summary>
    public void Update(int arm, double[] context, double pnl, bool drawdownBreach = false)
    {
        if (arm < 0 || arm >= _v.Length) throw new QuantInputException($"arm {arm} does not exist");
        if (context.Length != _b[arm].Count || context.Any(v => !double.IsFinite(v)) || !double.IsFinite(pnl)) throw new QuantInputException("the context must have one finite value per feature and the PnL must be finite");
        var x = Vector<double>.Build.DenseOfArray(context);
        _v[arm] += x.OuterProduct(x);
        _b[arm] += ShapedReward(pnl, drawdownBreach) * x;
        _returns[arm].Add(pnl);
    }

    /// <summary>Empirical CVaR (mean loss of the worst q share) of an arm's realised returns; 0 before enough samples.</summary>
    public double Cvar(int arm)
    {
        var r = _returns[arm];
        if (r.Count < _config.CvarMinSamples) return 0;
        var sorted = r.Order().ToArray();
        var k = Math.Max(1, (int)(_config.CvarLevel * sorted.Length));
        return Math.Max(0, -sorted.Take(k).Average());
    }

    private void Check(double[][] contexts)
    {
        if (contexts.Length != _v.Length || contexts.Any(c => c.Length != _b[0].Count || c.Any(v => !double.IsFinite(v))))
            throw new QuantInputException($"give one finite context of {_b[0].Count} features per arm ({_v.Length} arms)");
    }
}
