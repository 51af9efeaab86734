namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// What the algorithms know of one instrument's market, from the rows the lane hands over: the touch, the volume
/// traded so far, an EWMA of the mid's variance per second (the volatility the IS schedule prices risk with), the rate
/// at which the touch trades, and the volume traded in each minute of the day over earlier sessions (the VWAP profile).
/// </summary>
public sealed class MarketState
{
    private const long Second = 1_000_000_000L;
    private const long Minute = 60 * Second;
    private const long Day = 86_400 * Second;
    private readonly double[] _minuteVolume = new double[1440];
    private readonly double[] _today = new double[1440];
    private long _day = long.MinValue;
    private double _lastMid = double.NaN;
    private long _lastMidTs;
    private long _lastTradeTs;

    /// <summary>Best bid (NaN until one is seen).</summary>
    public double Bid { get; private set; } = double.NaN;

    /// <summary>Best ask.</summary>
    public double Ask { get; private set; } = double.NaN;

    /// <summary>Size at the bid.</summary>
    public double BidSize { get; private set; }

    /// <summary>Size at the ask.</summary>
    public double AskSize { get; private set; }

    /// <summary>Volume traded since the first row (all participants).</summary>
    public double Volume { get; private set; }

    /// <summary>EWMA variance of the mid's log change per second (0 until two mids are seen).</summary>
    public double VariancePerSecond { get; private set; }

    /// <summary>EWMA of units traded per second.</summary>
    public double TradeRate { get; private set; }

    /// <summary>Sessions whose minute volumes the profile holds.</summary>
    public int ProfileSessions { get; private set; }

    /// <summary>A quote: a NaN side keeps the last one.</summary>
    public void Quote(long ts, double bid, double bidSize, double ask, double askSize)
    {
        Roll(ts);
        if (bid > 0) (Bid, BidSize) = (bid, bidSize >= 0 ? bidSize : 0);
        if (ask > 0) (Ask, AskSize) = (ask, askSize >= 0 ? askSize : 0);
        if (!(Bid > 0 && Ask > 0)) return;
        var mid = (Bid + Ask) / 2;
        if (_lastMid > 0 && ts > _lastMidTs)
        {
            var r = mid == _lastMid ? 0 : Math.Log(mid / _lastMid);
            var seconds = (ts - _lastMidTs) / (double)Second;
            var perSecond = r * r / seconds;
            // Time-weighted: a long gap moves the estimate more than a burst of quotes.
            var weight = Weight(seconds / 300);
            VariancePerSecond = VariancePerSecond == 0 ? perSecond : VariancePerSecond + weight * (perSecond - VariancePerSecond);
        }
        (_lastMid, _lastMidTs) = (mid, ts);
    }

    /// <summary>A trade of <paramref name="size"/> units.</summary>
    public void Trade(long ts, double size)
    {
        Roll(ts);
        if (!(size > 0)) return;
        Volume += size;
        _today[MinuteOfDay(ts)] += size;
        if (_lastTradeTs != 0 && ts > _lastTradeTs)
        {
            var seconds = (ts - _lastTradeTs) / (double)Second;
            var weight = Weight(seconds / 60);
            TradeRate += weight * (size / seconds - TradeRate);
        }
        _lastTradeTs = ts;
    }

    /// <summary>
    /// Volume weights of the minutes from <paramref name="start"/> to <paramref name="end"/>, from the earlier sessions'
    /// volume in those minutes of the day; null when no earlier session traded in them (the schedule then stays even).
    /// </summary>
    public double[]? Profile(long start, long end)
    {
        if (ProfileSessions == 0) return null;
        var minutes = (int)Math.Max(1, Math.Ceiling((end - start) / (double)Minute));
        var weights = new double[minutes];
        var total = 0.0;
        for (var i = 0; i < minutes; i++) total += weights[i] = _minuteVolume[MinuteOfDay(start + i * Minute)];
        return total > 0 ? weights : null;
    }

    // A new day: yesterday's minute volumes join the profile.
    private void Roll(long ts)
    {
        var day = ts / Day;
        if (day == _day) return;
        if (_day != long.MinValue && _today.Any(v => v > 0))
        {
            for (var i = 0; i < _today.Length; i++) _minuteVolume[i] += _today[i];
            ProfileSessions++;
        }
        Array.Clear(_today);
        _day = day;
    }

    // 1 − e^(−x). Quotes come milliseconds apart, where the series is exact to double precision (error below x⁴/24) and
    // an exponential per quote would be most of this class's cost.
    private static double Weight(double x) => x < 1e-3 ? x * (1 - x * (0.5 - x / 6)) : 1 - Math.Exp(-x);

    private static int MinuteOfDay(long ts) => (int)((ts % Day + Day) % Day / Minute);
}
