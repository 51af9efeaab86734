using Apache.Arrow;
using CroweLogic.Flow.Dataflow.Arrow;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The ingestion clean-align agent: per instrument, events must move forward in (ts, seq); repeats and late arrivals are
/// held back as quarantined events with a reason, never dropped silently, and so are events too old or too far ahead
/// of the lane's clock. In the lane it also checks values (a trade or bar without a positive price, a crossed quote):
/// those are integrity failures, which put the lane into stand-down when the policy says so.
/// Works on any batch with <c>symbol</c>, <c>ts</c> and <c>seq</c> columns (trades, quotes, bars, book deltas).
/// </summary>
public sealed class CleanAlignAgent(IClock clock, CleanAlignSettings? settings = null, InstrumentIds? instruments = null)
{
    private const string Agent = "clean-align";
    private readonly CleanAlignSettings _settings = settings ?? CleanAlignSettings.Default;
    private readonly InstrumentIds _ids = instruments ?? new InstrumentIds();
    private long[] _lastTs = [];
    private long[] _lastSeq = [];

    /// <summary>The instrument ids this agent assigns.</summary>
    public InstrumentIds Instruments => _ids;

    /// <summary>Checks one batch against the per-instrument state, which it then advances.</summary>
    public CleanAlignResult Process(RecordBatch batch)
    {
        var ids = new int[batch.Length];
        var quarantined = new List<QuarantinedEvent>();
        Check(batch, ids, quarantined, valueCheck: null);
        var accepted = new int[batch.Length];
        var count = 0;
        for (var row = 0; row < ids.Length; row++)
        {
            if (ids[row] >= 0) accepted[count++] = row;
        }
        return new CleanAlignResult(BatchTake.Rows(batch, accepted.AsSpan(0, count)), quarantined);
    }

    /// <summary>
    /// Lane form: fills <see cref="LaneMessage.Ids"/> (−1 for a held-back row) and <see cref="LaneMessage.Quarantined"/>,
    /// and marks the first integrity failure. The batch itself is not copied.
    /// </summary>
    public void Align(LaneMessage message)
    {
        var market = message.Market ?? throw new ArgumentException("clean-align needs a market batch");
        var batch = market.Batch;
        message.Ids = new int[batch.Length];
        Func<int, string?> valueCheck = market.Shape == MarketShape.Bars ? BarValues(batch) : TickValues(batch);
        Check(batch, message.Ids, message.Quarantined, valueCheck);
        foreach (var q in message.Quarantined)
        {
            if (q.Reason is CleanAlignReasons.InvalidValue or CleanAlignReasons.FromTheFuture)
            {
                message.IntegrityFailure ??= q;
                break;
            }
        }
    }

    private void Check(RecordBatch batch, int[] ids, List<QuarantinedEvent> quarantined, Func<int, string?>? valueCheck)
    {
        var symbols = LaneColumns.Column(batch, "symbol", Agent);
        var times = BatchColumns.Require(batch, "ts", Agent);
        var sequences = BatchColumns.Require(batch, "seq", Agent);
        var now = clock.NowNanos;
        for (var row = 0; row < batch.Length; row++)
        {
            var id = _ids.Of(symbols, row);
            Grow(id);
            var ts = times.GetInt64(row);
            var seq = sequences.GetInt64(row);
            string? reason = null;
            if (_lastTs[id] != long.MinValue)
            {
                if (ts == _lastTs[id] && seq == _lastSeq[id]) reason = CleanAlignReasons.Duplicate;
                else if (ts < _lastTs[id] || (ts == _lastTs[id] && seq < _lastSeq[id])) reason = CleanAlignReasons.OutOfOrder;
            }
            if (reason is null && now - ts > _settings.MaxStalenessNanos) reason = CleanAlignReasons.Stale;
            if (reason is null && ts - now > _settings.MaxFutureNanos) reason = CleanAlignReasons.FromTheFuture;
            reason ??= valueCheck?.Invoke(row);
            if (reason is null)
            {
                _lastTs[id] = ts;
                _lastSeq[id] = seq;
                ids[row] = id;
            }
            else
            {
                ids[row] = -1;
                quarantined.Add(new QuarantinedEvent(row, _ids.Name(id), ts, seq, reason));
            }
        }
    }

    private void Grow(int id)
    {
        if (id < _lastTs.Length) return;
        var size = Math.Max(id + 1, _lastTs.Length * 2);
        var old = _lastTs.Length;
        System.Array.Resize(ref _lastTs, size);
        System.Array.Resize(ref _lastSeq, size);
        _lastTs.AsSpan(old).Fill(long.MinValue);
    }

    private static Func<int, string?> BarValues(RecordBatch batch)
    {
        var open = LaneColumns.Doubles(batch, "open", Agent);
        var close = LaneColumns.Doubles(batch, "close", Agent);
        var adjusted = LaneColumns.Doubles(batch, "adj_close", Agent);
        return row =>
        {
            var o = LaneColumns.DoubleAt(open, row);
            var c = LaneColumns.DoubleAt(close, row);
            var a = adjusted.IsNull(row) ? c : adjusted.Values[row];
            return o > 0 && c > 0 && a > 0 && double.IsFinite(o + c + a) ? null : CleanAlignReasons.InvalidValue;
        };
    }

    private static Func<int, string?> TickValues(RecordBatch batch)
    {
        var kind = LaneColumns.Column(batch, "kind", Agent);
        var price = LaneColumns.Doubles(batch, "price", Agent);
        var size = LaneColumns.Doubles(batch, "size", Agent);
        var bid = LaneColumns.Doubles(batch, "bid", Agent);
        var ask = LaneColumns.Doubles(batch, "ask", Agent);
        return row =>
        {
            if (LaneColumns.IntAt(kind, row) == TickKind.Trade)
            {
                var p = LaneColumns.DoubleAt(price, row);
                var s = LaneColumns.DoubleAt(size, row);
                return p > 0 && s > 0 && double.IsFinite(p + s) ? null : CleanAlignReasons.InvalidValue;
            }
            var b = LaneColumns.DoubleAt(bid, row);
            var a = LaneColumns.DoubleAt(ask, row);
            // A one-sided quote is normal (an empty side); a crossed or non-positive one is corrupt.
            if (b <= 0 || a <= 0 || double.IsInfinity(b) || double.IsInfinity(a)) return CleanAlignReasons.InvalidValue;
            return b > a ? CleanAlignReasons.InvalidValue : null;
        };
    }
}
