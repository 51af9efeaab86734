using System.Globalization;
using System.Text.Json;
using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Activities.Incident;
using CroweLogic.Flow.Activities.Research;
using CroweLogic.Flow.Contracts.Registry;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant.Evaluation;
using CroweLogic.Flow.Quant.Risk;
using CroweLogic.Flow.Storage;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace CroweLogic.Flow.Activities.Rollout;

/// <summary>
/// Rollout side effects: a stage runs the live lane on a replay of held-out data with the stage's capital. The lane
/// gets the policy only through <see cref="SignedPolicyLoader"/> (unsigned, tampered or revoked artifacts are refused and
/// the refusal audited). The lane replays the strategy's lookback before the stage so its features are warm; only
/// sessions inside the stage count, and they are written to <c>live_sessions</c>. The stage's history is read before the
/// lane starts, so a paced (paper) stage does not hold the embedded store while incident activities need it.
/// </summary>
public sealed class RolloutActivities(GovernanceServices services)
{
    /// <summary>Runs one stage and reports its guardrail KPIs.</summary>
    [Activity("rollout.run_stage")]
    public Task<StageReport> RunStageAsync(StageRequest request) => ActivityFailures.GuardAsync(async () =>
    {
        var ct = ResearchActivities.Cancellation();
        using var heartbeat = StageHeartbeat.Start();
        // A retried attempt of a stage that already finished (its result lost with a worker or service that died
        // before it was recorded) returns the recorded report: one audit entry and one set of sessions per stage.
        if (await RecordedStageAsync(request, ct).ConfigureAwait(false) is { } recorded) return recorded;
        // Verification first: a revoked or tampered artifact is refused as such even while an incident stands.
        var policy = await LoadVerifiedAsync(request.ArtifactHash, $"lane:{request.Deployment}", ct).ConfigureAwait(false);
        if (await IncidentActivities.ActiveStandDownAsync(services, request.ArtifactHash, ct).ConfigureAwait(false) is { } incident)
        {
            throw new ApplicationFailureException($"{request.ArtifactHash} is stood down by {incident}; resuming needs an approval", ActivityFailures.StoodDown, nonRetryable: true);
        }
        var from = ResearchActivities.Day(request.From);
        var costs = policy.CostsOrDefault;
        var staged = request.CapitalFraction > 0 ? policy with { Costs = costs with { InitialEquity = costs.InitialEquity * request.CapitalFraction } } : policy;
        var s = policy.StrategyOrDefault;
        var warmUp = from.AddDays(-((s.Lookback + s.SkipRecent + 30) * 7 / 5 + 10));
        var run = await BacktestRun.ExecuteAsync(services.Store, staged, new StoreFeed.Range(MarketShape.Bars, warmUp, ResearchActivities.Day(request.To), null, Buffered: true),
            $"{request.Deployment}-{request.Stage}", write: false, request.Speed, ct, lane => services.Lanes.Track(request.Deployment, lane.Control)).ConfigureAwait(false);
        var fromNanos = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        var days = run.Days.Where(d => d.Ts >= fromNanos).ToList();
        await WriteSessionsAsync(request, days, ct).ConfigureAwait(false);
        var returns = days.Select(d => d.Return).ToList();
        var reference = await ReferenceReturns.GetAsync(services, request.ArtifactHash, ct).ConfigureAwait(false);
        double? psi = null, ks = null;
        if (returns.Count >= 20 && reference.Length >= 20)
        {
            psi = Drift.PopulationStabilityIndex(reference, returns);
            ks = Drift.KolmogorovSmirnov(reference, returns).PValue;
        }
        var traded = days.Sum(d => d.Traded);
        var equity = Drawdown.EquityFromReturns(returns);
        var report = new StageReport(request.Stage, request.CapitalFraction, days.Count, equity[^1] - 1, Drawdown.Max(equity),
            traded > 0 ? days.Sum(d => d.Slippage) / traded * 1e4 : 0, psi, ks,
            run.Result.Events == 0 ? 0 : run.Result.Quarantined.Values.Sum() / (double)run.Result.Events, run.Result.Events, run.Result.Orders,
            run.Lane.Control.KillReason ?? run.Lane.Control.StandDownReason);
        await services.Audit.AppendAsync(services.Actor, StageAction, request.ArtifactHash, JsonSerializer.Serialize(new StageRecord(request, report, RunId())), ct).ConfigureAwait(false);
        return report;
    });

    private const string StageAction = "rollout.stage";

    /// <summary>What the audit log keeps of a finished stage: the request, the report and the workflow run it belongs to.</summary>
    private sealed record StageRecord(StageRequest Request, StageReport Report, string? RunId);

    private static string? RunId() => ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.Info.WorkflowRunId : null;

    private async Task<StageReport?> RecordedStageAsync(StageRequest request, CancellationToken ct)
    {
        if (!ActivityExecutionContext.HasCurrent || ActivityExecutionContext.Current.Info.Attempt == 1) return null;
        var runId = RunId();
        var entries = await EventTables.AuditLog.ReadAsync(services.Store,
            $"subject = {Sql.Literal(request.ArtifactHash)} AND action = {Sql.Literal(StageAction)} AND JSONExtractString(payload, 'RunId') = {Sql.Literal(runId ?? "")}", "seq DESC", ct).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            var record = JsonSerializer.Deserialize<StageRecord>(entry.Payload);
            if (record is not null && record.Request == request) return record.Report;
        }
        return null;
    }

    /// <summary>Records a rollback (capital withdrawn after a breach) in the audit log.</summary>
    [Activity("rollout.record_rollback")]
    public Task<bool> RecordRollbackAsync(RollbackRecord rollback) => ActivityFailures.GuardAsync(async () =>
    {
        await services.Audit.AppendAsync(services.Actor, "rollout.rollback", rollback.ArtifactHash, JsonSerializer.Serialize(rollback), ResearchActivities.Cancellation()).ConfigureAwait(false);
        return true;
    });

    /// <summary>The artifact's policy through the lane's door: verified, or refused with an audit record.</summary>
    public async Task<TradingPolicy> LoadVerifiedAsync(string hash, string loader, CancellationToken ct)
    {
        var signed = await services.Registry.LoadAsync(hash, ct).ConfigureAwait(false);
        try
        {
            return SignedPolicyLoader.Load(signed, await services.Registry.TrustStoreAsync(ct).ConfigureAwait(false));
        }
        catch (ArtifactRejectedException refusal)
        {
            // Audited under the address the lane asked for: a tampered artifact's content hashes to some other address.
            await services.Registry.RecordRefusalAsync(refusal.Hash == hash ? refusal : new ArtifactRejectedException(refusal.Reason, hash, $"{refusal.Message} (content hashes to {refusal.Hash})"), loader, ct).ConfigureAwait(false);
            throw;
        }
    }

    private Task WriteSessionsAsync(StageRequest request, List<DailyResult> days, CancellationToken ct)
    {
        if (days.Count == 0) return Task.CompletedTask;
        var now = Sql.Nanos(GovernanceServices.NowNanos());
        var rows = days.Select(d => string.Create(CultureInfo.InvariantCulture,
            $"({Sql.Literal(request.Deployment)}, {Sql.Literal(request.ArtifactHash)}, {Sql.Literal(request.Stage)}, {Sql.Nanos(d.Ts)}, {Sql.Number(d.Return)}, {Sql.Number(request.CapitalFraction)}, {Sql.Number(d.Traded)}, {Sql.Number(d.Gross)}, {Sql.Number(d.Fees)}, {Sql.Number(d.Spread)}, {Sql.Number(d.Impact)}, {Sql.Number(d.Slippage)}, {now})"));
        return services.Store.ExecuteAsync(
            "INSERT INTO live_sessions (deployment, model_hash, stage, ts, ret, capital_fraction, traded, gross, fees, spread_cost, impact_cost, slippage, written_at) VALUES " + string.Join(", ", rows), ct);
    }
}
