namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// What the algorithms know of one instrument's market, from the rows the lane hands over: the touch, the volume and
/// notional traded so far, an EWMA of the mid's variance per second (the volatility the IS schedule prices risk with),
/// the rate at which the touch trades, and — from intraday data — the volume traded in each minute of the last
/// <see cref="ProfileDays"/> sessions, from which <see cref="VolumeProfile"/> builds the VWAP schedule.
/// </summary>
/// <param name="intraday">Ticks or minute bars (daily bars have no intraday profile to keep).</param>
public sealed class MarketState(bool intraday = true)
{
    /// <summary>Sessions the VWAP profile averages over.</summary>
    public const int ProfileDays = 20;

    private const long Second = 1_000_000_000L;
    private const long Minute = 60 * Second;
    private const long Day = 86_400 * Second;
    private readonly Queue<(long Day, double[] Minutes)> _sessions = new();
    private double[] _today = new double[1440];
    private bool _traded;
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

    /// <summary>Price × size traded since the first row (the market's VWAP over a span is its change over the volume's).</summary>
    public double Notional { get; private set; }

    /// <summary>The mid (NaN before a two-sided quote).</summary>
    public double Mid => Bid > 0 && Ask > 0 ? (Bid + Ask) / 2 : double.NaN;

    /// <summary>EWMA variance of the mid's log change per second (0 until two mids are seen).</summary>
    public double VariancePerSecond { get; private set; }

    /// <summary>EWMA of units traded per second.</summary>
    public double TradeRate { get; private set; }

    /// <summary>Earlier sessions whose minute volumes the profile holds.</summary>
    public int ProfileSessions => _sessions.Count;

    /// <summary>The touch only (no variance or profile bookkeeping): a NaN or non-positive side keeps the last one.</summary>
    public void Touch(double bid, double bidSize, double ask, double askSize)
    {
        if (bid > 0) (Bid, BidSize) = (bid, bidSize >= 0 ? bidSize : 0);
        if (ask > 0) (Ask, AskSize) = (ask, askSize >= 0 ? askSize : 0);
    }

    /// <summary>A quote: a NaN side keeps the last one.</summary>
    public void Quote(long ts, double bid, double bidSize, double ask, double askSize)
    {
        Touch(bid, bidSize, ask, askSize);
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

    /// <summary>A trade of <paramref name="size"/> units at <paramref name="price"/>.</summary>
    public void Trade(long ts, double size, double price)
    {
        if (!(size > 0)) return;
        Volume += size;
        if (price > 0) Notional += price * size;
        if (intraday)
        {
            Roll(ts);
            _today[MinuteOfDay(ts)] += size;
            _traded = true;
        }
        if (_lastTradeTs != 0 && ts > _lastTradeTs)
        {
            var seconds = (ts - _lastTradeTs) / (double)Second;
            var weight = Weight(seconds / 60);
            TradeRate += weight * (size / seconds - TradeRate);
        }
        _lastTradeTs = ts;
    }

    /// <summary>
    /// Volume weights of the clock minutes from <paramref name="start"/>'s to <paramref name="end"/>'s, averaged over the
    /// earlier sessions by <see cref="VolumeProfile"/> (each session normalised first); null when no earlier session
    /// traded in them or the window crosses midnight (the schedule then stays even).
    /// </summary>
    public double[]? Profile(long start, long end)
    {
        if (_sessions.Count == 0) return null;
        var first = start - ((start % Minute) + Minute) % Minute;
        var minutes = (int)Math.Max(1, Math.Ceiling((end - first) / (double)Minute));
        var from = MinuteOfDay(first);
        if (from + minutes >= 1440) return null;
        var points = _sessions.SelectMany(s => Enumerable.Range(from, minutes).Where(m => s.Minutes[m] > 0).Select(m => (s.Day * Day + m * Minute, s.Minutes[m])));
        try
        {
            return VolumeProfile.FromVolumes(points, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(from)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(from + minutes)), minutes, TimeZoneInfo.Utc);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // A new day: the last session's minute volumes join the profile (the oldest leaves past ProfileDays).
    private void Roll(long ts)
    {
        var day = ts / Day;
        if (day == _day) return;
        if (_day != long.MinValue && _traded)
        {
            var recycled = _sessions.Count >= ProfileDays ? _sessions.Dequeue().Minutes : new double[1440];
            _sessions.Enqueue((_day, _today));
            Array.Clear(recycled);
            _today = recycled;
            _traded = false;
        }
        _day = day;
    }

    // 1 − e^(−x). Quotes come milliseconds apart, where the series is exact to double precision (error below x⁴/24) and
    // an exponential per quote would be most of this class's cost.
    private static double Weight(double x) => x < 1e-3 ? x * (1 - x * (0.5 - x / 6)) : 1 - Math.Exp(-x);

    private static int MinuteOfDay(long ts) => (int)((ts % Day + Day) % Day / Minute);
}
