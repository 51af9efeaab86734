using Apache.Arrow;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>Daily bars in the store's bars_1d shape from (symbol, day, close) rows: open 0.1 % below the close, a 1 % range, a million shares.</summary>
internal static class BarBatches
{
    public static RecordBatch Of(IEnumerable<(string Symbol, long Ts, double Close)> rows)
    {
        var symbol = new StringArray.Builder();
        var ts = new Int64Array.Builder();
        var seq = new Int64Array.Builder();
        DoubleArray.Builder open = new(), high = new(), low = new(), close = new(), volume = new(), adjusted = new();
        foreach (var (s, t, c) in rows)
        {
            symbol.Append(s);
            ts.Append(t);
            seq.Append(0);
            open.Append(c * 0.999);
            high.Append(c * 1.01);
            low.Append(c * 0.99);
            close.Append(c);
            volume.Append(1_000_000);
            adjusted.Append(c);
        }
        return new RecordBatch.Builder().Append("symbol", false, symbol.Build()).Append("ts", false, ts.Build()).Append("seq", false, seq.Build())
            .Append("open", false, open.Build()).Append("high", false, high.Build()).Append("low", false, low.Build()).Append("close", false, close.Build())
            .Append("volume", false, volume.Build()).Append("adj_close", false, adjusted.Build()).Build();
    }
}
