namespace CroweLogic.Flow.Quant.Data;

/// <summary>Returns from prices and annualised mean returns.</summary>
public static class Returns
{
    /// <summary>
    /// Period returns (simple, or log when <paramref name="log"/>) from prices. A return is missing when either price is;
    /// rows where every return is missing are dropped (so an all-missing first row disappears).
    /// </summary>
    /// <exception cref="QuantInputException">A present price is non-finite or not positive.</exception>
    public static Panel FromPrices(Panel prices, bool log = false)
    {
        var rows = new List<double[]>();
        for (var t = 1; t < prices.RowCount; t++)
        {
            var row = new double[prices.ColumnCount];
            var any = false;
            for (var i = 0; i < prices.ColumnCount; i++)
            {
                double p0 = prices[t - 1, i], p1 = prices[t, i];
                Check(p0, prices, t - 1, i);
                Check(p1, prices, t, i);
                row[i] = double.IsNaN(p0) || double.IsNaN(p1) ? double.NaN : log ? Math.Log(p1 / p0) : p1 / p0 - 1;
                any |= !double.IsNaN(row[i]);
            }
            if (any) rows.Add(row);
        }
        if (rows.Count == 0) throw new QuantInputException("no two consecutive prices: cannot form a return");
        return new Panel(prices.Columns, [.. rows]);
    }

    /// <summary>
    /// Annualised mean return per column over its present values: compounded (geometric, CAGR) or arithmetic.
    /// </summary>
    public static double[] MeanHistorical(Panel returns, bool compounding = true, int frequency = 252)
    {
        var result = new double[returns.ColumnCount];
        for (var i = 0; i < returns.ColumnCount; i++)
        {
            double growth = 1, sum = 0;
            var n = 0;
            for (var t = 0; t < returns.RowCount; t++)
            {
                var r = returns[t, i];
                if (double.IsNaN(r)) continue;
                growth *= 1 + r;
                sum += r;
                n++;
            }
            if (n == 0) throw new QuantInputException($"column '{returns.Columns[i]}' has no returns");
            result[i] = compounding ? Math.Pow(growth, (double)frequency / n) - 1 : sum / n * frequency;
        }
        return result;
    }

    private static void Check(double price, Panel prices, int t, int i)
    {
        if (double.IsNaN(price)) return;
        if (!double.IsFinite(price) || price <= 0)
            throw new QuantInputException($"price of '{prices.Columns[i]}' at row {t} is {price}; prices must be finite and positive");
    }
}
