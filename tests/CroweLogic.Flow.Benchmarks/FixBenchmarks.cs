using System.Text;
using BenchmarkDotNet.Attributes;
using CroweLogic.Flow.Gateways.Fix;

namespace CroweLogic.Flow.Benchmarks;

/// <summary>
/// FIX codec throughput on one core: parse as the session does (framing, field index, header/body/trailer in QuickFIX
/// order with groups from the dictionary, BodyLength and CheckSum checked, typed reads), serialise (header, body, length
/// and checksum in place) and dictionary validation of a NewOrderSingle.
/// Run: dotnet run -c Release --project tests/CroweLogic.Flow.Benchmarks -- --filter '*FixCodec*'
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class FixCodecBenchmarks
{
    private readonly FixMessage _message = new();
    private readonly FixFieldWriter _writer = new(framed: true);
    private byte[] _frame = [];

    [GlobalSetup]
    public void Setup()
    {
        _frame = Serialize().ToArray();
        _message.Load(_frame, FixDictionary.Fix44, FixDictionary.Fix44, validate: true);
        if (_message.Invalid is not null || FixValidator.Validate(_message, FixDictionary.Fix44, FixDictionary.Fix44) is { } fault)
            throw new InvalidOperationException($"the benchmark message is not valid: {_message.Invalid} {FixValidator.Validate(_message, FixDictionary.Fix44, FixDictionary.Fix44)}");
    }

    [Benchmark]
    public decimal ParseNewOrderSingle()
    {
        var result = FixFramer.TryFrame(_frame, 65536);
        _message.Load(_frame.AsSpan(0, result.Length), FixDictionary.Fix44, FixDictionary.Fix44, validate: true);
        _message.TryGetDecimal(FixTag.Price, out var price);
        _message.TryGetDecimal(FixTag.OrderQty, out var quantity);
        return price * quantity + _message.SeqNum;
    }

    [Benchmark]
    public int SerializeNewOrderSingle() => Serialize().Length;

    [Benchmark]
    public bool ValidateNewOrderSingle() => FixValidator.Validate(_message, FixDictionary.Fix44, FixDictionary.Fix44) is null;

    private ReadOnlySpan<byte> Serialize() =>
        _writer.Clear().Add(FixTag.MsgType, "D").Add(FixTag.MsgSeqNum, 123456).Add(FixTag.SenderCompId, "FLOW").AddTimestamp(FixTag.SendingTime, 1_795_000_000_000_000_000L)
            .Add(FixTag.TargetCompId, "VENUE").Add(FixTag.ClOrdId, "ord-000123456").Add(FixTag.Account, "ACC1").Add(FixTag.Symbol, "MSFT").Add(FixTag.Side, '1')
            .AddTimestamp(FixTag.TransactTime, 1_795_000_000_000_000_000L).Add(FixTag.OrderQty, 100).Add(FixTag.OrdType, '2').Add(FixTag.Price, 412.55m)
            .Add(FixTag.TimeInForce, '0').Complete("FIX.4.4");

    internal static string Sample() => Encoding.Latin1.GetString(new FixCodecBenchmarks().Serialize()).Replace('\u0001', '|');
}
