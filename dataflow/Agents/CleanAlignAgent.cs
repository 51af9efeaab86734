using CroweLogic.Flow.Contracts.Execution;
using Apache.Arrow;
using CroweLogic.Flow.Dataflow.Arrow;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The ingestion clean-align agent: per instrument and stream, events must move forward in (ts, seq); repeats and late arrivals are
/// held back as quarantined events with a reason, never dropped silently, and so are events too old or too far ahead
/// of the lane's clock. In the lane it also checks values (a trade or bar without a positive price, a crossed quote):
/// those are integrity failures, which put the lane into stand-down when the policy says so.
/// Works on any batch with <c>symbol</c>, <c>ts</c> and <c>seq</c> columns (trades, quotes, bars, book deltas). A batch
/// with a <c>kind</c> column interleaves streams (trades and quotes) that number their events separately, so each
/// instrument's streams are checked apart.
/// </summary>
public sealed class CleanAlignAgent(IClock clock, CleanAlignSettings? settings = null, InstrumentIds? instruments = null)
{
    private const string Agent = "clean-align";

    // Streams per instrument in an interleaved batch: trades and quotes (TickKind).
    private const int Streams = 2;
    private readonly CleanAlignSettings _settings = settings ?? CleanAlignSettings.Default;
    private readonly InstrumentIds _ids = instruments ?? new InstrumentIds();
    private long[] _lastTs = [];
    private long[] _lastSeq = [];
    private double[] _scratchA = [], _scratchB = [], _scratchC = [], _scratchD = [];
    private byte[] _kinds = [];

    /// <summary>The instrument ids this agent assigns.</summary>
    public InstrumentIds Instruments => _ids;

    /// <summary>Checks one batch against the per-instrument state, which it then advances.</summary>
    public CleanAlignResult Process(RecordBatch batch)
    {
        var ids = new int[batch.Length];
        var quarantined = new List<QuarantinedEvent>();
        Check(batch, ids, quarantined, invalid: null);
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
        var invalid = market.Shape == MarketShape.Bars ? BarValues(batch) : TickValues(batch);
        Check(batch, message.Ids, message.Quarantined, invalid);
        foreach (var q in message.Quarantined)
        {
            if (q.Reason is CleanAlignReasons.InvalidValue or CleanAlignReasons.FromTheFuture)
            {
                message.IntegrityFailure ??= q;
                break;
            }
        }
    }

    private void Check(RecordBatch batch, int[] ids, List<QuarantinedEvent> quarantined, bool[]? invalid)
    {
        var symbols = LaneColumns.Column(batch, "symbol", Agent);
        var times = LaneColumns.Int64s(batch, "ts", Agent);
        var sequences = LaneColumns.Int64s(batch, "seq", Agent);
        var kindColumn = batch.Schema.GetFieldIndex("kind");
        var streams = kindColumn >= 0;
        var kinds = streams ? LaneColumns.Bytes(batch.Column(kindColumn), ref _kinds) : default;
        var now = clock.NowNanos;
        _ids.Resolve(symbols, ids);
        for (var row = 0; row < batch.Length; row++)
        {
            var id = ids[row];
            var stream = streams ? (id * Streams) + Math.Min((int)kinds[row], Streams - 1) : id;
            Grow(stream);
            var ts = times[row];
            var seq = sequences[row];
            string? reason = null;
            if (_lastTs[stream] != long.MinValue)
            {
                if (ts == _lastTs[stream] && seq == _lastSeq[stream]) reason = CleanAlignReasons.Duplicate;
                else if (ts < _lastTs[stream] || (ts == _lastTs[stream] && seq < _lastSeq[stream])) reason = CleanAlignReasons.OutOfOrder;
            }
            if (reason is null && now - ts > _settings.MaxStalenessNanos) reason = CleanAlignReasons.Stale;
            if (reason is null && ts - now > _settings.MaxFutureNanos) reason = CleanAlignReasons.FromTheFuture;
            if (reason is null && invalid is not null && invalid[row]) reason = CleanAlignReasons.InvalidValue;
            if (reason is null)
            {
                _lastTs[stream] = ts;
                _lastSeq[stream] = seq;
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

    /// <summary>Rows of a bar batch without a positive, finite open, close and adjusted close.</summary>
    private bool[] BarValues(RecordBatch batch)
    {
        var open = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(batch, "open", Agent), ref _scratchA);
        var close = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(batch, "close", Agent), ref _scratchB);
        var adjustedArray = LaneColumns.Doubles(batch, "adj_close", Agent);
        var adjusted = LaneColumns.DoublesOrNaN(adjustedArray, ref _scratchC);
        var bad = new bool[batch.Length];
        for (var row = 0; row < bad.Length; row++)
        {
            var (o, c) = (open[row], close[row]);
            // A missing adjusted close falls back to the close.
            var a = double.IsNaN(adjusted[row]) && adjustedArray.IsNull(row) ? c : adjusted[row];
            bad[row] = !(o > 0 && c > 0 && a > 0 && double.IsFinite(o + c + a));
        }
        return bad;
    }

    /// <summary>Rows of a tick batch that are corrupt: a trade without a positive, finite price and size; a quote side that is non-positive or infinite, or a crossed quote.</summary>
    private bool[] TickValues(RecordBatch batch)
    {
        var kind = LaneColumns.Bytes(LaneColumns.Column(batch, "kind", Agent), ref _kinds);
        var price = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(batch, "price", Agent), ref _scratchA);
        var size = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(batch, "size", Agent), ref _scratchB);
        var bid = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(batch, "bid", Agent), ref _scratchC);
        var ask = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(batch, "ask", Agent), ref _scratchD);
        var bad = new bool[batch.Length];
        for (var row = 0; row < bad.Length; row++)
        {
            if (kind[row] == TickKind.Trade)
            {
                var (p, s) = (price[row], size[row]);
                bad[row] = !(p > 0 && s > 0 && double.IsFinite(p + s));
                continue;
            }
            // A one-sided quote is normal (an empty side: NaN); a crossed or non-positive one is corrupt.
            var (b, a) = (bid[row], ask[row]);
            bad[row] = b <= 0 || a <= 0 || double.IsInfinity(b) || double.IsInfinity(a) || b > a;
        }
        return bad;
    }
}
