using CroweLogic.Flow.Activities;
using CroweLogic.Flow.Activities.Incident;
using CroweLogic.Flow.Activities.Rollout;
using CroweLogic.Flow.Workflows.Incident;
using CroweLogic.Flow.Workflows.Rollout;
using Temporalio.Client;
using Temporalio.Worker;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>Per-worker lane queues: with two workers on one service and one store, an incident's flatten reaches the worker whose lane it names.</summary>
[Collection(StoreCollection.Name)]
public class LaneQueueTests
{
    private const string Shared = "lanes-shared";

    [Fact]
    public async Task A_flatten_reaches_the_lane_it_names_among_two_workers_on_one_queue()
    {
        await using var h = await GovernanceHarness.StartAsync();
        var hash = await h.PublishedCandidateAsync("lanes");
        var a = new GovernanceServices(h.Store, h.Services.Signer, "worker-a", laneQueue: "lane-a");
        var b = new GovernanceServices(h.Store, h.Services.Signer, "worker-b", laneQueue: "lane-b");
        using var stop = new CancellationTokenSource();
        // Two worker processes: each has its own client connection and SDK runtime.
        var clientA = await TemporalClient.ConnectAsync(new(h.Temporal.Target) { Runtime = new Temporalio.Runtime.TemporalRuntime(new()) });
        var clientB = await TemporalClient.ConnectAsync(new(h.Temporal.Target) { Runtime = new Temporalio.Runtime.TemporalRuntime(new()) });
        var workers = new List<(TemporalWorker Worker, Task Running)>();
        foreach (var (client, services, queue) in new[] { (clientA, a, Shared), (clientA, a, "lane-a"), (clientB, b, Shared), (clientB, b, "lane-b") })
        {
            var worker = new TemporalWorker(client, FlowWorkflows.AddTo(new TemporalWorkerOptions(queue), services));
            workers.Add((worker, worker.ExecuteAsync(stop.Token)));
        }
        try
        {
            // A shadow stage paced at a million times real time: its lane runs for tens of seconds.
            var plan = new RolloutPlan(hash, [new StagePlan(RolloutStages.Shadow, 0, "2019-01-01", "2019-07-01", Speed: 1e6)],
                new Guardrails(MaxDrawdown: 0.5, MaxSlippageBps: 500, MaxPsi: 10, MinKsPValue: 0, MaxErrorRate: 1), ApprovalBeforeFull: false);
            var rollout = await h.Client.StartWorkflowAsync((RolloutWorkflow w) => w.RunAsync(plan), new WorkflowOptions("lanes-rollout", Shared));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            GovernanceServices? owner = null;
            while (owner is null && DateTime.UtcNow < deadline)
            {
                owner = a.Lanes.Find("lanes-rollout") is not null ? a : b.Lanes.Find("lanes-rollout") is not null ? b : null;
                await Task.Delay(50);
            }
            Assert.NotNull(owner);
            var other = owner == a ? b : a;
            var status = await rollout.QueryAsync(w => w.Status);
            Assert.Equal(owner.LaneQueue, status!.LaneQueue);

            // The incident names the lane's queue: stand-down and flatten run in the worker that holds the lane.
            var incident = new IncidentPlan(new IncidentRequest("lanes-incident", "lanes-rollout", hash, "kill_switch", "drill", status.LaneQueue), [new EscalationStep("desk", TimeSpan.FromHours(1))]);
            var response = await h.Client.StartWorkflowAsync((IncidentResponseWorkflow w) => w.RunAsync(incident), new WorkflowOptions("lanes-incident", Shared));
            IncidentStatus? seen = null;
            while (DateTime.UtcNow < deadline.AddSeconds(30) && (seen = await response.QueryAsync(w => w.Status)) is not { Stage: "paging" }) await Task.Delay(50);
            Assert.Contains(seen!.Timeline, t => t.Contains("flatten: kill switch engaged", StringComparison.Ordinal));
            Assert.Contains(seen.Timeline, t => t.Contains("stand-down: running lane stood down", StringComparison.Ordinal));
            Assert.Null(other.Lanes.Find("lanes-rollout"));

            // The lane flattened and stopped: the stage reports the kill as its fault.
            var result = await rollout.GetResultAsync();
            Assert.Contains("lanes-incident", string.Join(" ", result.Reports.Select(r => r.Fault) .Append(result.Reason)));
            await response.TerminateAsync("test over");
        }
        finally
        {
            stop.Cancel();
            foreach (var (worker, running) in workers)
            {
                try
                {
                    await running;
                }
                catch (OperationCanceledException)
                {
                }
                worker.Dispose();
            }
        }
    }
}
