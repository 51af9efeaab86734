using Apache.Arrow;
using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Dataflow.Arrow;

/// <summary>Named column access for agents, with an error that says which agent needed which column.</summary>
public static class BatchColumns
{
    /// <summary>A typed view of column <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The batch has no such column.</exception>
    public static ColumnView Require(RecordBatch batch, string name, string agent) => ColumnView.For(Lane.LaneColumns.Column(batch, name, agent), name);
}
