using CroweLogic.Flow.Contracts.Execution;
using Apache.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Arrow;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Features;

/// <summary>
/// Computes a feature set incrementally, per instrument, from trades and quotes (one feature vector per two-sided quote)
/// or from bars (one per bar, the adjusted close as the mid). The same object serves live streams and offline replays
/// of history, so online and offline features come from one implementation. Each update is O(1) in the window lengths
/// (running sums, recomputed exactly every <see cref="ExactEvery"/> updates so rounding cannot drift). Features not yet
/// warmed up (too little history) are NaN and lower coverage.
/// </summary>
public sealed class FeatureFactory(FeatureSet set, string horizon, InstrumentIds? instruments = null)
{
    /// <summary>Running sums are recomputed from their rings this often.</summary>
    public const int ExactEvery = 4096;

    private const string Agent = "the feature factory";
    private readonly InstrumentIds _ids = instruments ?? new InstrumentIds();
    private readonly string[] _names = set.Features.Select(f => f.Name).ToArray();
    private InstrumentState?[] _state = [];

    /// <summary>The set computed.</summary>
    public FeatureSet Set => set;

    /// <summary>Records trades (for trade intensity and the tick direction); call before the quotes of the same instant.</summary>
    public void ObserveTrades(RecordBatch trades)
    {
        var symbols = LaneColumns.Column(trades, "symbol", Agent);
        var times = BatchColumns.Require(trades, "ts", Agent);
        var prices = BatchColumns.Require(trades, "price", Agent);
        for (var row = 0; row < trades.Length; row++) State(_ids.Of(symbols, row)).Trade(times.GetInt64(row), prices.GetDouble(row));
    }

    /// <summary>Feature vectors for the quotes with both sides present and positive, in input order.</summary>
    public List<FeatureVector> Process(RecordBatch quotes)
    {
        var symbols = LaneColumns.Column(quotes, "symbol", Agent);
        var times = BatchColumns.Require(quotes, "ts", Agent);
        var bid = BatchColumns.Require(quotes, "bid", Agent);
        var bidSize = BatchColumns.Require(quotes, "bid_size", Agent);
        var ask = BatchColumns.Require(quotes, "ask", Agent);
        var askSize = BatchColumns.Require(quotes, "ask_size", Agent);
        var rows = new FeatureRows(1, _names.Length, _names);
        var vectors = new List<FeatureVector>();
        for (var row = 0; row < quotes.Length; row++)
        {
            if (bid.IsNull(row) || ask.IsNull(row) || bidSize.IsNull(row) || askSize.IsNull(row)) continue;
            rows.Count = 0;
            if (!Quote(rows, row, _ids.Of(symbols, row), times.GetInt64(row), bid.GetDouble(row), ask.GetDouble(row), bidSize.GetDouble(row), askSize.GetDouble(row))) continue;
            var values = rows.Values[.._names.Length];
            var warm = values.Count(double.IsFinite);
            vectors.Add(new FeatureVector(_ids.Name(rows.Ids[0]), rows.Ts[0], horizon, set.Id, _names, values, 0, (double)warm / values.Length));
        }
        return vectors;
    }

    /// <summary>Lane form: feature rows for the message's accepted quotes or bars, in event order.</summary>
    public FeatureRows Compute(LaneMessage message)
    {
        var market = message.Market ?? throw new ArgumentException("the feature factory needs a market batch");
        var batch = market.Batch;
        var ids = message.Ids;
        var rows = new FeatureRows(batch.Length, _names.Length, _names);
        var ts = LaneColumns.Int64s(batch, "ts", Agent);
        if (market.Shape == MarketShape.Bars)
        {
            var close = LaneColumns.Doubles(batch, "close", Agent);
            var adjusted = LaneColumns.Doubles(batch, "adj_close", Agent);
            var volume = LaneColumns.Doubles(batch, "volume", Agent);
            var open = LaneColumns.Doubles(batch, "open", Agent);
            for (var row = 0; row < batch.Length; row++)
            {
                if (ids[row] < 0) continue;
                var c = close.Values[row];
                var a = adjusted.IsNull(row) ? c : adjusted.Values[row];
                Bar(rows, row, ids[row], ts[row], a, c * LaneColumns.DoubleAt(volume, row));
                rows.Open[rows.Count - 1] = LaneColumns.DoubleAt(open, row) * (a / c);
            }
            return rows;
        }
        var kind = LaneColumns.Bytes(LaneColumns.Column(batch, "kind", Agent), ref _kinds);
        var price = LaneColumns.Doubles(batch, "price", Agent).Values;
        var bid = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(batch, "bid", Agent), ref _bid);
        var bidSize = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(batch, "bid_size", Agent), ref _bidSize);
        var ask = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(batch, "ask", Agent), ref _ask);
        var askSize = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(batch, "ask_size", Agent), ref _askSize);
        for (var row = 0; row < batch.Length; row++)
        {
            var id = ids[row];
            if (id < 0) continue;
            if (kind[row] == TickKind.Trade) State(id).Trade(ts[row], price[row]);
            else Quote(rows, row, id, ts[row], bid[row], ask[row], bidSize[row], askSize[row]);
        }
        return rows;
    }

    private bool Quote(FeatureRows rows, int row, int id, long ts, double bid, double ask, double bidSize, double askSize)
    {
        var state = State(id);
        var book = state.Book = state.Book.Update(ts, bid, bidSize, ask, askSize);
        if (!book.IsTwoSided) return false;
        var (b, a, bs, az) = (book.Bid, book.Ask, book.BidSize, book.AskSize);
        state.PruneTrades(ts);
        var mid = (a + b) / 2;
        state.AddMid(mid);
        var at = rows.Count++;
        (rows.Rows[at], rows.Ids[at], rows.Ts[at], rows.Mark[at], rows.Bid[at], rows.Ask[at], rows.Tick[at], rows.Open[at]) = (row, id, ts, mid, b, a, state.TickDirection, double.NaN);
        var values = rows.Values.AsSpan(at * _names.Length, _names.Length);
        for (var f = 0; f < values.Length; f++) values[f] = Value(set.Features[f], state, ts, a, b, bs, az, mid);
        return true;
    }

    private void Bar(FeatureRows rows, int row, int id, long ts, double close, double dollarVolume)
    {
        var state = State(id);
        state.AddMid(close);
        state.AddVolume(dollarVolume);
        var at = rows.Count++;
        (rows.Rows[at], rows.Ids[at], rows.Ts[at], rows.Mark[at], rows.Bid[at], rows.Ask[at], rows.Tick[at]) = (row, id, ts, close, double.NaN, double.NaN, state.TickDirection);
        var values = rows.Values.AsSpan(at * _names.Length, _names.Length);
        for (var f = 0; f < values.Length; f++) values[f] = Value(set.Features[f], state, ts, double.NaN, double.NaN, double.NaN, double.NaN, close);
    }

    private static double Value(FeatureDefinition feature, InstrumentState state, long ts, double ask, double bid, double bidSize, double askSize, double mid) => feature.Kind switch
    {
        FeatureKind.SpreadBps => (ask - bid) / mid * 1e4,
        FeatureKind.Imbalance => bidSize + askSize > 0 ? (bidSize - askSize) / (bidSize + askSize) : double.NaN,
        FeatureKind.MidReturn => state.MidCount > feature.Window ? Math.Log(mid / state.MidBack(feature.Window)) : double.NaN,
        FeatureKind.RealizedVol => state.MidCount > feature.Window ? Math.Sqrt(Math.Max(0, state.SquaredReturnSum(feature.Window))) : double.NaN,
        FeatureKind.DollarVolume => state.VolumeCount >= feature.Window ? state.VolumeSum(feature.Window) / feature.Window : double.NaN,
        _ => (double)state.TradesSince(ts - (feature.Window * 1_000_000_000L), ts) / feature.Window,
    };

    private double[] _bid = [], _bidSize = [], _ask = [], _askSize = [];
    private byte[] _kinds = [];

    private InstrumentState State(int id)
    {
        if (id >= _state.Length) System.Array.Resize(ref _state, Math.Max(id + 1, _state.Length * 2));
        return _state[id] ??= new InstrumentState(set);
    }

    /// <summary>Per-instrument history: rings of mids, squared log returns and traded value, with running window sums; recent trade times.</summary>
    private sealed class InstrumentState
    {
        private readonly double[] _mids;
        private readonly Ring _squares;
        private readonly Ring _volumes;
        private readonly (int Window, double Sum)[] _volSums;
        private readonly (int Window, double Sum)[] _volumeSums;
        private readonly long _intensity;
        private long[] _trades = new long[16];
        private int _tradeHead;
        private int _tradeCount;
        private double _lastPrice = double.NaN;
        private long _updates;

        /// <summary>The prevailing quote, merged from one-sided updates.</summary>
        public TopOfBook Book { get; set; } = TopOfBook.Empty;

        public InstrumentState(FeatureSet set)
        {
            _mids = new double[Math.Max(1, set.QuoteHistory + 1)];
            _squares = new Ring(Math.Max(1, set.VolHistory));
            _volumes = new Ring(Math.Max(1, set.VolumeHistory));
            _volSums = set.Features.Where(f => f.Kind == FeatureKind.RealizedVol).Select(f => (f.Window, 0.0)).ToArray();
            _volumeSums = set.Features.Where(f => f.Kind == FeatureKind.DollarVolume).Select(f => (f.Window, 0.0)).ToArray();
            _intensity = set.IntensityNanos;
        }

        public long MidCount { get; private set; }

        public long VolumeCount => _volumes.Count;

        public sbyte TickDirection { get; private set; }

        public double MidBack(int k) => _mids[(MidCount - 1 - k) % _mids.Length];

        public void AddMid(double mid)
        {
            if (MidCount > 0)
            {
                var previous = MidBack(0);
                var r = Math.Log(mid / previous);
                Push(_squares, _volSums, r * r);
                if (double.IsNaN(_lastPrice)) Direction(mid - previous);
            }
            _mids[MidCount++ % _mids.Length] = mid;
        }

        public void AddVolume(double value) => Push(_volumes, _volumeSums, double.IsFinite(value) ? value : 0);

        public double SquaredReturnSum(int window) => Find(_volSums, window);

        public double VolumeSum(int window) => Find(_volumeSums, window);

        public void Trade(long ts, double price)
        {
            if (!double.IsNaN(_lastPrice)) Direction(price - _lastPrice);
            _lastPrice = price;
            if (_intensity == 0) return;
            // Quotes prune (trades may be observed ahead of the quotes of the same batch); this bounds an instrument that only trades.
            if (_tradeCount >= 65_536) PruneTrades(ts);
            if (_tradeCount == _trades.Length)
            {
                var grown = new long[_trades.Length * 2];
                for (var i = 0; i < _tradeCount; i++) grown[i] = _trades[(_tradeHead + i) % _trades.Length];
                (_trades, _tradeHead) = (grown, 0);
            }
            _trades[(_tradeHead + _tradeCount++) % _trades.Length] = ts;
        }

        /// <summary>Drops trades no intensity window reaching back from <paramref name="now"/> can count.</summary>
        public void PruneTrades(long now)
        {
            while (_tradeCount > 0 && _trades[_tradeHead] <= now - _intensity)
            {
                _tradeHead = (_tradeHead + 1) % _trades.Length;
                _tradeCount--;
            }
        }

        /// <summary>Trades with from &lt; t ≤ to (times are non-decreasing: binary search for both ends).</summary>
        public int TradesSince(long from, long to) => LowerBound(to + 1) - LowerBound(from + 1);

        private int LowerBound(long value)
        {
            int lo = 0, hi = _tradeCount;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_trades[(_tradeHead + mid) % _trades.Length] < value) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        // Zero ticks keep the previous direction (a zero-plus tick is still an uptick).
        private void Direction(double change)
        {
            if (change > 0) TickDirection = 1;
            else if (change < 0) TickDirection = -1;
        }

        private void Push(Ring ring, (int Window, double Sum)[] sums, double value)
        {
            ring.Add(value);
            var exact = ++_updates % ExactEvery == 0;
            for (var i = 0; i < sums.Length; i++)
            {
                var w = sums[i].Window;
                sums[i].Sum = exact ? ring.SumLast(w) : sums[i].Sum + value - (ring.Count > w ? ring.Back(w) : 0);
            }
        }

        private static double Find((int Window, double Sum)[] sums, int window)
        {
            foreach (var (w, sum) in sums)
            {
                if (w == window) return sum;
            }
            return double.NaN;
        }
    }

    /// <summary>A ring of the last values; <see cref="Back"/>(0) is the newest; holds one more than the longest window.</summary>
    private sealed class Ring(int window)
    {
        private readonly double[] _values = new double[window + 1];

        public long Count { get; private set; }

        public void Add(double value) => _values[Count++ % _values.Length] = value;

        public double Back(int k) => _values[(Count - 1 - k) % _values.Length];

        public double SumLast(int k)
        {
            var sum = 0.0;
            for (var i = 0; i < Math.Min(k, Count); i++) sum += Back(i);
            return sum;
        }
    }
}
