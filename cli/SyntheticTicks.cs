using CroweLogic.Flow.Contracts.Arrow;
using Apache.Arrow;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Cli;

/// <summary>
/// Deterministic synthetic ticks in the lane's interleaved shape (<see cref="MarketShape.Ticks"/>): per-
/// instrument random-walk mids, two-sided quotes with random sizes (four in five events) and trades inside the spread,
/// round-robin over the instruments at a fixed event-time step, so a run of N events spans N · step of market time.
/// </summary>
/// <remarks>
/// By default the mids move about 0.23 % per update (≈ 50 % a day): vol-targeted weights then shrink below the router's
/// no-trade band as the book fills, and a quote strategy's orders thin out after its first seconds.
/// <see cref="SustainedFlow"/> gives each instrument about 2 % daily volatility and a persistent order-flow pressure (an
/// AR(1) with a half-life of about five seconds of market time) that tilts its quoted sizes and nudges its mid the same
/// way, so book imbalance has a small edge, changes sign every few seconds, and orders keep coming for the whole run,
/// including whole-book rescales.
/// </remarks>
internal sealed class SyntheticTicks(int symbols, int seed = 11)
{
    private static readonly long SessionStart = Nanos.FromDateTime(new DateTime(2024, 3, 4, 14, 30, 0, DateTimeKind.Utc));
    private readonly Random _random = new(seed);
    private readonly string[] _symbols = [.. Enumerable.Range(0, symbols).Select(i => $"SYN{i:D4}")];
    private double[]? _mids;
    private double[] _pressure = [];
    private long[] _seq = [];
    private long _events;
    private TickBatchBuilder? _builder;

    /// <summary>Event-time spacing between consecutive events (10 µs: 100 000 events per second of market time).</summary>
    public long StepNanos { get; init; } = 10_000;

    /// <summary>Realistic volatility and persistent order-flow pressure, so a quote strategy trades throughout (see remarks).</summary>
    public bool SustainedFlow { get; init; }

    /// <summary>The next <paramref name="rows"/> events as one batch.</summary>
    public RecordBatch Next(int rows)
    {
        _mids ??= [.. _symbols.Select(_ => 20 + (_random.NextDouble() * 180))];
        if (_seq.Length == 0) _seq = new long[_symbols.Length * 2];
        if (_pressure.Length == 0) _pressure = new double[_symbols.Length];
        // Per-update persistence for a ~5 s half-life at one update per instrument every symbols · step of event time;
        // uniform shocks scaled for a stationary standard deviation of 0.5.
        var persistence = Math.Pow(0.5, _symbols.Length * StepNanos / 5e9);
        var shock = 0.5 * Math.Sqrt(1 - (persistence * persistence)) * Math.Sqrt(3);
        var batch = _builder ??= new TickBatchBuilder(rows);
        for (var i = 0; i < rows; i++, _events++)
        {
            var s = (int)(_events % _symbols.Length);
            double mid, pressure = 0;
            if (SustainedFlow)
            {
                pressure = _pressure[s] = Math.Clamp((persistence * _pressure[s]) + (shock * ((2 * _random.NextDouble()) - 1)), -0.9, 0.9);
                // About 2 % daily volatility at 200 updates a second (9.2e-6 per update); drift a tenth of that per unit of pressure.
                mid = _mids[s] = Math.Max(1, _mids[s] * (1 + ((_random.NextDouble() - 0.5) * 0.000032) + (0.000001 * pressure)));
            }
            else mid = _mids[s] = Math.Max(1, _mids[s] * (1 + ((_random.NextDouble() - 0.5) * 0.0008)));
            var half = 0.01 * (1 + _random.Next(3));
            var ts = SessionStart + (_events * StepNanos);
            if (_random.Next(5) == 0) batch.Trade(_symbols[s], ts, _seq[s * 2]++, Math.Round(mid + ((_random.NextDouble() - 0.5) * 2 * half), 2), 100 * (1 + _random.Next(5)));
            else batch.Quote(_symbols[s], ts, _seq[(s * 2) + 1]++, Math.Round(mid - half, 2), Math.Round(100 * (1 + _random.Next(20)) * (1 + pressure)),
                Math.Round(mid + half, 2), Math.Round(100 * (1 + _random.Next(20)) * (1 - pressure)));
        }
        return batch.Build();
    }
}
