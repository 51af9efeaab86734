using Google.Protobuf;
using Grpc.Core;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Api.Enums.V1;
using CroweLogic.Flow.Temporal.Journal;

namespace CroweLogic.Flow.Temporal;

/// <summary>Dispatches WorkflowService calls by method name to the engine; everything else is Unimplemented with a clear message.</summary>
internal sealed class WorkflowServiceEndpoint(TemporalEngine engine) : IRpcService
{
    public static Google.Protobuf.Reflection.ServiceDescriptor Service { get; } = Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor.Services.Single(s => s.Name == "WorkflowService");

    public async Task<IMessage> HandleAsync(string method, IMessage request, CancellationToken cancellationToken)
    {
        var response = await DispatchAsync(method, request, cancellationToken).ConfigureAwait(false);
        await engine.AwaitDurableAsync().ConfigureAwait(false);
        return response;
    }

    private async Task<IMessage> DispatchAsync(string method, IMessage request, CancellationToken ct)
    {
        switch (request)
        {
            case GetSystemInfoRequest:
                return new GetSystemInfoResponse
                {
                    ServerVersion = engine.Durable ? "CroweLogic.Flow embedded (durable, SQLite journal)" : "CroweLogic.Flow embedded (in memory, not durable)",
                    Capabilities = new GetSystemInfoResponse.Types.Capabilities
                    {
                        SignalAndQueryHeader = true,
                        InternalErrorDifferentiation = true,
                        ActivityFailureIncludeHeartbeat = true,
                        EncodedFailureAttributes = true,
                        UpsertMemo = true,
                        SdkMetadata = true,
                    },
                };
            case DescribeNamespaceRequest describe:
                var name = describe.Namespace.Length > 0 ? describe.Namespace : "default";
                if (!engine.NamespaceExists(name)) throw RpcErrors.NotFound($"namespace {name} not found");
                return engine.DescribeNamespace(name);
            case ListNamespacesRequest:
                return engine.ListNamespaces();
            case GetClusterInfoRequest:
                return new GetClusterInfoResponse
                {
                    ClusterName = "crowelogic-flow",
                    ClusterId = "crowelogic-flow",
                    ServerVersion = "1.27.0",
                    VisibilityStore = engine.Durable ? "sqlite" : "memory",
                    PersistenceStore = engine.Durable ? "sqlite" : "memory",
                    HistoryShardCount = 1,
                };
            case CountWorkflowExecutionsRequest count:
                return engine.Count(count);
            case GetWorkflowExecutionHistoryReverseRequest reverse:
                return engine.HistoryReverse(reverse);
            case DescribeTaskQueueRequest describeQueue:
                return engine.DescribeTaskQueue(describeQueue);
            case RegisterNamespaceRequest register:
                engine.RegisterNamespace(register.Namespace);
                return new RegisterNamespaceResponse();
            case StartWorkflowExecutionRequest start:
                return engine.Start(start);
            case SignalWorkflowExecutionRequest signal:
                engine.Signal(signal);
                return new SignalWorkflowExecutionResponse();
            case SignalWithStartWorkflowExecutionRequest signalWithStart:
                return engine.SignalWithStart(signalWithStart);
            case QueryWorkflowRequest query:
                return await engine.QueryAsync(query, ct).ConfigureAwait(false);
            case GetWorkflowExecutionHistoryRequest history:
                return await engine.HistoryAsync(history, ct).ConfigureAwait(false);
            case DescribeWorkflowExecutionRequest describeExecution:
                return engine.Describe(describeExecution);
            case TerminateWorkflowExecutionRequest terminate:
                engine.Terminate(terminate);
                return new TerminateWorkflowExecutionResponse();
            case RequestCancelWorkflowExecutionRequest cancel:
                engine.RequestCancel(cancel);
                return new RequestCancelWorkflowExecutionResponse();
            case ListWorkflowExecutionsRequest list:
                return engine.List(list);
            case PollWorkflowTaskQueueRequest poll:
                return await engine.PollWorkflowTaskAsync(poll, ct).ConfigureAwait(false);
            case RespondWorkflowTaskCompletedRequest completed:
                return engine.CompleteWorkflowTask(completed);
            case RespondWorkflowTaskFailedRequest failed:
                engine.FailWorkflowTask(failed);
                return new RespondWorkflowTaskFailedResponse();
            case PollActivityTaskQueueRequest pollActivity:
                return await engine.PollActivityTaskAsync(pollActivity, ct).ConfigureAwait(false);
            case RespondActivityTaskCompletedRequest activityCompleted:
                engine.CompleteActivity(activityCompleted);
                return new RespondActivityTaskCompletedResponse();
            case RespondActivityTaskFailedRequest activityFailed:
                engine.FailActivity(activityFailed);
                return new RespondActivityTaskFailedResponse();
            case RespondActivityTaskCanceledRequest activityCanceled:
                engine.CancelActivityAttempt(activityCanceled);
                return new RespondActivityTaskCanceledResponse();
            case RecordActivityTaskHeartbeatRequest heartbeat:
                return engine.Heartbeat(heartbeat);
            case RespondQueryTaskCompletedRequest queryCompleted:
                engine.CompleteQuery(queryCompleted);
                return new RespondQueryTaskCompletedResponse();
            case ShutdownWorkerRequest:
                return new ShutdownWorkerResponse();
            default:
                throw RpcErrors.Create(StatusCode.Unimplemented, $"{method} is not implemented by the embedded Temporal service (use a real Temporal server)");
        }
    }
}
