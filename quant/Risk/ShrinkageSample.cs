namespace CroweLogic.Flow.Quant.Risk;

/// <summary>Which sample covariance a shrinkage estimator shrinks (the references differ on it).</summary>
public enum ShrinkageSample
{
    /// <summary>The biased (1/T) covariance of the centred data, missing values as zero returns: sklearn's.</summary>
    CenteredBiased,

    /// <summary>The pairwise-complete (n−1) covariance, each pair over the rows both have: PyPortfolioOpt's <c>CovarianceShrinkage.S</c> (pandas <c>cov()</c>).</summary>
    PairwiseComplete,
}
