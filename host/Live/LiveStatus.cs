using System.Globalization;

namespace CroweLogic.Flow.Host.Live;

/// <summary>One reading of a live session, for its status line.</summary>
/// <param name="Elapsed">Time since the session started.</param>
/// <param name="Feed">The feed and its connection state.</param>
/// <param name="Events">Market events handed to the lane so far.</param>
/// <param name="EventsPerSecond">Events per second since the last reading.</param>
/// <param name="FreshnessP50Ms">Exchange time → lane, median over the recent events, ms.</param>
/// <param name="FreshnessP99Ms">Exchange time → lane, 99th percentile, ms.</param>
/// <param name="TickToOrderP99Ms">Wire receive of the triggering batch → order leaving the router, 99th percentile, ms.</param>
/// <param name="Orders">Orders sent.</param>
/// <param name="Working">Orders working at the venue.</param>
/// <param name="Fills">Fills booked.</param>
/// <param name="Equity">Account equity.</param>
/// <param name="Pnl">Equity minus the initial equity.</param>
/// <param name="Risk">"ok", or why the lane is flat or standing down.</param>
/// <param name="Gaps">Feed gaps so far.</param>
public sealed record LiveStatus(TimeSpan Elapsed, string Feed, long Events, double EventsPerSecond, double FreshnessP50Ms, double FreshnessP99Ms, double TickToOrderP99Ms,
    long Orders, int Working, long Fills, double Equity, double Pnl, string Risk, long Gaps)
{
    /// <summary>The status line.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"live {Elapsed:hh\\:mm\\:ss} | feed {Feed} | {EventsPerSecond:N0} ev/s ({Events:N0}) | fresh p50 {FreshnessP50Ms:0.###} ms p99 {FreshnessP99Ms:0.###} ms | tick-to-order p99 {TickToOrderP99Ms:0.###} ms | orders {Orders:N0} sent, {Working} open, {Fills:N0} fills | equity {Equity:N2} (pnl {Pnl:+0.00;-0.00;0.00}) | gaps {Gaps} | risk {Risk}");
}
