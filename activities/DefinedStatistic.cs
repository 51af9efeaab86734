using CroweLogic.Flow.Quant;

namespace CroweLogic.Flow.Activities;

/// <summary>A statistic, or null where the data leave it undefined (too few sessions, no variance): JSON payloads and the registry hold finite numbers only.</summary>
internal static class DefinedStatistic
{
    public static double? Of(Func<double> statistic)
    {
        try
        {
            var value = statistic();
            return double.IsFinite(value) ? value : null;
        }
        catch (QuantInputException)
        {
            return null;
        }
    }
}
