namespace CroweLogic.Flow.Quant.Risk;

/// <summary>How historical VaR and ES read the tail of T returns at confidence α (the references differ).</summary>
public enum TailConvention
{
    /// <summary>
    /// VaR: minus the (1−α) quantile interpolated linearly between order statistics (numpy's and pandas' default);
    /// ES: minus the mean of the returns at or below it. The default.
    /// </summary>
    Interpolated,

    /// <summary>
    /// skfolio's: with k = (1−α)·T and i = ⌈k⌉ − 1, VaR is minus the i-th smallest return, and ES the fractional tail
    /// −(Σ_{j&lt;i} r_(j) + (k − i)·r_(i)) / k — the Rockafellar–Uryasev CVaR, the value the mean-CVaR linear program
    /// minimises.
    /// </summary>
    OrderStatistic,
}
