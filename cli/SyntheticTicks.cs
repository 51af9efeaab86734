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
    private TickBatchBuilder? _builder;

    /// <summary>Event-time spacing between consecutive events (10 µs: 100 000 events per second of market time).</summary>
    public long StepNanos { get; init; } = 10_000;

    /// <summary>The next <paramref name="rows"/> events as one batch.</summary>
    public RecordBatch Next(int rows)
    {
        _mids ??= [.. _symbols.Select(_ => 20 + (_random.NextDouble() * 180))];
        if (_seq.Length == 0) _seq = new long[_symbols.Length * 2];
        var batch = _builder ??= new TickBatchBuilder(rows);
        for (var i = 0; i < rows; i++, _events++)
        {
            var s = (int)(_events % _symbols.Length);
            var mid = _mids[s] = Math.Max(1, _mids[s] * (1 + ((_random.NextDouble() - 0.5) * 0.0008)));
            var half = 0.01 * (1 + _random.Next(3));
            var ts = SessionStart + (_events * StepNanos);
            if (_random.Next(5) == 0) batch.Trade(_symbols[s], ts, _seq[s * 2]++, Math.Round(mid + ((_random.NextDouble() - 0.5) * 2 * half), 2), 100 * (1 + _random.Next(5)));
            else batch.Quote(_symbols[s], ts, _seq[(s * 2) + 1]++, Math.Round(mid - half, 2), 100 * (1 + _random.Next(20)), Math.Round(mid + half, 2), 100 * (1 + _random.Next(20)));
        }
        return batch.Build();
    }
}
