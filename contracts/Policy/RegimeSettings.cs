namespace CroweLogic.Flow.Contracts.Policy;

/// <summary>The regime models the lane runs (policy <c>regime.models</c>).</summary>
public static class RegimeModels
{
    /// <summary>The market move standardised by its EWMA volatility: beyond <c>stand_down.on_vol_spike_sigma</c> the lane stands down.</summary>
    public const string EwmaVol = "ewma_vol";

    /// <summary>Bayesian online change points of the standardised market return: a change halves the budget.</summary>
    public const string Bocpd = "bocpd";

    /// <summary>A two-state Gaussian HMM of the market return, refitted on a window: the risk-on probability gates exposure.</summary>
    public const string Hmm = "hmm";

    /// <summary>The turbulence index (Mahalanobis distance of a basket of groups' returns): a χ² tail below its α halves the budget.</summary>
    public const string Turbulence = "turbulence";

    /// <summary>Every model.</summary>
    public static readonly string[] All = [EwmaVol, Bocpd, Hmm, Turbulence];
}

/// <summary>
/// The policy's <c>regime</c> section: which regime models run and their constants, and the crash sentinel of
/// blueprint §17.3. Units are the lane's slices (a session on daily bars, a minute on ticks).
/// </summary>
public sealed record RegimeSettings
{
    private static readonly string[] DefaultModels = [RegimeModels.EwmaVol, RegimeModels.Bocpd];

    /// <summary>The defaults: EWMA volatility spike and BOCPD, no sentinel.</summary>
    public static RegimeSettings Default { get; } = new();

    /// <summary>Models that run (<c>models</c>); default ewma_vol and bocpd.</summary>
    public IReadOnlyList<string> Models { get; init; } = DefaultModels;

    /// <summary>Decay λ of the market return's EWMA variance (<c>ewma_decay</c>); default 0.94.</summary>
    public double EwmaDecay { get; init; } = 0.94;

    /// <summary>Slices before any model may act (<c>warm_up</c>); default 20.</summary>
    public int WarmUp { get; init; } = 20;

    /// <summary>Slices a stand-down or a cut budget lasts (<c>cooldown</c>); default 5.</summary>
    public int Cooldown { get; init; } = 5;

    /// <summary>Slices of market returns the HMM is fitted on (<c>hmm_window</c>); default 500.</summary>
    public int HmmWindow { get; init; } = 500;

    /// <summary>Slices between refits of the HMM and of the turbulence basket's mean and covariance (<c>refit_every</c>); default 63.</summary>
    public int RefitEvery { get; init; } = 63;

    /// <summary>Below this risk-on probability the budget is multiplied by it (<c>hmm_risk_on_min</c>); default 0.5.</summary>
    public double HmmRiskOnMin { get; init; } = 0.5;

    /// <summary>Equal-weighted groups the turbulence basket deals the instruments with a full window into (<c>turbulence_basket</c>); default 30.</summary>
    public int TurbulenceBasket { get; init; } = 30;

    /// <summary>Slices of basket returns the turbulence mean and covariance come from (<c>turbulence_window</c>); default 250.</summary>
    public int TurbulenceWindow { get; init; } = 250;

    /// <summary>χ² tail probability below which a slice is turbulent and the budget halves (<c>turbulence_alpha</c>); default 0.001.</summary>
    public double TurbulenceAlpha { get; init; } = 0.001;

    /// <summary>Run the crash sentinel (<c>crash_sentinel</c>); default false.</summary>
    public bool CrashSentinel { get; init; }

    /// <summary>ζ_hi: a sentinel score above it halves exposure (<c>sentinel_halve</c>); default 4.</summary>
    public double SentinelHalve { get; init; } = 4;

    /// <summary>ζ_kill: a score above it flattens the book and raises the kill switch (<c>sentinel_kill</c>); default 8.</summary>
    public double SentinelKill { get; init; } = 8;

    /// <summary>Slices of market returns the sentinel's autocorrelation and variance see (<c>sentinel_window</c>); default 20.</summary>
    public int SentinelWindow { get; init; } = 20;

    /// <summary>Past readings each input is z-scored against (<c>sentinel_history</c>); default 250.</summary>
    public int SentinelHistory { get; init; } = 250;

    /// <summary>Whether a model runs.</summary>
    public bool Runs(string model) => Models.Contains(model);
}
