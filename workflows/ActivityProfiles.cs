using Temporalio.Common;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Workflows;

/// <summary>Timeouts and retries per kind of activity. Governance refusals are non-retryable failures, so retries only cover transient faults.</summary>
public static class ActivityProfiles
{
    /// <summary>A backtest or a rollout stage: minutes of lane work.</summary>
    public static ActivityOptions LaneRun => new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(30),
        RetryPolicy = new RetryPolicy { MaximumAttempts = 3, InitialInterval = TimeSpan.FromSeconds(2), BackoffCoefficient = 2 },
    };

    /// <summary>A registry, audit or notification write: seconds.</summary>
    public static ActivityOptions Record => new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(2),
        RetryPolicy = new RetryPolicy { MaximumAttempts = 5, InitialInterval = TimeSpan.FromSeconds(1), BackoffCoefficient = 2 },
    };
}
