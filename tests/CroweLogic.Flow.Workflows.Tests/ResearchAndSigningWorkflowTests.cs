using Temporalio.Client;
using CroweLogic.Flow.Activities.Registry;
using CroweLogic.Flow.Storage.Registry;
using CroweLogic.Flow.Workflows.Research;
using CroweLogic.Flow.Workflows.Signing;
using MathNet.Numerics.Distributions;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>Research and model signing end to end: real worker, real activities, real embedded store, in-process Temporal.</summary>
[Collection(StoreCollection.Name)]
public class ResearchAndSigningWorkflowTests
{
    [Fact]
    public async Task Research_backtests_the_grid_selects_by_deflated_sharpe_and_registers_the_winner()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var outcome = await h.Client.ExecuteWorkflowAsync((ResearchWorkflow w) => w.RunAsync(GovernanceHarness.Research(0, 0)), GovernanceHarness.Options("research-open"));

        Assert.Equal(3, outcome.Trials.Count);
        Assert.All(outcome.Trials, t => Assert.True(t.Sessions > 200 && t.Orders > 0, $"{t.Candidate.Name}: {t.Sessions} sessions, {t.Orders} orders"));
        var best = outcome.Trials.MaxBy(t => t.SharpePerPeriod)!;
        Assert.Equal(best.Candidate, outcome.Winner!.Candidate);

        // Second method: the DSR from its closed form (Bailey & López de Prado 2014, eq. for E[max SR] and the PSR), written out here.
        var sharpes = outcome.Trials.Select(t => t.SharpePerPeriod!.Value).ToArray();
        var mean = sharpes.Average();
        var variance = sharpes.Sum(s => (s - mean) * (s - mean)) / (sharpes.Length - 1);
        const double euler = 0.5772156649015329;
        var expectedMax = Math.Sqrt(variance) * ((1 - euler) * Normal.InvCDF(0, 1, 1 - 1.0 / 3) + euler * Normal.InvCDF(0, 1, 1 - 1 / (3 * Math.E)));
        var sr = best.SharpePerPeriod!.Value;
        var z = (sr - expectedMax) * Math.Sqrt(best.Sessions - 1) / Math.Sqrt(1 - best.Skewness!.Value * sr + (best.Kurtosis!.Value - 1) / 4 * sr * sr);
        Assert.Equal(Normal.CDF(0, 1, z), outcome.DeflatedSharpe!.Value, 1e-12);
        Assert.True(outcome.DeflatedSharpe < best.ProbabilisticSharpe, "deflating for three trials must lower the PSR");

        var artifact = (await h.Services.Registry.FindAsync(outcome.ArtifactHash!))!;
        Assert.Equal(3, artifact.Performance.Trials);
        Assert.Equal(best.ResultHash, artifact.Performance.BacktestHash);
        Assert.Equal(outcome.DeflatedSharpe!.Value, artifact.Performance.DeflatedSharpe);
        Assert.Contains($"lookback: {best.Candidate.Lookback}", artifact.PolicyYaml);
        Assert.Equal((GovernanceHarness.ResearchFrom, GovernanceHarness.ResearchTo), (artifact.Dataset.From, artifact.Dataset.To));
        Assert.Equal(40, artifact.Dataset.Instruments);

        // The same research again registers nothing new: the artifact is content-addressed.
        var again = await h.Client.ExecuteWorkflowAsync((ResearchWorkflow w) => w.RunAsync(GovernanceHarness.Research(0, 0)), GovernanceHarness.Options("research-again"));
        Assert.Equal(outcome.ArtifactHash, again.ArtifactHash);
        Assert.Single(await h.Services.Registry.ArtifactsAsync(artifact.Name));

        // A gate no three-trial search can pass: nothing is registered and the reason says why.
        var strict = await h.Client.ExecuteWorkflowAsync((ResearchWorkflow w) => w.RunAsync(GovernanceHarness.Research(0.999999, 0.999999)), GovernanceHarness.Options("research-strict"));
        Assert.Null(strict.ArtifactHash);
        Assert.StartsWith("no candidate: ", strict.Reason);
        Assert.Contains("DSR", strict.Reason);

        await h.AssertReplaysAsync("research-open");
        await h.AssertReplaysAsync("research-strict");
    }

    [Fact]
    public async Task Signing_runs_the_checks_waits_for_two_distinct_approvers_then_signs_and_publishes()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var research = await h.Client.ExecuteWorkflowAsync((ResearchWorkflow w) => w.RunAsync(GovernanceHarness.Research(0, 0)), GovernanceHarness.Options("sign-research"));
        var hash = research.ArtifactHash!;

        // One approver (approving twice) is not two: the approval window closes and nothing is signed.
        var lonely = await h.Client.StartWorkflowAsync((ModelSigningWorkflow w) => w.RunAsync(new SigningRequest(hash, 2, TimeSpan.FromHours(8))), GovernanceHarness.Options("sign-lonely"));
        await lonely.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("alice", "fine")));
        await lonely.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("alice", "really fine")));
        var expired = await lonely.GetResultAsync();
        Assert.Equal("expired", expired.Stage);
        Assert.Equal(["alice"], expired.Approvers);
        Assert.All(expired.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Detail}"));
        Assert.Equal(["policy_valid", "risk_caps", "reproducible", "lane_clean"], expired.Checks.Select(c => c.Name));
        Assert.Null((await h.Services.Registry.LoadAsync(hash)).Signature);

        var signing = await h.Client.StartWorkflowAsync((ModelSigningWorkflow w) => w.RunAsync(new SigningRequest(hash, 2, TimeSpan.FromHours(8))), GovernanceHarness.Options("sign-two"));
        await signing.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("alice", "risk reviewed")));
        await signing.SignalAsync(w => w.ApproveAsync(new ApprovalSignal("bob", "pm sign-off")));
        var outcome = await signing.GetResultAsync();
        Assert.True(outcome.Published, outcome.Reason);
        Assert.Equal(["alice", "bob"], outcome.Approvers);
        var signed = await h.Services.Registry.LoadAsync(hash);
        Assert.Equal(outcome.KeyId, signed.Signature!.KeyId);
        Assert.Equal(hash, (await h.Services.Registry.VerifyForLoadAsync(signed, "test")).Hash);
        var actions = (await h.Services.Registry.EntriesAsync(hash)).Select(e => e.Action).ToList();
        Assert.Equal(2, actions.Count(a => a == RegistryActions.Check));
        Assert.Equal(4, actions.Count(a => a == RegistryActions.Approve));
        Assert.Equal([RegistryActions.Sign, RegistryActions.Publish], actions.TakeLast(2));
        Assert.Null(await h.Services.Audit.VerifyAsync());

        await h.AssertReplaysAsync("sign-lonely");
        await h.AssertReplaysAsync("sign-two");
    }

    [Fact]
    public async Task A_candidate_whose_backtest_does_not_reproduce_fails_the_checks_and_is_not_signed()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var research = await h.Client.ExecuteWorkflowAsync((ResearchWorkflow w) => w.RunAsync(GovernanceHarness.Research(0, 0)), GovernanceHarness.Options("repro-research"));
        // The data under the dataset card changes after research: the re-run no longer gives the card's hash.
        await h.Store.ExecuteAsync("ALTER TABLE bars_1d UPDATE close = close * 1.01, adj_close = adj_close * 1.01 WHERE symbol = 'S39' AND toYear(ts) = 2017 SETTINGS mutations_sync = 2");
        var signing = await h.Client.StartWorkflowAsync((ModelSigningWorkflow w) => w.RunAsync(new SigningRequest(research.ArtifactHash!, 2, TimeSpan.FromHours(8))), GovernanceHarness.Options("repro-signing"));
        var outcome = await signing.GetResultAsync();
        Assert.Equal("rejected", outcome.Stage);
        Assert.Contains("reproducible: re-run gives sha256:", outcome.Reason);
        Assert.Null((await h.Services.Registry.LoadAsync(research.ArtifactHash!)).Signature);
    }
}
