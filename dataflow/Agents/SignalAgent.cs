using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Models;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>The signal agent: runs the lane's model over each message's feature rows.</summary>
public sealed class SignalAgent(ISignalModel model, InstrumentIds instruments)
{
    /// <summary>The model.</summary>
    public ISignalModel Model => model;

    /// <summary>Fills <see cref="LaneMessage.Signals"/>.</summary>
    public void Forecast(LaneMessage message)
    {
        if (message.Features is { } rows) model.Forecast(rows, instruments, message.Signals);
    }
}
