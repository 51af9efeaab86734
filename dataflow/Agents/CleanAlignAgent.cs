using Apache.Arrow;
using CroweLogic.Flow.Dataflow.Arrow;
using CroweLogic.Flow.Dataflow.Clocks;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The ingestion clean-align agent: per instrument, events must move forward in (ts, seq); repeats and late arrivals are
/// held back as quarantined events with a reason, never dropped silently, and so are events too old or too far ahead
/// of the lane's clock. Works on any batch with <c>symbol</c>, <c>ts</c> and <c>seq</c> columns (trades, quotes, book deltas).
/// </summary>
public sealed class CleanAlignAgent(IClock clock, CleanAlignSettings? settings = null)
{
    private readonly CleanAlignSettings _settings = settings ?? CleanAlignSettings.Default;
    private readonly Dictionary<string, (long Ts, long Seq)> _last = new(StringComparer.Ordinal);

    /// <summary>Checks one batch against the per-instrument state, which it then advances.</summary>
    public CleanAlignResult Process(RecordBatch batch)
    {
        var symbols = BatchColumns.Require(batch, "symbol", "clean-align");
        var times = BatchColumns.Require(batch, "ts", "clean-align");
        var sequences = BatchColumns.Require(batch, "seq", "clean-align");
        var now = clock.NowNanos;
        var accepted = new int[batch.Length];
        var count = 0;
        var quarantined = new List<QuarantinedEvent>();
        for (var row = 0; row < batch.Length; row++)
        {
            var symbol = symbols.GetString(row);
            var ts = times.GetInt64(row);
            var seq = sequences.GetInt64(row);
            string? reason = null;
            if (_last.TryGetValue(symbol, out var last))
            {
                if (ts == last.Ts && seq == last.Seq) reason = CleanAlignReasons.Duplicate;
                else if (ts < last.Ts || (ts == last.Ts && seq < last.Seq)) reason = CleanAlignReasons.OutOfOrder;
            }
            if (reason is null && now - ts > _settings.MaxStalenessNanos) reason = CleanAlignReasons.Stale;
            if (reason is null && ts - now > _settings.MaxFutureNanos) reason = CleanAlignReasons.FromTheFuture;
            if (reason is null)
            {
                _last[symbol] = (ts, seq);
                accepted[count++] = row;
            }
            else quarantined.Add(new QuarantinedEvent(row, symbol, ts, seq, reason));
        }
        return new CleanAlignResult(BatchTake.Rows(batch, accepted.AsSpan(0, count)), quarantined);
    }
}
