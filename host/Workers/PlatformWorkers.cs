using CroweLogic.Flow.Activities;
using Temporalio.Client;
using Temporalio.Worker;

namespace CroweLogic.Flow.Host.Workers;

/// <summary>The platform's own workers, one per task queue, on its store; stopping drains their in-flight tasks.</summary>
internal sealed class PlatformWorkers : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TemporalWorker Worker, Task Running)> _workers = [];

    private PlatformWorkers(IReadOnlyList<string> queues) => Queues = queues;

    public IReadOnlyList<string> Queues { get; }

    public static PlatformWorkers Start(ITemporalClient client, GovernanceServices services, IReadOnlyList<string> queues)
    {
        var workers = new PlatformWorkers(FlowWorkers.QueuesWithLane(queues, services));
        foreach (var queue in workers.Queues)
        {
            var worker = new TemporalWorker(client, FlowWorkers.Configure(new TemporalWorkerOptions(queue), services));
            workers._workers.Add((worker, worker.ExecuteAsync(workers._stop.Token)));
        }
        return workers;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var (worker, running) in _workers)
        {
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            worker.Dispose();
        }
        _stop.Dispose();
    }
}
