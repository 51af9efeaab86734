using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CroweLogic.Flow.Activities.Backtest;

/// <summary>
/// The reproducibility hash of a run: SHA-256 over every order (instrument, side, quantity, limit, event time, policy)
/// and every session (time, return and costs as IEEE-754 bits). Run ids and order ids are left out, so re-running the
/// same policy on the same data gives the same hash, and any change in what was traded or earned changes it.
/// </summary>
public static class BacktestFingerprint
{
    /// <summary><c>sha256:</c> + hex of the run's orders and sessions.</summary>
    public static string Of(BacktestRun run)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var word = new byte[8];
        void Long(long v)
        {
            BinaryPrimitives.WriteInt64LittleEndian(word, v);
            hash.AppendData(word);
        }
        void Double(double v) => Long(BitConverter.DoubleToInt64Bits(v));
        void Text(string v)
        {
            Long(v.Length);
            hash.AppendData(Encoding.UTF8.GetBytes(v));
        }
        Long(run.Recorder.Orders.Count + run.Recorder.ChildOrders.Count);
        foreach (var o in run.Recorder.Orders.Concat(run.Recorder.ChildOrders))
        {
            Text(o.Instrument);
            Long((long)o.Side);
            Double(o.Quantity);
            Double(o.LimitPrice ?? double.NaN);
            Long(o.Ts);
            Text(o.PolicyId);
        }
        Long(run.Days.Count);
        foreach (var d in run.Days)
        {
            Long(d.Ts);
            Double(d.Return);
            Double(d.Traded);
            Double(d.Fees);
            Double(d.Slippage);
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
