using Google.OrTools.Sat;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>What the router knows about a venue (blueprint §17.4 scorecard).</summary>
/// <param name="Venue">Venue name.</param>
/// <param name="Displayed">Displayed quantity at the price we would take.</param>
/// <param name="FeeBps">Taker fee in bps of notional (negative: rebate).</param>
/// <param name="FillProbability">Probability a child sent there fills (from its history), in [0, 1].</param>
/// <param name="LatencyMicros">Order-entry latency.</param>
/// <param name="MarkoutBps">Adverse move after fills there (adverse selection), bps.</param>
public sealed record VenueScorecard(string Venue, double Displayed, double FeeBps, double FillProbability, double LatencyMicros, double MarkoutBps);

/// <summary>Router settings.</summary>
/// <param name="LotSize">Children are whole lots.</param>
/// <param name="MinLots">A venue used gets at least this many lots.</param>
/// <param name="MaxVenues">At most this many venues per decision.</param>
/// <param name="MissCostBps">Cost of a lot left unfilled (re-route, chase), bps.</param>
/// <param name="LatencyCostBpsPerMs">Cost of latency, bps per millisecond.</param>
/// <param name="RoutingCostBps">Fixed cost of using a venue (messages, risk checks), in bps of one lot.</param>
/// <param name="DisplayedMultiple">A venue gets at most this multiple of its displayed size (hidden liquidity allowance).</param>
public sealed record RouterSettings(long LotSize = 100, long MinLots = 1, int MaxVenues = 3, double MissCostBps = 10, double LatencyCostBpsPerMs = 0.5, double RoutingCostBps = 0.2, double DisplayedMultiple = 1.0);

/// <summary>How the routing model is solved.</summary>
public enum RoutingMethod
{
    /// <summary>Exact subset enumeration for up to <see cref="SmartOrderRouter.SubsetLimit"/> venues, CP-SAT beyond.</summary>
    Auto,

    /// <summary>Exact enumeration of the venue subsets.</summary>
    Subsets,

    /// <summary>The CP-SAT integer program.</summary>
    CpSat,
}

/// <summary>A routing decision.</summary>
/// <param name="Allocations">Quantity per venue (venues with none omitted).</param>
/// <param name="ExpectedFilled">Σ quantity × fill probability.</param>
/// <param name="ExpectedCostBps">The objective: expected cost in bps-lots (fees and markouts on expected fills, latency, misses, routing).</param>
/// <param name="Unrouted">Quantity not sent anywhere.</param>
/// <param name="Optimal">Whether the solver proved optimality.</param>
public sealed record RoutingPlan(IReadOnlyList<(string Venue, long Quantity)> Allocations, double ExpectedFilled, double ExpectedCostBps, long Unrouted, bool Optimal);

/// <summary>
/// Splits an order across venues by an integer model: integer lots per venue (bounded by displayed size), a minimum
/// child and a venue-count limit (binary use variables with a fixed routing cost), minimising expected fees and
/// markouts on the fills, latency cost, and the miss cost of everything not expected to fill. Minimum children and the
/// venue limit make this a true integer program: greedy ranking by cost per lot is not optimal in general. Solved
/// exactly by subset enumeration for a few venues and by CP-SAT for many (<see cref="RoutingMethod"/>).
/// </summary>
public static class SmartOrderRouter
{
    private const double Scale = 1000; // objective in thousandths of a bps-lot

    /// <summary>Up to this many venues the model is solved exactly by enumerating venue subsets; beyond, by CP-SAT.</summary>
    public const int SubsetLimit = 10;

    /// <summary>
    /// Routes <paramref name="quantity"/> (rounded down to lots). With few venues (<see cref="SubsetLimit"/>) the model is
    /// solved exactly by enumerating which venues are used — for a fixed set the rest is a box-constrained knapsack with
    /// unit weights, which filling the cheapest lots first solves — in microseconds; a CP-SAT solve costs about a
    /// millisecond even for two venues, which a router deciding every child cannot afford.
    /// </summary>
    /// <exception cref="ArgumentException">Bad settings or scorecards.</exception>
    public static RoutingPlan Route(long quantity, IReadOnlyList<VenueScorecard> venues, RouterSettings settings, double timeLimitSeconds = 2, RoutingMethod method = RoutingMethod.Auto)
    {
        Validate(quantity, venues, settings);
        if (method == RoutingMethod.Subsets || (method == RoutingMethod.Auto && venues.Count <= SubsetLimit)) return BySubsets(quantity, venues, settings);
        var totalLots = quantity / settings.LotSize;
        var model = new CpModel();
        var lots = new IntVar[venues.Count];
        var used = new BoolVar[venues.Count];
        var objective = new List<LinearExpr>();
        for (var v = 0; v < venues.Count; v++)
        {
            var cap = Math.Min(totalLots, (long)Math.Floor(venues[v].Displayed * settings.DisplayedMultiple / settings.LotSize));
            lots[v] = model.NewIntVar(0, cap, $"lots_{venues[v].Venue}");
            used[v] = model.NewBoolVar($"use_{venues[v].Venue}");
            model.Add(lots[v] >= settings.MinLots).OnlyEnforceIf(used[v]);
            model.Add(lots[v] == 0).OnlyEnforceIf(used[v].Not());
            objective.Add(lots[v] * (long)Math.Round(PerLot(venues[v], settings) * Scale));
            objective.Add(used[v] * (long)Math.Round(settings.RoutingCostBps * Scale));
        }
        model.Add(LinearExpr.Sum(lots) <= totalLots);
        model.Add(LinearExpr.Sum(used) <= settings.MaxVenues);
        model.Minimize(LinearExpr.Sum(objective));
        var solver = new CpSolver { StringParameters = $"max_time_in_seconds:{timeLimitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} num_workers:1" };
        var status = solver.Solve(model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible)) throw new InvalidOperationException($"the routing model could not be solved ({status})");
        var chosen = venues.Select((v, i) => (v, Lots: solver.Value(lots[i]))).Where(x => x.Lots > 0).ToList();
        var allocations = chosen.Select(x => (x.v.Venue, x.Lots * settings.LotSize)).ToList();
        var routedLots = chosen.Sum(x => x.Lots);
        return new RoutingPlan(allocations, chosen.Sum(x => x.Lots * settings.LotSize * x.v.FillProbability),
            Cost(venues, chosen.Select(x => (venues.IndexOf(x.v), x.Lots)), totalLots, settings), (totalLots - routedLots) * settings.LotSize, status == CpSolverStatus.Optimal);
    }

    private static RoutingPlan BySubsets(long quantity, IReadOnlyList<VenueScorecard> venues, RouterSettings settings)
    {
        var n = venues.Count;
        var totalLots = quantity / settings.LotSize;
        var caps = new long[n];
        var perLot = new double[n];
        for (var v = 0; v < n; v++)
        {
            caps[v] = Math.Min(totalLots, (long)Math.Floor(venues[v].Displayed * settings.DisplayedMultiple / settings.LotSize));
            perLot[v] = PerLot(venues[v], settings);
        }
        var order = Enumerable.Range(0, n).OrderBy(v => perLot[v]).ThenBy(v => v).ToArray();
        var best = new long[n];
        var bestCost = 0.0; // relative to routing nothing (the miss cost of every lot)
        var lots = new long[n];
        for (var mask = 1; mask < 1 << n; mask++)
        {
            var count = System.Numerics.BitOperations.PopCount((uint)mask);
            if (count > settings.MaxVenues || count * settings.MinLots > totalLots) continue;
            var feasible = true;
            var cost = 0.0;
            var left = totalLots - count * settings.MinLots;
            Array.Clear(lots);
            foreach (var v in order)
            {
                if ((mask & (1 << v)) == 0) continue;
                if (caps[v] < settings.MinLots)
                {
                    feasible = false;
                    break;
                }
                // Every used venue gets its minimum; beyond it, only lots that lower the cost, cheapest first.
                var extra = perLot[v] < 0 ? Math.Min(caps[v] - settings.MinLots, left) : 0;
                lots[v] = settings.MinLots + extra;
                left -= extra;
                cost += lots[v] * perLot[v] + settings.RoutingCostBps;
            }
            if (!feasible || cost >= bestCost - 1e-12) continue;
            bestCost = cost;
            Array.Copy(lots, best, n);
        }
        var allocations = Enumerable.Range(0, n).Where(v => best[v] > 0).Select(v => (venues[v].Venue, best[v] * settings.LotSize)).ToList();
        var routedLots = best.Sum();
        return new RoutingPlan(allocations, Enumerable.Range(0, n).Sum(v => best[v] * settings.LotSize * venues[v].FillProbability),
            settings.MissCostBps * totalLots + bestCost, (totalLots - routedLots) * settings.LotSize, true);
    }

    /// <summary>The objective for given lots per venue (bps-lots), for checking any allocation.</summary>
    public static double Cost(IReadOnlyList<VenueScorecard> venues, IEnumerable<(int Venue, long Lots)> allocation, long totalLots, RouterSettings settings)
    {
        var cost = settings.MissCostBps * totalLots;
        foreach (var (v, n) in allocation.Where(a => a.Lots > 0)) cost += n * PerLot(venues[v], settings) + settings.RoutingCostBps;
        return cost;
    }

    /// <summary>
    /// The cost of one lot sent to <paramref name="v"/>, relative to leaving it unrouted (which costs the miss cost):
    /// fills pay fee and markout instead of the miss cost; every lot pays latency.
    /// </summary>
    public static double PerLot(VenueScorecard v, RouterSettings s) =>
        v.FillProbability * (v.FeeBps + v.MarkoutBps - s.MissCostBps) + s.LatencyCostBpsPerMs * v.LatencyMicros / 1000;

    private static void Validate(long quantity, IReadOnlyList<VenueScorecard> venues, RouterSettings s)
    {
        if (quantity <= 0) throw new ArgumentException($"the quantity to route must be positive, got {quantity}");
        if (s.LotSize <= 0 || s.MinLots < 1 || s.MaxVenues < 1 || !(s.DisplayedMultiple > 0)) throw new ArgumentException("router settings: lot size, minimum lots, venue limit and displayed multiple must be positive");
        if (venues.Count == 0) throw new ArgumentException("no venues to route to");
        foreach (var v in venues)
        {
            if (v.FillProbability is < 0 or > 1 || !double.IsFinite(v.FillProbability)) throw new ArgumentException($"venue {v.Venue}: fill probability {v.FillProbability} is not in [0, 1]");
            if (!(v.Displayed >= 0) || !(v.LatencyMicros >= 0) || !double.IsFinite(v.FeeBps) || !double.IsFinite(v.MarkoutBps))
                throw new ArgumentException($"venue {v.Venue}: displayed size and latency must be non-negative and costs finite");
        }
        if (venues.Select(v => v.Venue).Distinct().Count() != venues.Count) throw new ArgumentException("venue names must be unique");
    }

    private static int IndexOf(this IReadOnlyList<VenueScorecard> venues, VenueScorecard venue)
    {
        for (var i = 0; i < venues.Count; i++) if (ReferenceEquals(venues[i], venue)) return i;
        return -1;
    }
}
