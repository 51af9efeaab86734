using Google.OrTools.Sat;

namespace CroweLogic.Flow.Quant.Portfolio;

/// <summary>
/// Turns target weights into whole round lots with OR-Tools CP-SAT: minimise Σ|lotsᵢ·lotSizeᵢ·priceᵢ − wᵢ·capital|
/// subject to the cash budget, with an optional minimum number of lots for any position held. Money is handled in
/// integer cents so the model is exact.
/// </summary>
public static class LotRounding
{
    /// <summary>The rounded allocation.</summary>
    /// <param name="Lots">Lots per asset.</param>
    /// <param name="Shares">Shares per asset (lots × lot size).</param>
    /// <param name="TrackingError">Σ|held value − target value|, in currency.</param>
    /// <param name="Leftover">Cash not invested.</param>
    /// <param name="Optimal">Whether CP-SAT proved optimality within the time limit.</param>
    public sealed record Result(long[] Lots, long[] Shares, double TrackingError, double Leftover, bool Optimal);

    /// <summary>Rounds long-only target weights to lots.</summary>
    /// <exception cref="QuantInputException">Shapes differ, weights are negative or sum above one, or a price or lot size is not positive.</exception>
    public static Result Round(double[] weights, double[] prices, double capital, int[] lotSizes, int[]? minimumLots = null, double timeLimitSeconds = 10)
    {
        var n = weights.Length;
        if (prices.Length != n || lotSizes.Length != n || (minimumLots is not null && minimumLots.Length != n)) throw new QuantInputException("give one price, lot size (and minimum) per weight");
        if (weights.Any(w => !(w >= 0)) || weights.Sum() > 1 + 1e-9) throw new QuantInputException("lot rounding takes long-only weights summing to at most one");
        if (prices.Any(p => !(p > 0) || !double.IsFinite(p)) || lotSizes.Any(l => l <= 0)) throw new QuantInputException("prices and lot sizes must be positive");
        if (!(capital > 0) || !double.IsFinite(capital)) throw new QuantInputException("capital must be positive");

        var capitalCents = (long)Math.Floor(capital * 100);
        var model = new CpModel();
        var lots = new IntVar[n];
        var deviations = new IntVar[n];
        var lotValue = new long[n];
        var spend = new List<LinearExpr>();
        for (var i = 0; i < n; i++)
        {
            lotValue[i] = (long)Math.Round(prices[i] * 100) * lotSizes[i];
            var maxLots = capitalCents / lotValue[i];
            lots[i] = model.NewIntVar(0, maxLots, $"lots{i}");
            var min = minimumLots?[i] ?? 1;
            if (min > 1)
            {
                var held = model.NewBoolVar($"held{i}");
                model.Add(lots[i] >= min).OnlyEnforceIf(held);
                model.Add(lots[i] == 0).OnlyEnforceIf(held.Not());
            }
            var target = (long)Math.Round(weights[i] * capitalCents);
            deviations[i] = model.NewIntVar(0, Math.Max(target, maxLots * lotValue[i]), $"dev{i}");
            model.AddAbsEquality(deviations[i], lots[i] * lotValue[i] - target);
            spend.Add(lots[i] * lotValue[i]);
        }
        model.Add(LinearExpr.Sum(spend) <= capitalCents);
        model.Minimize(LinearExpr.Sum(deviations));

        var solver = new CpSolver { StringParameters = $"max_time_in_seconds:{timeLimitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} num_workers:2" };
        var status = solver.Solve(model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
            throw new QuantInputException($"CP-SAT found no lot allocation ({status})");
        var result = lots.Select(v => solver.Value(v)).ToArray();
        var spent = result.Select((l, i) => l * lotValue[i]).Sum();
        return new Result(result, [.. result.Select((l, i) => l * lotSizes[i])], solver.ObjectiveValue / 100.0, (capitalCents - spent) / 100.0, status == CpSolverStatus.Optimal);
    }
}
