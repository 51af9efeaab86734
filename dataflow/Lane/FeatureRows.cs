namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// The feature factory's output for one message, columnar: one row per quote (two-sided) or bar, in event order, with
/// the instrument, time, mark price and the feature vector. Trades update state (intensity, last tick) but add no row.
/// </summary>
public sealed class FeatureRows
{
    /// <summary>Rows for a batch of up to <paramref name="capacity"/> events and <paramref name="width"/> features.</summary>
    public FeatureRows(int capacity, int width, IReadOnlyList<string> names)
    {
        Width = width;
        Names = names;
        Rows = new int[capacity];
        Ids = new int[capacity];
        Ts = new long[capacity];
        Mark = new double[capacity];
        Bid = new double[capacity];
        Ask = new double[capacity];
        Tick = new sbyte[capacity];
        Open = new double[capacity];
        Values = new double[capacity * width];
    }

    /// <summary>Rows filled.</summary>
    public int Count { get; set; }

    /// <summary>Features per row.</summary>
    public int Width { get; }

    /// <summary>Feature names, in vector order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Row of the market batch each feature row came from.</summary>
    public int[] Rows { get; }

    /// <summary>Instrument ids.</summary>
    public int[] Ids { get; }

    /// <summary>Event times, nanoseconds.</summary>
    public long[] Ts { get; }

    /// <summary>Mark price: the quote mid, or the bar's adjusted close.</summary>
    public double[] Mark { get; }

    /// <summary>Best bid (NaN for bars).</summary>
    public double[] Bid { get; }

    /// <summary>Best ask (NaN for bars).</summary>
    public double[] Ask { get; }

    /// <summary>The bar's open in the mark's (adjusted) prices; NaN for quotes.</summary>
    public double[] Open { get; }

    /// <summary>Direction of the instrument's last price change at this time: +1 uptick, −1 downtick, 0 unknown.</summary>
    public sbyte[] Tick { get; }

    /// <summary>Row-major feature values (NaN while a feature warms up).</summary>
    public double[] Values { get; }

    /// <summary>Feature <paramref name="feature"/> of row <paramref name="row"/>.</summary>
    public double Value(int row, int feature) => Values[(row * Width) + feature];
}
