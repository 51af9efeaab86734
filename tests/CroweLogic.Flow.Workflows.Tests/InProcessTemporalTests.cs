using CroweLogic.Flow.Workflows.InProcessTemporal;
using Temporalio.Client;
using Temporalio.Worker;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>The in-process Temporal service driven by the real Temporal .NET SDK client and worker.</summary>
public class InProcessTemporalTests
{
    private static async Task<T> WithWorkerAsync<T>(InProcessTemporalService service, string queue, Func<TemporalClient, Task<T>> body)
    {
        using var worker = new TemporalWorker(service.Client, new TemporalWorkerOptions(queue)
            .AddAllActivities(typeof(SampleActivities), null)
            .AddWorkflow<GreetingWorkflow>().AddWorkflow<RetryWorkflow>().AddWorkflow<SignalQueryWorkflow>().AddWorkflow<TimerWorkflow>()
            .AddWorkflow<ParentWorkflow>().AddWorkflow<CountdownWorkflow>().AddWorkflow<CancellableWorkflow>().AddWorkflow<PatchedWorkflow>());
        return await worker.ExecuteAsync(() => body(service.Client));
    }

    [Fact]
    public async Task A_workflow_runs_an_activity_and_returns_its_result()
    {
        await using var service = await InProcessTemporalService.StartAsync();
        var result = await WithWorkerAsync(service, "q1", client =>
            client.ExecuteWorkflowAsync((GreetingWorkflow w) => w.RunAsync("flow"), new(id: "greet-1", taskQueue: "q1")));
        Assert.Equal("hello, flow", result);
    }
}
