using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Quant.Execution;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// Builds the algorithm a policy names for one parent, with the policy's limits (participation cap, child interval as
/// the throttle, jitter) and the parameters each algorithm needs taken from the market as it stands: slices are the
/// window over the child interval; VWAP follows the earlier sessions' volume in the window's minutes (evenly when
/// there are none); IS prices risk with the mid's observed volatility and temporary impact such that taking the
/// displayed touch size in one interval costs a half spread; liquidity seeking takes the touch while the spread is
/// within twice the policy's crossing offset; the ladder prices passive children from the touch's sizes and trade rate.
/// </summary>
public static class ExecutionAlgorithms
{
    /// <summary>The algorithm for <paramref name="parent"/>.</summary>
    /// <exception cref="ArgumentException">The algorithm name is unknown, or its parameters are invalid for this parent.</exception>
    public static ExecutionAlgorithm Create(ExecutionInstruction instruction, ParentOrder parent, TradingPolicy policy, MarketState market, int seed)
    {
        var execution = policy.Execution;
        var interval = Math.Max(execution.ChildIntervalSeconds, 0.001);
        var limits = new AlgoLimits(LotSize: 1, MinInterval: (long)(execution.ChildIntervalSeconds * 1e9), MaxParticipation: instruction.ParticipationCap, Jitter: execution.Jitter) { PassiveOnly = instruction.PassiveOnly };
        var window = (parent.EndNs - parent.StartNs) / 1e9;
        var slices = Math.Max(1, (int)Math.Round(window / interval));
        var mid = market.Bid > 0 && market.Ask > 0 ? (market.Bid + market.Ask) / 2 : double.NaN;
        switch (instruction.Algo)
        {
            case "TWAP":
                return new TwapAlgorithm(parent, slices, limits, seed);
            case "VWAP":
                return new VwapAlgorithm(parent, market.Profile(parent.StartNs, parent.EndNs) ?? [.. Enumerable.Repeat(1.0, slices)], limits, seed);
            case "POV":
                return new PovAlgorithm(parent, instruction.ParticipationCap, limits, seed);
            case "IS":
                if (!(mid > 0)) throw new ArgumentException("implementation shortfall needs a two-sided quote to price impact and risk");
                var halfSpread = Math.Max((market.Ask - market.Bid) / 2, 0.005);
                var touch = Math.Max(1, (market.BidSize + market.AskSize) / 2);
                var tau = window / slices;
                var model = new AlmgrenChriss(parent.Quantity, window, slices, mid * Math.Sqrt(market.VariancePerSecond), halfSpread, 0, halfSpread * tau / touch, execution.RiskAversion);
                return new ImplementationShortfallAlgorithm(parent, model, limits, seed);
            case "LIQUIDITY_SEEKING":
                if (!(mid > 0)) throw new ArgumentException("liquidity seeking needs a two-sided quote");
                return new LiquiditySeekingAlgorithm(parent, 2 * mid * instruction.LimitOffsetBps / 1e4, 0.5, limits, seed);
            case "LADDER":
                if (!(mid > 0)) throw new ArgumentException("the ladder needs a two-sided quote");
                const double tick = 0.01;
                // A passive child fills as a maker: the policy's maker fee (negative: a rebate) is what it earns or pays.
                var fee = policy.CostsOrDefault.MakerFeeBps / 1e4 * mid;
                var depth = Math.Max(1, (market.BidSize + market.AskSize) / 2) / tick;
                var buy = parent.Side == Contracts.Events.Side.Buy;
                return new LadderAlgorithm(parent, slices, tick, 5, fee, depth, snapshot =>
                {
                    var near = buy ? snapshot.BidSize : snapshot.AskSize;
                    var far = buy ? snapshot.AskSize : snapshot.BidSize;
                    var imbalance = near + far > 0 ? (near - far) / (near + far) : 0;
                    return new LadderState(Math.Max(snapshot.Ask - snapshot.Bid, tick), imbalance, 0, near, market.TradeRate, interval);
                }, limits, seed);
            default:
                throw new ArgumentException($"execution algorithm {instruction.Algo} is not one of TWAP, VWAP, POV, IS, LIQUIDITY_SEEKING, LADDER");
        }
    }
}
