using System.Text.Json;
using CroweLogic.Flow.Activities.Research;
using CroweLogic.Flow.Quant.Allocation;
using CroweLogic.Flow.Quant.Evaluation;
using CroweLogic.Flow.Quant.Risk;
using Temporalio.Activities;

namespace CroweLogic.Flow.Activities.Lifecycle;

/// <summary>Side effects of the alpha lifecycle and the meta-allocator: read the live record, re-allocate capital.</summary>
public sealed class LifecycleActivities(GovernanceServices services)
{
    /// <summary>The model's live KPIs against its backtest.</summary>
    [Activity("lifecycle.live_kpis")]
    public async Task<LiveKpis> LiveKpisAsync(string artifactHash)
    {
        var ct = ResearchActivities.Cancellation();
        var live = (await LiveSessions.ReturnsAsync(services.Store, artifactHash, ct).ConfigureAwait(false)).Select(s => s.Return).ToList();
        var reference = await ReferenceReturns.GetAsync(services, artifactHash, ct).ConfigureAwait(false);
        var backtestSharpe = SharpeSample.Of(reference)?.Sharpe;
        var sample = SharpeSample.Of(live);
        var below = backtestSharpe is { } b ? 1 - sample?.ProbabilisticSharpe(b) : null;
        double? ks = live.Count >= 20 && reference.Length >= 20 ? Drift.KolmogorovSmirnov(reference, live).PValue : null;
        return new LiveKpis(artifactHash, live.Count, sample?.Sharpe, backtestSharpe, sample?.ProbabilisticSharpe(), below, Drawdown.Max(Drawdown.EquityFromReturns(live)), ks);
    }

    /// <summary>
    /// Replays the models' common live sessions through the LinUCB bandit (context per model: 1, trailing mean and
    /// trailing volatility of its returns, in percent; every model's outcome is observed each session), then allocates
    /// on the latest context. The allocation is recorded in the audit log.
    /// </summary>
    [Activity("allocator.allocate")]
    public async Task<AllocationResult> AllocateAsync(AllocationRequest request)
    {
        var ct = ResearchActivities.Cancellation();
        var hashes = request.ArtifactHashes;
        if (hashes.Count == 0) throw new ArgumentException("the meta-allocator needs at least one model");
        var series = new List<Dictionary<long, double>>();
        foreach (var hash in hashes) series.Add((await LiveSessions.ReturnsAsync(services.Store, hash, ct).ConfigureAwait(false)).ToDictionary(s => s.Ts, s => s.Return));
        var common = series.Skip(1).Aggregate(series[0].Keys.ToHashSet(), (set, s) => { set.IntersectWith(s.Keys); return set; }).Order().ToArray();
        var returns = series.Select(s => common.Select(t => s[t]).ToArray()).ToArray();
        var bandit = new LinUcbAllocator(hashes.Count, 3, new LinUcbConfig(MaxAllocation: Math.Max(request.MaxAllocation, 1.0 / hashes.Count)));
        double[][] Contexts(int t) => [.. returns.Select(r => Context(r, t, request.Window))];
        for (var t = request.Window; t < common.Length; t++)
        {
            var contexts = Contexts(t);
            for (var arm = 0; arm < hashes.Count; arm++) bandit.Update(arm, contexts[arm], returns[arm][t]);
        }
        var weights = common.Length > request.Window ? bandit.Allocate(Contexts(common.Length)) : [.. Enumerable.Repeat(1.0 / hashes.Count, hashes.Count)];
        var result = new AllocationResult(
            hashes.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => weights[x.i], StringComparer.Ordinal),
            hashes.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => bandit.Cvar(x.i), StringComparer.Ordinal), common.Length);
        await services.Audit.AppendAsync(services.Actor, "allocator.allocate", string.Join(",", hashes), JsonSerializer.Serialize(result), ct).ConfigureAwait(false);
        return result;
    }

    // Features known before session t: a constant, the trailing mean and the trailing volatility (percent).
    private static double[] Context(double[] returns, int t, int window)
    {
        var slice = returns.AsSpan(Math.Max(0, t - window), Math.Min(window, t)).ToArray();
        if (slice.Length < 2) return [1, 0, 0];
        var mean = slice.Average();
        var sd = Math.Sqrt(slice.Sum(r => (r - mean) * (r - mean)) / (slice.Length - 1));
        return [1, 100 * mean, 100 * sd];
    }
}
