using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The router, the venue and the PnL agent in one event-ordered step. Before each approved decision the venue replays
/// the market rows that precede it and the PnL agent books their fills, so the router sizes against the account as it
/// stands at that moment (equity after costs, shares held, orders still working), the way a live desk reads its
/// positions. Sizing against the lane's own idea of its book instead lets costs and partial fills compound into leverage
/// the risk limits never approved. Doing this in one block keeps it deterministic: no decision waits on a fill from
/// another thread, and the result does not depend on how the feed was cut into batches.
/// </summary>
public sealed class ExecutionDesk(ExecutionRouter router, VenueAgent venue, PnlAgent pnl)
{
    /// <summary>Routes, executes and books one message.</summary>
    public void Execute(LaneMessage message)
    {
        router.Begin(message);
        venue.Begin(message);
        pnl.Begin(message);
        foreach (var set in message.Targets.OrderBy(t => t.At))
        {
            venue.AdvanceTo(set.At);
            pnl.AdvanceTo(set.At);
            if (set.Flatten is { } reason) venue.CancelWorking(set.Ts, reason);
            router.Route(message, set, pnl);
        }
        router.Finish();
        venue.Finish();
        pnl.Finish();
        Volatile.Write(ref _equity, pnl.Equity);
    }

    private double _equity = double.NaN;

    /// <summary>The account's equity after the last message (read from any thread: a live session's status line).</summary>
    public double Equity => Volatile.Read(ref _equity);
}
