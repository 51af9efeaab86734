using CroweLogic.Flow.Dataflow.Features;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Models;

/// <summary>
/// A signal model: reads feature rows in event order and forecasts, per instrument and horizon, the expected return μ,
/// its uncertainty σ and P(return &gt; 0). Models keep their own state and must not depend on where batches are cut.
/// </summary>
public interface ISignalModel
{
    /// <summary>Model name (goes on the order's reasons).</summary>
    string Name { get; }

    /// <summary>The features the model reads, in the order it expects them.</summary>
    FeatureSet Features { get; }

    /// <summary>Appends forecasts for <paramref name="rows"/> to <paramref name="output"/>.</summary>
    void Forecast(FeatureRows rows, InstrumentIds instruments, List<LaneSignal> output);
}
