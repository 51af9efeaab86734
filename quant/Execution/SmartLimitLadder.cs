namespace CroweLogic.Flow.Quant.Execution;

/// <summary>Market state for pricing a passive order (all prices in currency per share).</summary>
/// <param name="Spread">Quoted spread.</param>
/// <param name="Imbalance">Book imbalance in [−1, 1], positive when the book leans our way (more size behind us than against).</param>
/// <param name="Alpha">Expected short-term mid move in our favour over the order's life (negative: against us).</param>
/// <param name="QueueAhead">Shares ahead of us at the touch.</param>
/// <param name="TouchDepletionRate">Shares per unit time traded at the touch (how fast the queue drains).</param>
/// <param name="Horizon">How long the order may rest.</param>
public readonly record struct LadderState(double Spread, double Imbalance, double Alpha, double QueueAhead, double TouchDepletionRate, double Horizon);

/// <summary>
/// The smart limit ladder of blueprint §16.4: choose the passive offset Δ (from the touch, away from the mid) that
/// maximises p(Δ | state)·(spread/2 + Δ − fee) − a(Δ | state). Fill probability decays exponentially with the queue
/// to clear (queue ahead plus the depth implied by Δ) over what the touch drains in the horizon; imbalance in our
/// favour speeds fills, and adverse selection charges the favourable alpha we give up when filled late.
/// </summary>
public static class SmartLimitLadder
{
    /// <summary>P(fill) of a passive order at offset Δ (ticks of price converted through <paramref name="depthPerPriceUnit"/>).</summary>
    public static double FillProbability(double offset, LadderState s, double depthPerPriceUnit)
    {
        Validate(s);
        if (!(offset >= 0)) throw new QuantInputException("the offset must be non-negative (a negative offset crosses the spread)");
        var queue = s.QueueAhead + offset * depthPerPriceUnit;
        var capacity = s.TouchDepletionRate * s.Horizon * (1 + 0.5 * Math.Clamp(s.Imbalance, -1, 1));
        return capacity <= 0 ? 0 : Math.Exp(-queue / capacity);
    }

    /// <summary>Expected value per share of resting at offset Δ.</summary>
    public static double ExpectedValue(double offset, LadderState s, double fee, double depthPerPriceUnit)
    {
        var p = FillProbability(offset, s, depthPerPriceUnit);
        // Filled orders earn the half spread plus the offset, pay the fee, and suffer the alpha if it runs against us;
        // unfilled orders forgo favourable alpha (the opportunity cost a(Δ)).
        var adverse = Math.Max(0, -s.Alpha) * p + Math.Max(0, s.Alpha) * (1 - p);
        return p * (s.Spread / 2 + offset - fee) - adverse;
    }

    /// <summary>The best offset among candidates, with its expected value per share.</summary>
    public static (double Offset, double Value) Choose(IReadOnlyList<double> candidates, LadderState s, double fee, double depthPerPriceUnit)
    {
        if (candidates.Count == 0) throw new QuantInputException("no candidate offsets");
        return candidates.Select(c => (c, ExpectedValue(c, s, fee, depthPerPriceUnit))).MaxBy(x => x.Item2);
    }

    private static void Validate(LadderState s)
    {
        if (!(s.Spread >= 0) || !(s.QueueAhead >= 0) || !(s.TouchDepletionRate >= 0) || !(s.Horizon > 0) || !double.IsFinite(s.Alpha) || !double.IsFinite(s.Imbalance))
            throw new QuantInputException("the ladder state needs a non-negative spread, queue and depletion rate, a positive horizon and finite alpha and imbalance");
    }
}
