using Apache.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Time;

namespace CroweLogic.Flow.Cli;

/// <summary>
/// A deterministic synthetic tape for benchmarks: per-symbol random-walk prices over one regular session
/// (2024-03-04 09:30–16:00 New York, or that many weekdays later), trades and top-of-book quotes interleaved across symbols.
/// Batches are produced lazily so tens of millions of rows never sit in memory as records.
/// </summary>
internal sealed class SyntheticTape(int symbols, long rows, int seed = 42, int laterDays = 0)
{
    private const int BatchRows = 262_144;
    private static readonly long SessionStart = Nanos.FromDateTime(new DateTime(2024, 3, 4, 14, 30, 0, DateTimeKind.Utc));
    private static readonly long SessionLength = (6 * 60 + 30) * Nanos.PerMinute;

    public string[] Symbols { get; } = [.. Enumerable.Range(0, symbols).Select(i => $"SYN{i:D4}")];

    public IEnumerable<Instrument> Instruments => Symbols.Select(s => Instrument.UsEquity(s));

    public IEnumerable<RecordBatch> Trades() => Generate((s, ts, seq, mid, rnd) =>
        new Trade(s, ts, ts, seq, Math.Round(mid + (rnd.NextDouble() - 0.5) * 0.02, 2), 100 * (1 + rnd.Next(10)), "XNAS", ""), Trade.Arrow.Encode);

    public IEnumerable<RecordBatch> Quotes() => Generate((s, ts, seq, mid, rnd) =>
    {
        var half = 0.01 * (1 + rnd.Next(3));
        return new Quote(s, ts, ts, seq, Math.Round(mid - half, 2), 100 * (1 + rnd.Next(20)), Math.Round(mid + half, 2), 100 * (1 + rnd.Next(20)), "XNAS", "");
    }, Quote.Arrow.Encode);

    private delegate T Make<T>(string symbol, long ts, long seq, double mid, Random random);

    private delegate RecordBatch Encode<T>(ReadOnlySpan<T> rows);

    private IEnumerable<RecordBatch> Generate<T>(Make<T> make, Encode<T> encode)
    {
        var random = new Random(seed);
        var mids = Symbols.Select(_ => 20 + random.NextDouble() * 480).ToArray();
        var seqs = new long[Symbols.Length];
        var step = Math.Max(1, SessionLength / Math.Max(1, rows));
        var buffer = new T[BatchRows];
        var filled = 0;
        for (long i = 0; i < rows; i++)
        {
            var s = (int)(i % Symbols.Length);
            mids[s] = Math.Max(1, mids[s] * (1 + (random.NextDouble() - 0.5) * 0.0004));
            buffer[filled++] = make(Symbols[s], SessionStart + laterDays * Nanos.PerDay + i * step + s, seqs[s]++, mids[s], random);
            if (filled == BatchRows)
            {
                yield return encode(buffer);
                filled = 0;
            }
        }
        if (filled > 0) yield return encode(buffer.AsSpan(0, filled));
    }
}
