using CroweLogic.Flow.Quant.Risk;
using CroweLogic.Flow.Quant.Statistics;

namespace CroweLogic.Flow.Activities.Backtest;

/// <summary>
/// The KPI set of blueprint §10 from a run's sessions: Sharpe, Sortino, Calmar, CAGR, hit rate, average win and loss,
/// maximum drawdown, turnover, TCA (slippage against the decision price, spread, impact, fees, in bps of traded notional)
/// and a capacity estimate: impact grows as AUM^1.5 while gross PnL grows as AUM, so with pre-impact PnL G and impact
/// cost C at the run's equity A₀, impact eats half of G at A = A₀ · (G / 2C)².
/// </summary>
public static class BacktestKpis
{
    /// <summary>The KPIs of a run's sessions, in table order; statistics the sessions cannot define are NaN.</summary>
    public static List<(string Metric, double Value)> Compute(IReadOnlyList<DailyResult> days, double initialEquity, int periodsPerYear = 252)
    {
        var kpis = new List<(string, double)> { ("sessions", days.Count) };
        // An account that loses all its equity ends there: the statistics cover the sessions before ruin.
        var ruin = days.ToList().FindIndex(d => !(d.Return > -1));
        if (ruin >= 0)
        {
            kpis.Add(("ruined_at_session", ruin));
            days = days.Take(ruin).ToList();
        }
        var returns = days.Select(d => d.Return).ToList();
        if (returns.Count < 2) return kpis;
        var equity = Drawdown.EquityFromReturns(returns);
        var maxDrawdown = Drawdown.Max(equity);
        var (win, loss) = Performance.WinLoss(returns);
        var traded = days.Sum(d => d.Traded);
        var years = days.Count / (double)periodsPerYear;
        var bps = (Func<DailyResult, double> part) => traded > 0 ? days.Sum(part) / traded * 1e4 : 0;
        var gross = returns.Sum() + days.Sum(d => d.Impact);
        var impact = days.Sum(d => d.Impact);
        kpis.AddRange(
        [
            ("total_return", equity[^1] / equity[0] - 1),
            ("cagr", Performance.Cagr(returns, periodsPerYear)),
            ("sharpe", DefinedStatistic.Of(() => Performance.Sharpe(returns, 0, periodsPerYear)) ?? double.NaN),
            ("sortino", DefinedStatistic.Of(() => Performance.Sortino(returns, 0, periodsPerYear)) ?? double.NaN),
            ("calmar", maxDrawdown < 0 ? Performance.Cagr(returns, periodsPerYear) / -maxDrawdown : double.NaN),
            ("hit_rate", Performance.HitRate(returns)),
            ("avg_win", win),
            ("avg_loss", loss),
            ("max_drawdown", maxDrawdown),
            ("turnover_annual", years > 0 ? traded / 2 / years : 0),
            ("avg_gross_exposure", days.Average(d => d.Gross)),
            ("tca_slippage_bps", bps(d => d.Slippage)),
            ("tca_spread_bps", bps(d => d.Spread)),
            ("tca_impact_bps", bps(d => d.Impact)),
            ("tca_fees_bps", bps(d => d.Fees)),
            ("capacity_usd", gross <= 0 ? 0 : impact > 0 ? initialEquity * Math.Pow(gross / (2 * impact), 2) : double.PositiveInfinity),
        ]);
        return kpis;
    }
}
