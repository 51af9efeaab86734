using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Quant.Execution;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// Post-trade cost of a parent order. Implementation shortfall (Perold) against the decision price splits exactly into
/// delay (decision → arrival), execution (arrival → fills), opportunity (the unfilled rest, marked at the end price)
/// and fees; impact is attributed to a permanent part (post-trade price against arrival) and a temporary remainder,
/// and compared with the square-root model.
/// </summary>
/// <param name="Filled">Units filled.</param>
/// <param name="AveragePrice">Volume-weighted fill price.</param>
/// <param name="ArrivalSlippageBps">Signed cost of the fills against the arrival mid, bps (positive = cost).</param>
/// <param name="VwapSlippageBps">Signed cost against the market VWAP over the execution window, bps.</param>
/// <param name="DelayCost">Delay cost (currency).</param>
/// <param name="ExecutionCost">Execution cost (currency).</param>
/// <param name="OpportunityCost">Opportunity cost of the unfilled quantity (currency).</param>
/// <param name="Fees">Fees (currency; rebates negative).</param>
/// <param name="ShortfallBps">Total shortfall in bps of the decision-price notional of the whole parent.</param>
/// <param name="PermanentImpactBps">Post-trade price move against arrival, signed by side, bps.</param>
/// <param name="TemporaryImpactBps">Execution slippage not explained by the permanent move, bps.</param>
/// <param name="ModelImpactBps">Square-root model prediction for the filled size, bps (NaN without ADV and volatility).</param>
public sealed record TcaReport(double Filled, double AveragePrice, double ArrivalSlippageBps, double VwapSlippageBps, double DelayCost, double ExecutionCost,
    double OpportunityCost, double Fees, double ShortfallBps, double PermanentImpactBps, double TemporaryImpactBps, double ModelImpactBps)
{
    /// <summary>Delay + execution + opportunity + fees (currency).</summary>
    public double Shortfall => DelayCost + ExecutionCost + OpportunityCost + Fees;
}

/// <summary>Computes <see cref="TcaReport"/>s.</summary>
public static class TransactionCostAnalysis
{
    /// <summary>Analyses a parent's fills.</summary>
    /// <param name="side">Parent side.</param>
    /// <param name="quantity">Parent quantity.</param>
    /// <param name="fills">Execution reports (only fills count).</param>
    /// <param name="decisionPrice">Price when the decision was taken (paper portfolio).</param>
    /// <param name="arrivalMid">Mid when the parent reached the market.</param>
    /// <param name="intervalVwap">Market VWAP over the execution window.</param>
    /// <param name="endPrice">Price at the end of the window (marks the unfilled rest).</param>
    /// <param name="postTradePrice">Price some time after completion (reversion window) for impact attribution.</param>
    /// <param name="averageDailyVolume">ADV for the model (0: skip).</param>
    /// <param name="dailyVolatility">Daily volatility as a fraction for the model (0: skip).</param>
    /// <exception cref="ArgumentException">Non-positive prices or quantity, or more filled than ordered.</exception>
    public static TcaReport Analyze(Side side, double quantity, IEnumerable<ExecutionReport> fills, double decisionPrice, double arrivalMid, double intervalVwap,
        double endPrice, double postTradePrice, double averageDailyVolume = 0, double dailyVolatility = 0)
    {
        if (!(quantity > 0)) throw new ArgumentException("the parent quantity must be positive");
        if (new[] { decisionPrice, arrivalMid, intervalVwap, endPrice, postTradePrice }.Any(p => !(p > 0) || !double.IsFinite(p)))
            throw new ArgumentException("every reference price must be positive and finite");
        var executions = fills.Where(f => f.IsFill).ToList();
        var filled = executions.Sum(f => f.LastQty);
        if (filled > quantity * (1 + 1e-12)) throw new ArgumentException($"filled {filled} exceeds the parent quantity {quantity}");
        var sign = side == Side.Buy ? 1.0 : -1.0;
        var notional = executions.Sum(f => f.LastQty * f.LastPrice);
        var average = filled > 0 ? notional / filled : double.NaN;
        var fees = executions.Sum(f => f.Fee);
        var delay = sign * (arrivalMid - decisionPrice) * filled;
        var execution = filled > 0 ? sign * (notional - arrivalMid * filled) : 0;
        var opportunity = sign * (endPrice - decisionPrice) * (quantity - filled);
        var shortfall = delay + execution + opportunity + fees;
        var arrivalBps = filled > 0 ? sign * (average / arrivalMid - 1) * 1e4 : 0;
        var vwapBps = filled > 0 ? sign * (average / intervalVwap - 1) * 1e4 : 0;
        var permanent = sign * (postTradePrice / arrivalMid - 1) * 1e4;
        var model = averageDailyVolume > 0 && dailyVolatility > 0 && filled > 0 ? SquareRootImpact.Fraction(filled, averageDailyVolume, dailyVolatility) * 1e4 : double.NaN;
        return new TcaReport(filled, average, arrivalBps, vwapBps, delay, execution, opportunity, fees, shortfall / (quantity * decisionPrice) * 1e4,
            permanent, arrivalBps - permanent, model);
    }
}
