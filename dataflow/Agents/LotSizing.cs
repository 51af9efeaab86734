using System.Globalization;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant;
using CroweLogic.Flow.Quant.Portfolio;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// Target shares in whole lots for a target set, by the policy's <c>portfolio.lot_size</c>: each side (longs, shorts)
/// is rounded together by <see cref="LotRounding.Round"/> (CP-SAT: least Σ|lots·size·price − target value| within the
/// side's capital), so a book of round lots tracks its weights as closely as lots allow instead of every name rounding
/// down on its own. A side CP-SAT cannot solve falls back to rounding each name toward zero, and says so.
/// </summary>
public sealed class LotSizing(PortfolioSettings settings)
{
    /// <summary>One side's rounding: what CP-SAT saw and gave (audits and tests).</summary>
    /// <param name="Ids">Instrument ids of the side.</param>
    /// <param name="Weights">Each name's share of the side's capital.</param>
    /// <param name="Prices">Marks.</param>
    /// <param name="Capital">The side's capital (|weight| × equity summed).</param>
    /// <param name="Result">CP-SAT's allocation.</param>
    public sealed record Side(int[] Ids, double[] Weights, double[] Prices, double Capital, LotRounding.Result Result);

    /// <summary>Whether orders are sized in lots of more than one share.</summary>
    public bool Active => settings.LotSize > 1;

    /// <summary>Every side rounded so far, most recent last (bounded to the last 64).</summary>
    public Queue<Side> Recent { get; } = new();

    /// <summary>Signed target shares per instrument of the set, and a note when a side fell back.</summary>
    /// <param name="targets">(id, weight, mark) of the set's names with a price.</param>
    /// <param name="equity">Equity the weights are fractions of.</param>
    public (Dictionary<int, double> Shares, string? Note) Round(IReadOnlyList<(int Id, double Weight, double Mark)> targets, double equity)
    {
        var shares = new Dictionary<int, double>();
        string? note = null;
        foreach (var sign in new[] { 1.0, -1.0 })
        {
            var side = targets.Where(t => t.Weight * sign > 0 && t.Mark > 0).ToList();
            if (side.Count == 0) continue;
            var capital = side.Sum(t => Math.Abs(t.Weight) * equity);
            var weights = side.Select(t => Math.Abs(t.Weight) * equity / capital).ToArray();
            var prices = side.Select(t => t.Mark).ToArray();
            try
            {
                var result = LotRounding.Round(weights, prices, capital, [.. Enumerable.Repeat(settings.LotSize, side.Count)], timeLimitSeconds: settings.LotRoundingSeconds);
                for (var k = 0; k < side.Count; k++) shares[side[k].Id] = sign * result.Shares[k];
                Recent.Enqueue(new Side([.. side.Select(t => t.Id)], weights, prices, capital, result));
                while (Recent.Count > 64) Recent.Dequeue();
            }
            catch (QuantInputException e)
            {
                foreach (var t in side) shares[t.Id] = sign * Math.Floor(Math.Abs(t.Weight) * equity / t.Mark / settings.LotSize) * settings.LotSize;
                note = string.Create(CultureInfo.InvariantCulture, $"router: CP-SAT lot rounding failed ({e.Message}); each name rounded down to lots of {settings.LotSize}");
            }
        }
        return (shares, note);
    }
}
