namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>One session of the account, as the PnL agent closed it: what the KPIs are computed from.</summary>
/// <param name="Ts">Event time of the session's last mark.</param>
/// <param name="Equity">Equity at the close.</param>
/// <param name="Traded">Notional traded in the session.</param>
/// <param name="Gross">Gross exposure at the close (Σ |position · mark|).</param>
/// <param name="Fees">Commissions and borrow charged in the session.</param>
/// <param name="SpreadCost">Spread paid in the session.</param>
/// <param name="ImpactCost">Market impact paid in the session.</param>
/// <param name="Slippage">Fill prices against decision prices, signed so a cost is positive.</param>
public sealed record SessionRecord(long Ts, double Equity, double Traded, double Gross, double Fees, double SpreadCost, double ImpactCost, double Slippage);
