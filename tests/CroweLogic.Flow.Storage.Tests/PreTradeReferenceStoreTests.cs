using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Contracts.Risk;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Risk;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>
/// The pre-trade check's reference data, read back from a real embedded store: sectors and issuers from
/// <c>instruments</c>, and each stress scenario's moves equal to the closed form on the bars written (total returns
/// through adj_close, a missing day holding the last price, a name without a base close left to the proxy), to 1e-12.
/// </summary>
public class PreTradeReferenceStoreTests
{
    [Fact]
    public async Task Scenarios_are_measured_on_the_daily_bars_in_total_return_terms()
    {
        using var temp = await TempStore.CreateAsync();
        // (symbol, day, low, high, close, adj_close)
        (string, string, double, double, double, double)[] bars =
        [
            ("AAA", "2008-09-29", 99, 101, 100, 100), ("AAA", "2008-09-30", 99, 101, 100, 100), ("AAA", "2008-10-01", 85, 95, 90, 90), ("AAA", "2008-10-02", 75, 85, 80, 80),
            // BBB has no bar on 2008-10-01: it holds its base price that day.
            ("BBB", "2008-09-30", 49, 51, 50, 50), ("BBB", "2008-10-02", 50, 56, 55, 55),
            // CCC was listed inside the window: no base close, so the proxy stands in for it.
            ("CCC", "2008-10-01", 10, 12, 11, 11), ("CCC", "2008-10-02", 10, 12, 11, 11),
            // The flash crash: AAA's adjustment factor on the day is one half (a later 2-for-1 split in adj_close).
            ("AAA", "2010-05-05", 99, 101, 100, 50), ("AAA", "2010-05-06", 80, 105, 95, 47.5),
            ("BBB", "2010-05-05", 49, 51, 50, 50), ("BBB", "2010-05-06", 45, 52, 50, 50),
        ];
        var values = string.Join(", ", bars.Select(b => $"('{b.Item1}', toDateTime64('{b.Item2}', 9, 'UTC'), {b.Item5}, {b.Item4}, {b.Item3}, {b.Item5}, 1000, {b.Item6})"));
        await temp.Store.ExecuteAsync($"INSERT INTO bars_1d (symbol, ts, open, high, low, close, volume, adj_close) VALUES {values}");

        var october = await PreTradeReferenceStore.ScenarioAsync(temp.Store, StressScenarioNames.October2008);
        Assert.Equal(StressMode.Path, october.Mode);
        Assert.Equal(["AAA", "BBB"], october.Moves.Keys.Order());
        Assert.Equal([-0.10, -0.20], october.Moves["AAA"], (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([0.0, 0.10], october.Moves["BBB"], (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([-0.05, -0.05], october.Proxy, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Same(october.Proxy, october.MovesOf("CCC"));
        Assert.Contains("2 names' daily total-return paths from the close of 2008-09-30 over 2 sessions", october.Description, StringComparison.Ordinal);

        var flash = await PreTradeReferenceStore.ScenarioAsync(temp.Store, StressScenarioNames.FlashCrash);
        Assert.Equal(StressMode.WorstPerName, flash.Mode);
        // AAA: 80 · (47.5/95) / 50 − 1 and 105 · (47.5/95) / 50 − 1; BBB: 45/50 − 1 and 52/50 − 1.
        Assert.Equal([-0.20, 0.05], flash.Moves["AAA"], (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([-0.10, 0.04], flash.Moves["BBB"], (a, b) => Math.Abs(a - b) < 1e-12);

        // A scenario whose window has no bars is refused with what to load.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PreTradeReferenceStore.ScenarioAsync(temp.Store, StressScenarioNames.March2020));
        Assert.Equal("stress scenario 2020-03 needs daily bars from 2020-02-28 through 2020-03-31 in bars_1d, and the store has none: ingest the S&P 500 daily set (flow ingest ../shared/data/sp500-daily/daily_adjusted.tar.xz)", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => PreTradeReferenceStore.ScenarioAsync(temp.Store, "1987-10"));
    }

    [Fact]
    public async Task Sectors_and_issuers_come_from_the_instruments_table()
    {
        using var temp = await TempStore.CreateAsync();
        await InstrumentRegistry.EnsureAsync(temp.Store, [
            Instrument.UsEquity("GOOGL", "Alphabet Inc. (Class A)", "Communication Services"),
            Instrument.UsEquity("GOOG", "Alphabet Inc. (Class C)", "Communication Services"),
            Instrument.UsEquity("DISCK", "Discovery Inc. (Series C)", "Communication Services"),
            Instrument.UsEquity("XYZ"),
        ]);
        var policy = PolicyLoader.Parse("""
            id: concentration
            owner: test
            trade_universe: sp500_daily
            horizons: [1d]
            entry_gate: { prob_edge_min: 0.58, sigma_max: 0.03 }
            risk: { gross_limit: 1.5, net_limit: 0.5, dd_intraday: 0.02, var_limit: 0.015, sector_limit: 0.2, issuer_limit: 0.05 }
            sizing: { method: kelly_tempered, lambda: 0.3 }
            execution: { algo: IMMEDIATE, participation_cap: 0.1, limit_offset_bps: 3 }
            stand_down: { on_data_gap: true, on_vol_spike_sigma: 4 }
            """);
        var reference = await PreTradeReferenceStore.LoadAsync(temp.Store, policy);
        Assert.Empty(reference.Scenarios);
        Assert.Equal(new InstrumentClass("Communication Services", "Alphabet Inc."), reference.ClassOf("GOOGL"));
        Assert.Equal(reference.ClassOf("GOOGL"), reference.ClassOf("GOOG"));
        Assert.Equal("Discovery Inc.", reference.ClassOf("DISCK").Issuer);
        Assert.Equal(new InstrumentClass(InstrumentClass.Unclassified, "XYZ"), reference.ClassOf("XYZ"));
        Assert.Equal(new InstrumentClass(InstrumentClass.Unclassified, "NOPE"), reference.ClassOf("NOPE"));
    }
}
