using CroweLogic.Flow.Activities.Registry;
using CroweLogic.Flow.Activities.Research;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Workflows.Research;

/// <summary>
/// Research: backtests every grid point in parallel (activities), selects with the deflated and probabilistic Sharpe
/// ratios and registers the winner as a candidate with its performance card.
/// </summary>
[Workflow("Research")]
public sealed class ResearchWorkflow
{
    private string _stage = "starting";
    private int _done;
    private int _trials;

    /// <summary>Progress: stage and trials finished.</summary>
    [WorkflowQuery("status")]
    public string Status => $"{_stage}: {_done}/{_trials} trials backtested";

    /// <summary>Runs the research.</summary>
    [WorkflowRun]
    public async Task<ResearchOutcome> RunAsync(ResearchRequest request)
    {
        if (request.Grid.Count == 0) throw new ApplicationFailureException("the research grid is empty", "InvalidRequest", nonRetryable: true);
        _trials = request.Grid.Count;
        _stage = "backtesting";
        Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Stage.ValueSet("research"));
        var runs = request.Grid.Select(async g =>
        {
            var result = await Workflow.ExecuteActivityAsync((ResearchActivities a) => a.BacktestAsync(new CandidateBacktest(request.Strategy, g.Lookback, g.SkipRecent, request.From, request.To)), ActivityProfiles.LaneRun);
            _done++;
            return result;
        }).ToList();
        var trials = await Workflow.WhenAllAsync(runs);
        _stage = "selecting";
        var selection = TrialSelection.Select(trials, request.MinDeflatedSharpe, request.MinProbabilisticSharpe);
        if (selection.Winner is not { } winner)
        {
            _stage = "no candidate";
            return new ResearchOutcome(trials, null, selection.DeflatedSharpe, selection.Reason, null);
        }
        _stage = "registering";
        var hash = await Workflow.ExecuteActivityAsync((RegistryActivities a) => a.RegisterCandidateAsync(new CandidateRegistration(request.Pod, winner, trials.Length, selection.DeflatedSharpe!.Value)), ActivityProfiles.Record);
        Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Model.ValueSet(hash), FlowSearchAttributes.Stage.ValueSet("candidate"));
        _stage = "registered";
        return new ResearchOutcome(trials, winner, selection.DeflatedSharpe, selection.Reason, hash);
    }
}
