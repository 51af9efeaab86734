using Temporalio.Common;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Workflows;

/// <summary>Timeouts and retries per kind of activity. Governance refusals are non-retryable failures, so retries only cover transient faults.</summary>
public static class ActivityProfiles
{
    /// <summary>
    /// A backtest or a rollout stage: minutes of lane work. It heartbeats, so a cancel or abort reaches it within a
    /// heartbeat and a dead worker's attempt fails over within the heartbeat timeout instead of the half hour.
    /// </summary>
    public static ActivityOptions LaneRun => new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(30),
        HeartbeatTimeout = TimeSpan.FromSeconds(60),
        RetryPolicy = new RetryPolicy { MaximumAttempts = 3, InitialInterval = TimeSpan.FromSeconds(2), BackoffCoefficient = 2 },
    };

    /// <summary><see cref="LaneRun"/> on the task queue of the worker that runs the lane.</summary>
    public static ActivityOptions LaneRunOn(string? laneQueue) => On(LaneRun, laneQueue);

    /// <summary><see cref="Record"/> on the task queue of the worker that runs the lane (stand-down, flatten).</summary>
    public static ActivityOptions LaneActionOn(string? laneQueue) => On(Record, laneQueue);

    private static ActivityOptions On(ActivityOptions options, string? queue)
    {
        if (queue is not null) options.TaskQueue = queue;
        return options;
    }

    /// <summary>A registry, audit or notification write: seconds.</summary>
    public static ActivityOptions Record => new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(2),
        RetryPolicy = new RetryPolicy { MaximumAttempts = 5, InitialInterval = TimeSpan.FromSeconds(1), BackoffCoefficient = 2 },
    };
}
