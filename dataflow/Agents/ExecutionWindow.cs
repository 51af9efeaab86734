using System.Globalization;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// How long the policy's algorithm may work an order: <c>execution.window_seconds</c>, or by default the policy's first
/// horizon (30m → 1800 s; a day or week counts in calendar time, since the window ends in event time).
/// </summary>
public static class ExecutionWindow
{
    /// <summary>The window in seconds.</summary>
    public static double Seconds(TradingPolicy policy)
    {
        if (policy.Execution.WindowSeconds > 0) return policy.Execution.WindowSeconds;
        var horizon = policy.Horizons[0];
        var n = int.Parse(horizon.AsSpan(0, horizon.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture);
        return horizon[^1] switch
        {
            'm' => n * 60.0,
            'h' => n * 3_600.0,
            'd' => n * 86_400.0,
            _ => n * 7 * 86_400.0,
        };
    }

    /// <summary>The instruction for each order the lane sends (null: IMMEDIATE, the order goes out as the router built it; so do a flatten's closing order and an aggressive one).</summary>
    public static Func<OrderIntent, ExecutionInstruction?>? Instructions(TradingPolicy policy)
    {
        var execution = policy.Execution;
        if (execution.IsImmediate) return null;
        var window = (long)(Seconds(policy) * 1e9);
        // An aggressive order (§9.3: a forecast sure enough to pay the spread now) goes out as the router built it, like a flatten's.
        return intent => intent.Urgent || intent.Style == ExecutionStyle.Aggressive ? null
            : new ExecutionInstruction(execution.Algo, execution.ParticipationCap, execution.LimitOffsetBps, intent.Order.Ts + window) { PassiveOnly = intent.Style == ExecutionStyle.Passive };
    }
}
