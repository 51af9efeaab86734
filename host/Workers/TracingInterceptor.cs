using System.Diagnostics;
using Temporalio.Worker.Interceptors;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Host.Workers;

/// <summary>
/// Workflow and activity spans on the <c>CroweLogic.Flow.Worker</c> ActivitySource (OpenTelemetry picks them up with
/// AddSource). Workflow spans are recorded only for non-replayed executions, so replay never duplicates them.
/// </summary>
public sealed class TracingInterceptor : IWorkerInterceptor
{
    /// <summary>The ActivitySource's name.</summary>
    public const string SourceName = "CroweLogic.Flow.Worker";

    /// <summary>The source the spans start on.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <inheritdoc />
    public WorkflowInboundInterceptor InterceptWorkflow(WorkflowInboundInterceptor nextInterceptor) => new WorkflowSpans(nextInterceptor);

    /// <inheritdoc />
    public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) => new ActivitySpans(nextInterceptor);

    private sealed class ActivitySpans(ActivityInboundInterceptor next) : ActivityInboundInterceptor(next)
    {
        public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
        {
            var info = Temporalio.Activities.ActivityExecutionContext.Current.Info;
            using var span = Source.StartActivity($"RunActivity:{info.ActivityType}", ActivityKind.Server);
            span?.SetTag("temporal.workflow_id", info.WorkflowId);
            span?.SetTag("temporal.activity_id", info.ActivityId);
            span?.SetTag("temporal.attempt", info.Attempt);
            try
            {
                return await base.ExecuteActivityAsync(input).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                span?.SetStatus(ActivityStatusCode.Error, e.Message);
                throw;
            }
        }
    }

    private sealed class WorkflowSpans(WorkflowInboundInterceptor next) : WorkflowInboundInterceptor(next)
    {
        public override async Task<object?> ExecuteWorkflowAsync(ExecuteWorkflowInput input)
        {
            // Spans are side effects: only emit them the first time the code runs, never on replay.
            Activity? span = null;
            if (!Workflow.Unsafe.IsReplaying)
            {
                var info = Workflow.Info;
                span = Workflow.Unsafe.WithTracingEventListenerDisabled(() =>
                {
                    var started = Source.StartActivity($"RunWorkflow:{info.WorkflowType}", ActivityKind.Server);
                    started?.SetTag("temporal.workflow_id", info.WorkflowId);
                    started?.SetTag("temporal.run_id", info.RunId);
                    return started;
                });
            }
            try
            {
                return await base.ExecuteWorkflowAsync(input).ConfigureAwait(true);
            }
            finally
            {
                if (span is not null) Workflow.Unsafe.WithTracingEventListenerDisabled(span.Dispose);
            }
        }
    }
}
