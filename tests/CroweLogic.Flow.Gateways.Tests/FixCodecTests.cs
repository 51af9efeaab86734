using System.Text;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Gateways.Fix;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// Framing, parsing and serialising against hand-computed frames (BodyLength and CheckSum computed by hand below). Framing
/// and the value formats follow QuickFIX's parser and converters: a frame ends at the first CheckSum after its declared
/// length, and a wrong BodyLength or CheckSum makes the frame an invalid message rather than a stall.
/// </summary>
public class FixCodecTests
{
    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text.Replace('|', '\u0001'));

    // The FIX specification's style of example, checksum and length computed independently of the engine.
    private static byte[] Handmade(string body)
    {
        var b = body.Replace('|', '\u0001');
        var head = $"8=FIX.4.4\u00019={Encoding.Latin1.GetByteCount(b)}\u0001";
        var sum = Encoding.Latin1.GetBytes(head + b).Sum(x => x) % 256;
        return Encoding.Latin1.GetBytes($"{head}{b}10={sum:D3}\u0001");
    }

    [Fact]
    public void The_writer_frames_exactly_like_the_hand_computed_message()
    {
        var writer = new FixFieldWriter(framed: true);
        writer.Add(FixTag.MsgType, "D").Add(FixTag.MsgSeqNum, 2).Add(FixTag.SenderCompId, "A").Add(FixTag.TargetCompId, "B")
            .Add(FixTag.ClOrdId, "ord-1").Add(FixTag.Price, 101.2500m).Add(FixTag.OrderQty, 5.0).Add(FixTag.StopPx, 0.00001);
        var frame = writer.Complete("FIX.4.4").ToArray();
        Assert.Equal(Handmade("35=D|34=2|49=A|56=B|11=ord-1|44=101.25|38=5|99=0.00001|"), frame);
    }

    [Fact]
    public void A_framed_message_parses_back_to_its_fields()
    {
        var frame = Handmade("35=8|34=7|49=V|52=20261124-17:31:54.123|56=C|55=AAPL|31=189.5|");
        Assert.Equal(new FrameResult(FrameStatus.Complete, frame.Length), FixFramer.TryFrame(frame, 4096));
        var message = new FixMessage().Load(frame, FixDictionary.Fix44, FixDictionary.Fix44, validate: true);
        Assert.Null(message.Invalid);
        Assert.Equal("8", message.MsgTypeString);
        Assert.Equal(7, message.SeqNum);
        Assert.Equal("AAPL", message.GetString(FixTag.Symbol));
        Assert.True(message.TryGetDecimal(FixTag.LastPx, out var px));
        Assert.Equal(189.5m, px);
        Assert.True(message.TryGetTimestamp(FixTag.SendingTime, out var ns));
        Assert.Equal(new DateTime(2026, 11, 24, 17, 31, 54, 123, DateTimeKind.Utc), Nanos.ToDateTimeOffset(ns).UtcDateTime);
        Assert.Equal([35, 34, 49, 52, 56], Enumerable.Range(0, message.Header.Count).Select(i => message.Header[i].Tag).Skip(2));
        Assert.Equal([31, 55], Enumerable.Range(0, message.Body.Count).Select(i => message.Body[i].Tag));
    }

    [Fact]
    public void Timestamps_round_trip_at_millisecond_precision()
    {
        var ns = Nanos.FromDateTimeOffset(new DateTimeOffset(2024, 2, 29, 23, 59, 59, 999, TimeSpan.Zero));
        Span<byte> text = stackalloc byte[21];
        FixValues.FormatTimestamp(ns + 456_789, text);
        Assert.Equal("20240229-23:59:59.999", Encoding.ASCII.GetString(text));
        Assert.True(FixValues.TryParseTimestamp(text, out var back));
        Assert.Equal(ns, back);
        Assert.True(FixValues.TryParseTimestamp("20240229-23:59:59.999123456"u8, out var nanos));
        Assert.Equal(ns + 123_456, nanos);
        // QuickFIX's rules: fields are range-checked one by one (a day past the month's end rolls over), any fraction length.
        Assert.True(FixValues.TryParseTimestamp("20230229-10:00:00"u8, out var rolled));
        Assert.Equal(new DateTime(2023, 3, 1, 10, 0, 0, DateTimeKind.Utc), Nanos.ToDateTimeOffset(rolled).UtcDateTime);
        Assert.True(FixValues.TryParseTimestamp("20240101-10:00:00.12"u8, out var centis));
        Assert.Equal(120_000_000L, centis % 1_000_000_000L);
        Assert.False(FixValues.TryParseTimestamp("20241301-10:00:00"u8, out _));
        Assert.False(FixValues.TryParseTimestamp("20240132-10:00:00"u8, out _));
        Assert.False(FixValues.TryParseTimestamp("20240101-24:00:00"u8, out _));
        Assert.False(FixValues.TryParseTimestamp("20240101-10:00:00.1234567890"u8, out _));
        Assert.False(FixValues.TryParseDecimal("1e5"u8, out _));
        Assert.False(FixValues.TryParseDecimal("+200.00"u8, out _));
        Assert.True(FixValues.TryParseDecimal("002000.00"u8, out var padded));
        Assert.Equal(2000m, padded);
        Assert.True(FixValues.TryParseInt("-1"u8, out var negative));
        Assert.Equal(-1, negative);
        Assert.False(FixValues.TryParseInt("+1"u8, out _));
    }

    [Fact]
    public void A_wrong_checksum_frames_and_then_fails_as_an_invalid_message()
    {
        var frame = Handmade("35=0|34=2|49=A|52=20261124-17:31:54.123|56=B|");
        frame[^2] = (byte)(frame[^2] == '9' ? '0' : frame[^2] + 1);
        Assert.Equal(new FrameResult(FrameStatus.Complete, frame.Length), FixFramer.TryFrame(frame, 4096));
        var message = new FixMessage().Load(frame, FixDictionary.Fix44, FixDictionary.Fix44, validate: true);
        Assert.StartsWith("Expected CheckSum=", message.Invalid);
    }

    [Fact]
    public void A_wrong_body_length_frames_to_the_next_checksum_and_fails_its_length_check()
    {
        var good = Handmade("35=0|34=3|49=A|52=20261124-17:31:54.123|56=B|");
        var shortLength = Bytes("8=FIX.4.4|9=5|35=0|34=2|49=A|52=20261124-17:31:54.123|56=B|10=000|");
        var stream = shortLength.Concat(good).ToArray();
        var result = FixFramer.TryFrame(stream, 4096);
        Assert.Equal(new FrameResult(FrameStatus.Complete, shortLength.Length), result);
        Assert.Equal("Expected BodyLength=45, Received BodyLength=5", new FixMessage().Load(stream.AsSpan(0, result.Length), null, null, validate: true).Invalid);
        Assert.Equal(FrameStatus.Complete, FixFramer.TryFrame(stream.AsSpan(result.Length), 4096).Status);

        // A declared length past the frame's end swallows the next message too, as QuickFIX's parser does.
        var longLength = Bytes("8=FIX.4.4|9=60|35=0|34=2|49=A|52=20261124-17:31:54.123|56=B|10=000|");
        stream = longLength.Concat(good).ToArray();
        Assert.Equal(new FrameResult(FrameStatus.Complete, stream.Length), FixFramer.TryFrame(stream, 4096));
    }

    [Fact]
    public void Truncated_frames_wait_and_leading_garbage_is_skipped()
    {
        var frame = Handmade("35=0|34=2|49=A|52=20261124-17:31:54.123|56=B|");
        for (var cut = 1; cut < frame.Length; cut++) Assert.Equal(FrameStatus.NeedMore, FixFramer.TryFrame(frame.AsSpan(0, cut), 4096).Status);
        var noisy = Bytes("xx|garbage 8FI").Concat(frame).ToArray();
        var skip = FixFramer.TryFrame(noisy, 4096);
        Assert.Equal(FrameStatus.Garbled, skip.Status);
        Assert.Equal(FrameStatus.Complete, FixFramer.TryFrame(noisy.AsSpan(skip.Length), 4096).Status);
    }

    [Fact]
    public void Oversized_frames_are_refused_before_they_are_buffered()
    {
        var result = FixFramer.TryFrame(Bytes("8=FIX.4.4|9=99999999|35=D|"), 65536);
        Assert.Equal(FrameStatus.Garbled, result.Status);
        Assert.Contains("exceeds the maximum message size", result.Error);
    }

    [Fact]
    public void Fields_that_are_not_fields_make_the_message_invalid()
    {
        Assert.Equal("Field tag is invalid: x1", FixMessage.Parse(Handmade("35=D|x1=5|")).Invalid);
        Assert.Equal("Field tag is invalid: 55\u000110", FixMessage.Parse(Handmade("35=D|55|")).Invalid); // '=' is searched up to the frame's end
        var negative = FixMessage.Parse(Handmade("35=0|-1=HI|"));
        Assert.Null(negative.Invalid);
        Assert.Equal(-1, negative.Body[0].Tag);
        Assert.Null(FixMessage.Parse(Handmade("35=D|55=|")).Invalid); // an empty value is for validation to refuse
    }

    [Fact]
    public void The_word_at_a_time_checksum_equals_the_byte_sum() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))), bytes =>
            FixFramer.Checksum(bytes) == bytes.Sum(b => b) % 256).Check(Config.QuickThrowOnFailure.WithMaxTest(2_000));

    [Fact]
    public void The_checksum_of_long_runs_of_high_bytes_does_not_overflow()
    {
        var bytes = Enumerable.Repeat((byte)255, 100_003).ToArray();
        Assert.Equal(255 * 100_003 % 256, FixFramer.Checksum(bytes));
    }

    [Fact]
    public void Random_bytes_never_throw_and_always_make_progress() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Elements<byte>(1, (byte)'8', (byte)'=', (byte)'9', (byte)'1', (byte)'0', (byte)'F', (byte)'I', (byte)'X', (byte)'.', (byte)'4', (byte)'a'))), bytes =>
        {
            var span = bytes.AsSpan();
            var guard = 0;
            while (span.Length > 0 && guard++ < 10_000)
            {
                var r = FixFramer.TryFrame(span, 256);
                if (r.Status == FrameStatus.NeedMore) break;
                if (r.Length <= 0) return false;
                if (r.Status == FrameStatus.Complete) FixMessage.Parse(span[..r.Length]);
                span = span[r.Length..];
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(3_000));

    [Fact]
    public void Parsing_and_validating_into_a_reused_message_does_not_allocate()
    {
        var frame = Handmade("35=D|34=2|49=A|52=20261124-17:31:54.123|56=B|11=ord-1|55=MSFT|54=1|60=20261124-17:31:54.123|38=100|40=2|44=412.5|59=0|");
        var message = new FixMessage();
        message.Load(frame, FixDictionary.Fix44, FixDictionary.Fix44, validate: true);
        Assert.Null(FixValidator.Validate(message, FixDictionary.Fix44, FixDictionary.Fix44));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            message.Load(frame, FixDictionary.Fix44, FixDictionary.Fix44, validate: true);
            FixValidator.Validate(message, FixDictionary.Fix44, FixDictionary.Fix44);
            message.TryGetDecimal(FixTag.Price, out _);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
