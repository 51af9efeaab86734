using System.Globalization;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Contracts.Risk;

namespace CroweLogic.Flow.Storage.Risk;

/// <summary>
/// The pre-trade check's reference data from the store: sectors and issuers from <c>instruments</c>, and the stress
/// scenarios measured on <c>bars_1d</c> (total returns through <c>adj_close</c>, so a dividend or split inside a window is
/// not a loss).
/// </summary>
public static class PreTradeReferenceStore
{
    // A base close older than this before the window is a name that had stopped trading, not a price to measure from.
    private const int BaseStalenessDays = 10;

    /// <summary>What <paramref name="policy"/>'s limits need (<see cref="PreTradeReference.None"/> when it sets none).</summary>
    /// <exception cref="InvalidOperationException">A scenario's window has no daily bars in the store.</exception>
    public static async Task<PreTradeReference> LoadAsync(IFlowStore store, TradingPolicy policy, CancellationToken cancellationToken = default)
    {
        if (!policy.Risk.NeedsReference) return PreTradeReference.None;
        var classes = await ClassesAsync(store, cancellationToken).ConfigureAwait(false);
        var scenarios = new List<StressScenario>();
        if (policy.Risk.StressLimit is not null)
            foreach (var name in policy.Risk.StressScenarios)
                scenarios.Add(await ScenarioAsync(store, name, cancellationToken).ConfigureAwait(false));
        return new PreTradeReference(classes, scenarios);
    }

    /// <summary>Sector and issuer of every instrument the store describes.</summary>
    public static async Task<Dictionary<string, InstrumentClass>> ClassesAsync(IFlowStore store, CancellationToken cancellationToken = default)
    {
        var instruments = await EventTables.Instruments.ReadAsync(store, cancellationToken: cancellationToken).ConfigureAwait(false);
        var classes = new Dictionary<string, InstrumentClass>(StringComparer.Ordinal);
        // The table is a ReplacingMergeTree: before a merge a symbol may appear twice; the last definition read wins.
        foreach (var instrument in instruments) classes[instrument.Symbol] = InstrumentClass.Of(instrument);
        return classes;
    }

    /// <summary>One scenario, measured on the store's daily bars.</summary>
    /// <exception cref="ArgumentException">Not a scenario name.</exception>
    /// <exception cref="InvalidOperationException">The scenario's window has no daily bars in the store.</exception>
    public static Task<StressScenario> ScenarioAsync(IFlowStore store, string name, CancellationToken cancellationToken = default)
    {
        if (StressScenarioNames.Months.TryGetValue(name, out var month)) return MonthAsync(store, name, month.Base, month.First, month.Last, cancellationToken);
        return name switch
        {
            StressScenarioNames.FlashCrash => FlashCrashAsync(store, cancellationToken),
            StressScenarioNames.LuldHalt => Task.FromResult(new StressScenario(name,
                "limit-up/limit-down halt: every name at its doubled Tier 1 band against the position (10 % above $3, 40 % from $0.75 to $3), halted there", StressMode.LuldHalt,
                new Dictionary<string, double[]>(), [])),
            _ => throw new ArgumentException($"unknown stress scenario '{name}' (expected one of {string.Join(", ", StressScenarioNames.All)})"),
        };
    }

    private static async Task<StressScenario> MonthAsync(IFlowStore store, string name, DateOnly baseDay, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT d.symbol AS symbol, toInt64(intDiv(toUnixTimestamp(d.ts), 86400)) AS day, d.price / b.price - 1 AS move
            FROM (SELECT symbol, ts, coalesce(adj_close, close) AS price FROM bars_1d WHERE ts >= {Day(first)} AND ts < {Day(last.AddDays(1))}) AS d
            INNER JOIN (SELECT symbol, argMax(coalesce(adj_close, close), ts) AS price FROM bars_1d
                        WHERE ts >= {Day(baseDay.AddDays(-BaseStalenessDays))} AND ts < {Day(baseDay.AddDays(1))} GROUP BY symbol HAVING price > 0) AS b ON d.symbol = b.symbol
            ORDER BY symbol, day
            """;
        var rows = await RowsAsync(store, sql, cancellationToken).ConfigureAwait(false);
        var days = rows.Select(r => r.Day).Distinct().Order().ToArray();
        if (days.Length == 0)
            throw new InvalidOperationException($"stress scenario {name} needs daily bars from {baseDay:yyyy-MM-dd} through {last:yyyy-MM-dd} in bars_1d, and the store has none: ingest the S&P 500 daily set (flow ingest ../shared/data/sp500-daily/daily_adjusted.tar.xz)");
        var index = days.Select((d, i) => (d, i)).ToDictionary(p => p.d, p => p.i);
        var moves = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var group in rows.GroupBy(r => r.Symbol))
        {
            var path = new double[days.Length];
            var seen = new bool[days.Length];
            foreach (var r in group) (path[index[r.Day]], seen[index[r.Day]]) = (r.Move, true);
            // A day without a bar (a halt, a missing print) holds the last price: the position could not be marked elsewhere.
            for (var t = 1; t < path.Length; t++) if (!seen[t]) path[t] = path[t - 1];
            moves[group.Key] = path;
        }
        var proxy = new double[days.Length];
        for (var t = 0; t < days.Length; t++) proxy[t] = moves.Values.Average(m => m[t]);
        var market = proxy.Min();
        return new StressScenario(name, string.Create(CultureInfo.InvariantCulture,
            $"{name}: {moves.Count} names' daily total-return paths from the close of {baseDay:yyyy-MM-dd} over {days.Length} sessions to {days[^1]:yyyy-MM-dd}, held together (equal-weighted trough {market:P1})"),
            StressMode.Path, moves, proxy);
    }

    private static async Task<StressScenario> FlashCrashAsync(IFlowStore store, CancellationToken cancellationToken)
    {
        var day = StressScenarioNames.FlashCrashDay;
        // Low and high in total-return terms: the day's adjustment factor (adj_close / close) applied to both, against the previous session's adjusted close.
        var sql = $"""
            SELECT d.symbol AS symbol, d.f * d.low / p.price - 1 AS down, d.f * d.high / p.price - 1 AS up
            FROM (SELECT symbol, low, high, coalesce(adj_close, close) / close AS f FROM bars_1d WHERE ts >= {Day(day)} AND ts < {Day(day.AddDays(1))} AND close > 0) AS d
            INNER JOIN (SELECT symbol, argMax(coalesce(adj_close, close), ts) AS price FROM bars_1d
                        WHERE ts >= {Day(day.AddDays(-BaseStalenessDays))} AND ts < {Day(day)} GROUP BY symbol HAVING price > 0) AS p ON d.symbol = p.symbol
            ORDER BY symbol
            """;
        var moves = new Dictionary<string, double[]>(StringComparer.Ordinal);
        using (var result = await store.QueryArrowAsync(sql, cancellationToken).ConfigureAwait(false))
        {
            foreach (var batch in result.Batches)
            {
                var (symbol, down, up) = (ColumnView.For(batch.Column(0), "symbol"), ColumnView.For(batch.Column(1), "down"), ColumnView.For(batch.Column(2), "up"));
                for (var i = 0; i < batch.Length; i++) moves[symbol.GetString(i)] = [down.GetDouble(i), up.GetDouble(i)];
            }
        }
        if (moves.Count == 0)
            throw new InvalidOperationException($"stress scenario {StressScenarioNames.FlashCrash} needs the daily bars of {day:yyyy-MM-dd} and the session before in bars_1d, and the store has none: ingest the S&P 500 daily set (flow ingest ../shared/data/sp500-daily/daily_adjusted.tar.xz)");
        double[] proxy = [moves.Values.Average(m => m[0]), moves.Values.Average(m => m[1])];
        return new StressScenario(StressScenarioNames.FlashCrash, string.Create(CultureInfo.InvariantCulture,
            $"flash crash of {day:yyyy-MM-dd}: {moves.Count} names each at the day's low (a long) or high (a short) against the previous close (average low {proxy[0]:P1})"),
            StressMode.WorstPerName, moves, proxy);
    }

    private static async Task<List<(string Symbol, DateOnly Day, double Move)>> RowsAsync(IFlowStore store, string sql, CancellationToken cancellationToken)
    {
        var rows = new List<(string, DateOnly, double)>();
        using var result = await store.QueryArrowAsync(sql, cancellationToken).ConfigureAwait(false);
        foreach (var batch in result.Batches)
        {
            var (symbol, day, move) = (ColumnView.For(batch.Column(0), "symbol"), ColumnView.For(batch.Column(1), "day"), ColumnView.For(batch.Column(2), "move"));
            for (var i = 0; i < batch.Length; i++) rows.Add((symbol.GetString(i), DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)day.GetInt64(i)), move.GetDouble(i)));
        }
        return rows;
    }

    private static string Day(DateOnly day) => $"toDateTime64('{day:yyyy-MM-dd}', 9, 'UTC')";
}
