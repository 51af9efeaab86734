using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Models;

/// <summary>Builds the model a policy's strategy section names.</summary>
public static class SignalModels
{
    /// <summary>The policy's model.</summary>
    public static ISignalModel For(TradingPolicy policy) => policy.StrategyOrDefault.Model switch
    {
        StrategyModels.QuoteImbalance => new QuoteImbalanceModel(policy),
        _ => new CrossSectionalModel(policy),
    };
}
