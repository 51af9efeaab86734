namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// Where a message ends up after the PnL agent: the store in backtests and paper trading, memory in tests. Called by the
/// lane's last block, one message at a time, in feed order. An exception here stops the lane (data must not be lost).
/// </summary>
public interface ILaneSink
{
    /// <summary>Takes one finished message.</summary>
    void Accept(LaneMessage message);

    /// <summary>The feed ended and every message was accepted: flush what is buffered.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
