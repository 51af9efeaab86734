using Apache.Arrow;
using CroweLogic.Flow.Dataflow.Arrow;
using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Dataflow.Features;

/// <summary>
/// Computes a feature set incrementally, per instrument, from trade and quote batches: one feature vector per quote
/// with a two-sided book. The same object serves live streams and offline replays of history, so online and offline
/// features come from one implementation. Features not yet warmed up (too little history) are NaN and lower coverage.
/// </summary>
public sealed class FeatureFactory(FeatureSet set, string horizon)
{
    private readonly Dictionary<string, InstrumentState> _state = new(StringComparer.Ordinal);

    /// <summary>The set computed.</summary>
    public FeatureSet Set => set;

    /// <summary>Records trades (for trade intensity); call before the quotes of the same instant.</summary>
    public void ObserveTrades(RecordBatch trades)
    {
        var symbols = BatchColumns.Require(trades, "symbol", "the feature factory");
        var times = BatchColumns.Require(trades, "ts", "the feature factory");
        for (var row = 0; row < trades.Length; row++) State(symbols.GetString(row)).Trades.Enqueue(times.GetInt64(row));
    }

    /// <summary>Feature vectors for the quotes with both sides present and positive, in input order.</summary>
    public List<FeatureVector> Process(RecordBatch quotes)
    {
        var symbols = BatchColumns.Require(quotes, "symbol", "the feature factory");
        var times = BatchColumns.Require(quotes, "ts", "the feature factory");
        var bid = BatchColumns.Require(quotes, "bid", "the feature factory");
        var bidSize = BatchColumns.Require(quotes, "bid_size", "the feature factory");
        var ask = BatchColumns.Require(quotes, "ask", "the feature factory");
        var askSize = BatchColumns.Require(quotes, "ask_size", "the feature factory");
        var names = set.Features.Select(f => f.Name).ToArray();
        var vectors = new List<FeatureVector>();
        for (var row = 0; row < quotes.Length; row++)
        {
            if (bid.IsNull(row) || ask.IsNull(row) || bidSize.IsNull(row) || askSize.IsNull(row)) continue;
            double b = bid.GetDouble(row), a = ask.GetDouble(row), bs = bidSize.GetDouble(row), az = askSize.GetDouble(row);
            if (!(b > 0 && a > 0 && bs >= 0 && az >= 0)) continue;
            var symbol = symbols.GetString(row);
            var ts = times.GetInt64(row);
            var state = State(symbol);
            state.Prune(ts);
            var mid = (a + b) / 2;
            state.Mids.Add(mid);
            var values = new double[names.Length];
            var warm = 0;
            for (var f = 0; f < values.Length; f++)
            {
                values[f] = Value(set.Features[f], state, ts, a, b, bs, az, mid);
                if (double.IsFinite(values[f])) warm++;
            }
            vectors.Add(new FeatureVector(symbol, ts, horizon, set.Id, names, values, 0, (double)warm / values.Length));
        }
        return vectors;
    }

    private static double Value(FeatureDefinition feature, InstrumentState state, long ts, double ask, double bid, double bidSize, double askSize, double mid)
    {
        switch (feature.Kind)
        {
            case FeatureKind.SpreadBps:
                return (ask - bid) / mid * 1e4;
            case FeatureKind.Imbalance:
                return bidSize + askSize > 0 ? (bidSize - askSize) / (bidSize + askSize) : double.NaN;
            case FeatureKind.MidReturn:
                return state.Mids.Count > feature.Window ? Math.Log(mid / state.Mids.Back(feature.Window)) : double.NaN;
            case FeatureKind.RealizedVol:
                if (state.Mids.Count <= feature.Window) return double.NaN;
                var sum = 0.0;
                for (var k = 0; k < feature.Window; k++)
                {
                    var r = Math.Log(state.Mids.Back(k) / state.Mids.Back(k + 1));
                    sum += r * r;
                }
                return Math.Sqrt(sum);
            default:
                var from = ts - (feature.Window * 1_000_000_000L);
                var count = 0;
                foreach (var t in state.Trades)
                {
                    if (t > from && t <= ts) count++;
                }
                return (double)count / feature.Window;
        }
    }

    private InstrumentState State(string symbol)
    {
        if (!_state.TryGetValue(symbol, out var state)) _state[symbol] = state = new InstrumentState(set);
        return state;
    }

    /// <summary>Per-instrument history: the last mids the windows need, and recent trade times.</summary>
    private sealed class InstrumentState(FeatureSet set)
    {
        private readonly long _longestIntensity = set.Features.Where(f => f.Kind == FeatureKind.TradeIntensity).Select(f => (long)f.Window).DefaultIfEmpty(0).Max() * 1_000_000_000L;

        public MidHistory Mids { get; } = new(set.QuoteHistory + 1);

        /// <summary>Recent trade times, oldest first, pruned to the longest intensity window.</summary>
        public Queue<long> Trades { get; } = new();

        /// <summary>Drops trades no intensity window reaching back from <paramref name="now"/> can count.</summary>
        public void Prune(long now)
        {
            while (Trades.Count > 0 && Trades.Peek() <= now - _longestIntensity) Trades.Dequeue();
        }
    }

    /// <summary>A ring of the last mids; <see cref="Back"/>(0) is the newest.</summary>
    private sealed class MidHistory(int capacity)
    {
        private readonly double[] _values = new double[Math.Max(1, capacity)];
        private long _count;

        public long Count => _count;

        public void Add(double value) => _values[_count++ % _values.Length] = value;

        public double Back(int k) => _values[(_count - 1 - k) % _values.Length];
    }
}
