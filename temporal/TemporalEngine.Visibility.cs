using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Namespace.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace CroweLogic.Flow.Temporal;

internal sealed partial class TemporalEngine
{
    private readonly Dictionary<(string Namespace, string Queue, TaskQueueType Type, string Identity), DateTime> _pollers = [];

    /// <summary>Remembers who polled a queue and when, for DescribeTaskQueue (the UI's Workers tab).</summary>
    private void RecordPoller(string ns, string queue, TaskQueueType type, string identity)
    {
        lock (_gate) _pollers[(ns, queue, type, identity)] = Now;
    }

    public DescribeTaskQueueResponse DescribeTaskQueue(DescribeTaskQueueRequest request)
    {
        lock (_gate)
        {
            var type = request.TaskQueueType == TaskQueueType.Unspecified ? TaskQueueType.Workflow : request.TaskQueueType;
            var response = new DescribeTaskQueueResponse();
            foreach (var ((ns, queue, kind, identity), seen) in _pollers)
                if (ns == request.Namespace && queue == request.TaskQueue?.Name && kind == type)
                    response.Pollers.Add(new PollerInfo { Identity = identity, LastAccessTime = Timestamp.FromDateTime(seen) });
            return response;
        }
    }

    public ListNamespacesResponse ListNamespaces()
    {
        lock (_gate)
        {
            var response = new ListNamespacesResponse();
            foreach (var name in _namespaces.Order(StringComparer.Ordinal)) response.Namespaces.Add(DescribeNamespace(name));
            return response;
        }
    }

    public DescribeNamespaceResponse DescribeNamespace(string name) => new()
    {
        NamespaceInfo = new NamespaceInfo { Name = name, State = NamespaceState.Registered, Id = name },
        Config = new NamespaceConfig { WorkflowExecutionRetentionTtl = Duration.FromTimeSpan(Retention) },
    };

    public CountWorkflowExecutionsResponse Count(CountWorkflowExecutionsRequest request)
    {
        var filters = ParseFilters(request.Query);
        lock (_gate) return new CountWorkflowExecutionsResponse { Count = _runs.Values.Count(r => r.Namespace == request.Namespace && Matches(r, filters)) };
    }

    /// <summary>History newest first, paged by an offset token, as the UI's event feed reads it.</summary>
    public GetWorkflowExecutionHistoryReverseResponse HistoryReverse(GetWorkflowExecutionHistoryReverseRequest request)
    {
        lock (_gate)
        {
            var run = Run(request.Namespace, request.Execution);
            var skip = request.NextPageToken.IsEmpty ? 0 : int.Parse(request.NextPageToken.ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture);
            var size = request.MaximumPageSize > 0 ? request.MaximumPageSize : 1000;
            var page = Enumerable.Reverse(run.Events).Skip(skip).Take(size).Select(e => e.Clone()).ToList();
            var response = new GetWorkflowExecutionHistoryReverseResponse { History = new History { Events = { page } } };
            if (skip + page.Count < run.Events.Count) response.NextPageToken = ByteString.CopyFromUtf8((skip + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
    }
}
