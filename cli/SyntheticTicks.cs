using Apache.Arrow;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Cli;

/// <summary>
/// Deterministic synthetic ticks in the lane's interleaved shape (<see cref="MarketShape.Ticks"/>) for benchmarks: per-
/// instrument random-walk mids, two-sided quotes with random sizes (four in five events) and trades inside the spread,
/// round-robin over the instruments at a fixed event-time step, so a run of N events spans N · step of market time.
/// </summary>
internal sealed class SyntheticTicks(int symbols, int seed = 11)
{
    private static readonly long SessionStart = Nanos.FromDateTime(new DateTime(2024, 3, 4, 14, 30, 0, DateTimeKind.Utc));
    private readonly Random _random = new(seed);
    private readonly string[] _symbols = [.. Enumerable.Range(0, symbols).Select(i => $"SYN{i:D4}")];
    private double[]? _mids;
    private long[] _seq = [];
    private long _events;

    /// <summary>Event-time spacing between consecutive events (10 µs: 100 000 events per second of market time).</summary>
    public long StepNanos { get; init; } = 10_000;

    /// <summary>The next <paramref name="rows"/> events as one batch.</summary>
    public RecordBatch Next(int rows)
    {
        _mids ??= [.. _symbols.Select(_ => 20 + (_random.NextDouble() * 180))];
        if (_seq.Length == 0) _seq = new long[_symbols.Length * 2];
        var symbol = new StringArray.Builder();
        var ts = new Int64Array.Builder();
        var seq = new Int64Array.Builder();
        var kind = new UInt8Array.Builder();
        DoubleArray.Builder price = new(), size = new(), bid = new(), bidSize = new(), ask = new(), askSize = new();
        for (var i = 0; i < rows; i++, _events++)
        {
            var s = (int)(_events % _symbols.Length);
            var mid = _mids[s] = Math.Max(1, _mids[s] * (1 + ((_random.NextDouble() - 0.5) * 0.0008)));
            var half = 0.01 * (1 + _random.Next(3));
            var isTrade = _random.Next(5) == 0;
            symbol.Append(_symbols[s]);
            ts.Append(SessionStart + (_events * StepNanos));
            seq.Append(_seq[(s * 2) + (isTrade ? 0 : 1)]++);
            kind.Append(isTrade ? (byte)TickKind.Trade : (byte)TickKind.Quote);
            if (isTrade)
            {
                price.Append(Math.Round(mid + ((_random.NextDouble() - 0.5) * 2 * half), 2));
                size.Append(100 * (1 + _random.Next(5)));
                bid.AppendNull();
                bidSize.AppendNull();
                ask.AppendNull();
                askSize.AppendNull();
            }
            else
            {
                price.AppendNull();
                size.AppendNull();
                bid.Append(Math.Round(mid - half, 2));
                bidSize.Append(100 * (1 + _random.Next(20)));
                ask.Append(Math.Round(mid + half, 2));
                askSize.Append(100 * (1 + _random.Next(20)));
            }
        }
        return new RecordBatch.Builder()
            .Append("symbol", false, symbol.Build()).Append("ts", false, ts.Build()).Append("seq", false, seq.Build()).Append("kind", false, kind.Build())
            .Append("price", true, price.Build()).Append("size", true, size.Build()).Append("bid", true, bid.Build()).Append("bid_size", true, bidSize.Build())
            .Append("ask", true, ask.Build()).Append("ask_size", true, askSize.Build()).Build();
    }
}
