using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Activities.Backtest;

/// <summary>The baseline policies shipped in <c>deploy/policies</c> (embedded), and the parameter grid walk-forward chooses from.</summary>
public static class BaselinePolicies
{
    /// <summary>The baseline strategies' names.</summary>
    public static readonly string[] Names = ["momentum", "mean-reversion", "quote-imbalance"];

    /// <summary>Parses the embedded policy of a baseline.</summary>
    public static TradingPolicy Load(string name) => PolicyLoader.Parse(Yaml(name), $"deploy/policies/{File(name)}");

    /// <summary>The embedded policy file of a baseline, as shipped.</summary>
    public static string Yaml(string name)
    {
        var file = File(name);
        using var stream = typeof(BaselinePolicies).Assembly.GetManifestResourceStream($"policies/{file}") ?? throw new InvalidOperationException($"policy {file} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string File(string name) => name switch
    {
        "momentum" => "momentum.yaml",
        "mean-reversion" => "mean_reversion.yaml",
        "quote-imbalance" => "quote_imbalance.yaml",
        _ => throw new ArgumentException($"unknown strategy '{name}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>Walk-forward candidates: the policy's own strategy and neighbours of its lookback.</summary>
    public static List<TradingPolicy> Grid(TradingPolicy policy)
    {
        var s = policy.StrategyOrDefault;
        (int Lookback, int Recent)[] grid = s.Model == StrategyModels.Momentum
            ? [(252, 21), (126, 21), (63, 5)]
            : [(s.Lookback, s.SkipRecent), (Math.Max(2, s.Lookback * 2), s.SkipRecent), (Math.Max(2, s.Lookback * 4), s.SkipRecent)];
        return [.. grid.Distinct().Select(g => policy with { Strategy = s with { Lookback = g.Lookback, SkipRecent = g.Recent } })];
    }
}
