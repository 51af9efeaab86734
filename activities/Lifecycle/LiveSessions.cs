using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Activities.Lifecycle;

/// <summary>Reads the live record of deployed models from <c>live_sessions</c>.</summary>
public static class LiveSessions
{
    /// <summary>A model's live daily returns in time order (sessions several deployments share are averaged).</summary>
    public static async Task<List<(long Ts, double Return)>> ReturnsAsync(IFlowStore store, string hash, CancellationToken ct)
    {
        var sessions = new List<(long, double)>();
        using var result = await store.QueryArrowAsync(
            $"SELECT toUnixTimestamp64Nano(ts) AS t, avg(ret) AS r FROM live_sessions FINAL WHERE model_hash = {Sql.Literal(hash)} AND stage != 'shadow' GROUP BY t ORDER BY t", ct).ConfigureAwait(false);
        foreach (var batch in result.Batches)
        {
            var (ts, ret) = (ColumnView.For(batch.Column(0), "t"), ColumnView.For(batch.Column(1), "r"));
            for (var row = 0; row < batch.Length; row++) sessions.Add((ts.GetInt64(row), ret.GetDouble(row)));
        }
        return sessions;
    }
}
