using System.Globalization;
using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Activities.Research;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Registry;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Registry;
using Temporalio.Activities;

namespace CroweLogic.Flow.Activities.Registry;

/// <summary>Registry side effects: register candidates, run the pre-signing checks, record approvals, sign, publish, grant live capital, revoke.</summary>
public sealed class RegistryActivities(GovernanceServices services)
{
    /// <summary>
    /// Registers the winner as the next version of its policy (the policy YAML exactly as backtested). Idempotent: an
    /// identical artifact already registered under an earlier version is returned instead of a new version.
    /// </summary>
    [Activity("registry.register_candidate")]
    public Task<string> RegisterCandidateAsync(CandidateRegistration registration) => ActivityFailures.GuardAsync(async () =>
    {
        var ct = ResearchActivities.Cancellation();
        var c = registration.Winner.Candidate;
        var yaml = CandidatePolicy.Yaml(c.Strategy, c.Lookback, c.SkipRecent);
        var policy = PolicyLoader.Parse(yaml, c.Name);
        var draft = new ModelArtifact(policy.Id, 0, registration.Pod, yaml, FeatureSpec(policy), TrainingParameters(policy, registration.Trials),
            await DatasetAsync(c.From, c.To, ct).ConfigureAwait(false), RiskNotes(policy),
            new PerformanceCard(registration.Winner.Kpis, registration.Winner.Sessions, registration.Trials,
                registration.Winner.ProbabilisticSharpe ?? throw new ArgumentException("the winner's probabilistic Sharpe ratio is undefined"), registration.DeflatedSharpe, registration.Winner.ResultHash),
            EngineVersion.Current, ResolvedPolicy.Of(policy));
        var existing = await services.Registry.ArtifactsAsync(policy.Id, ct).ConfigureAwait(false);
        if (existing.FirstOrDefault(a => a with { Version = 0 } is var same && CanonicalJson.Encode(same).AsSpan().SequenceEqual(CanonicalJson.Encode(draft))) is { } found) return found.Hash;
        var version = existing.Count == 0 ? 1 : existing.Max(a => a.Version) + 1;
        return await services.Registry.RegisterAsync(draft with { Version = version }, services.Actor, ct).ConfigureAwait(false);
    });

    /// <summary>
    /// The checks before signing, recorded in the audit log: the policy file validates; the risk caps the blueprint
    /// requires are present (gross, net, intraday drawdown, VaR, stand-down on data gaps, per-name position limit);
    /// the backtest reproduces (same data window, same reproducibility hash); and the re-run finished without a faulted block.
    /// </summary>
    [Activity("registry.check_candidate")]
    public Task<List<SigningCheck>> CheckCandidateAsync(string artifactHash) => ActivityFailures.GuardAsync(async () =>
    {
        var ct = ResearchActivities.Cancellation();
        var artifact = await services.Registry.FindAsync(artifactHash, ct).ConfigureAwait(false) ?? throw new RegistryRuleException($"no artifact {artifactHash} in the registry");
        var checks = new List<SigningCheck>();
        TradingPolicy? policy = null;
        try
        {
            policy = PolicyLoader.Parse(artifact.PolicyYaml, $"artifact {artifactHash}");
            checks.Add(new("policy_valid", true, $"policy {policy.Id} validates"));
        }
        catch (PolicyException e)
        {
            checks.Add(new("policy_valid", false, e.Message));
        }
        if (policy is not null)
        {
            checks.Add(RiskCaps(policy));
            var run = await ReferenceReturns.RunAsync(services, artifactHash, artifact, policy, ct).ConfigureAwait(false);
            var rerun = BacktestFingerprint.Of(run);
            checks.Add(new("reproducible", rerun == artifact.Performance.BacktestHash,
                rerun == artifact.Performance.BacktestHash ? $"re-run over {artifact.Dataset.From}..{artifact.Dataset.To} gives {rerun}" : $"re-run gives {rerun}, the performance card says {artifact.Performance.BacktestHash}"));
            var fault = run.Lane.Control.StandDownReason;
            checks.Add(new("lane_clean", fault is null, fault is null ? $"{run.Result.Events:N0} events, {run.Result.Orders:N0} orders, no block faulted" : $"the lane stood down: {fault}"));
        }
        await services.Registry.RecordChecksAsync(artifactHash, [.. checks.Select(c => (c.Name, c.Passed, c.Detail))], services.Actor, ct).ConfigureAwait(false);
        return checks;
    });

    /// <summary>Records a person's approval.</summary>
    [Activity("registry.approve")]
    public Task<bool> ApproveAsync(Approval approval) => ActivityFailures.GuardAsync(async () =>
    {
        await services.Registry.ApproveAsync(approval.ArtifactHash, approval.Approver, approval.Note, ResearchActivities.Cancellation()).ConfigureAwait(false);
        return true;
    });

    /// <summary>Signs with the worker's key (which must be trusted); returns the key id.</summary>
    [Activity("registry.sign")]
    public Task<string> SignAsync(string artifactHash) => ActivityFailures.GuardAsync(async () =>
        (await services.Registry.SignAsync(artifactHash, services.Signer, services.Actor, ResearchActivities.Cancellation()).ConfigureAwait(false)).KeyId);

    /// <summary>Publishes a signed artifact for loading.</summary>
    [Activity("registry.publish")]
    public Task<bool> PublishAsync(string artifactHash) => ActivityFailures.GuardAsync(async () =>
    {
        await services.Registry.PublishAsync(artifactHash, services.Actor, ResearchActivities.Cancellation()).ConfigureAwait(false);
        return true;
    });

    /// <summary>Grants live capital (refused with a non-retryable failure unless two distinct people approved).</summary>
    [Activity("registry.grant_live")]
    public Task<bool> GrantLiveAsync(LiveGrant grant) => ActivityFailures.GuardAsync(async () =>
    {
        await services.Registry.GrantLiveAsync(grant.ArtifactHash, grant.CapitalFraction, $"{services.Actor}/{grant.Stage}", ResearchActivities.Cancellation()).ConfigureAwait(false);
        return true;
    });

    /// <summary>Revokes an artifact.</summary>
    [Activity("registry.revoke")]
    public Task<bool> RevokeAsync(Revocation revocation) => ActivityFailures.GuardAsync(async () =>
    {
        await services.Registry.RevokeAsync(revocation.ArtifactHash, services.Actor, revocation.Reason, ResearchActivities.Cancellation()).ConfigureAwait(false);
        return true;
    });

    private static SigningCheck RiskCaps(TradingPolicy policy)
    {
        var r = policy.Risk;
        var missing = new List<string>();
        if (!(r.GrossLimit > 0)) missing.Add("risk.gross_limit");
        if (!(r.NetLimit > 0)) missing.Add("risk.net_limit");
        if (!(r.DrawdownIntraday > 0)) missing.Add("risk.dd_intraday");
        if (!(r.VarLimit > 0)) missing.Add("risk.var_limit");
        if (!policy.StandDown.OnDataGap) missing.Add("stand_down.on_data_gap: true");
        if (policy.Compliance is not { MaxPositionWeight: > 0 and <= 1 }) missing.Add("compliance.max_position_weight");
        return missing.Count == 0
            ? new("risk_caps", true, string.Create(CultureInfo.InvariantCulture, $"gross ≤ {r.GrossLimit}, net ≤ {r.NetLimit}, intraday drawdown {r.DrawdownIntraday:P0}, VaR {r.VarLimit:P0}, per name ≤ {policy.ComplianceOrDefault.MaxPositionWeight:P0}, stand-down on data gaps"))
            : new("risk_caps", false, "missing or not positive: " + string.Join(", ", missing));
    }

    private static IReadOnlyList<string> FeatureSpec(TradingPolicy policy)
    {
        var s = policy.StrategyOrDefault;
        return [$"{s.Model}@1(lookback={s.Lookback}, skip={s.SkipRecent}, rebalance_every={s.RebalanceEvery})", "realised_vol@1(20)"];
    }

    private static IReadOnlyDictionary<string, string> TrainingParameters(TradingPolicy policy, int trials)
    {
        var s = policy.StrategyOrDefault;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["lookback"] = s.Lookback.ToString(CultureInfo.InvariantCulture),
            ["skip"] = s.SkipRecent.ToString(CultureInfo.InvariantCulture),
            ["rebalance_every"] = s.RebalanceEvery.ToString(CultureInfo.InvariantCulture),
            ["information_coefficient"] = s.InformationCoefficient.ToString("R", CultureInfo.InvariantCulture),
            ["trials"] = trials.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string RiskNotes(TradingPolicy policy) => string.Create(CultureInfo.InvariantCulture,
        $"gross ≤ {policy.Risk.GrossLimit}, net ≤ {policy.Risk.NetLimit}, intraday drawdown cap {policy.Risk.DrawdownIntraday} (flatten), VaR limit {policy.Risk.VarLimit}, sizing {policy.Sizing.Method} λ={policy.Sizing.Lambda}");

    private async Task<DatasetCard> DatasetAsync(string from, string to, CancellationToken ct)
    {
        using var result = await services.Store.QueryArrowAsync(
            $"SELECT toString(uniqExact(symbol)), toString(count()) FROM bars_1d WHERE ts >= toDateTime64({Sql.Literal(from)}, 9, 'UTC') AND ts < toDateTime64({Sql.Literal(to)}, 9, 'UTC')", ct).ConfigureAwait(false);
        var batch = result.Batches.First(b => b.Length > 0);
        var instruments = int.Parse(ColumnView.For(batch.Column(0), "n").GetString(0), CultureInfo.InvariantCulture);
        var rows = long.Parse(ColumnView.For(batch.Column(1), "rows").GetString(0), CultureInfo.InvariantCulture);
        return new DatasetCard("bars_1d", from, to, instruments, rows, "daily bars after the ingest's validation (rejects quarantined); survivorship as in the source set");
    }
}
