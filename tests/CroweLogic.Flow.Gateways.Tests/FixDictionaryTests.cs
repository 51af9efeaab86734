using System.Text;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>Validation against the embedded FIX 4.4 dictionary: each SessionRejectReason the spec assigns to a defect.</summary>
public class FixDictionaryTests
{
    private const string Header = "35={0}|34=2|49=A|52=20261124-17:31:54.123|56=B|";
    private const string Order = "11=ord-1|55=MSFT|54=1|60=20261124-17:31:54.123|38=100|40=2|44=412.5|";

    private static FixRejection? Validate(string msgType, string body)
    {
        var text = string.Format(Header, msgType) + body;
        var writer = new FixFieldWriter(framed: true);
        writer.AddRaw(Encoding.Latin1.GetBytes(text.Replace('|', '\u0001')));
        return FixDictionary.Fix44.Validate(FixMessage.Parse(writer.Complete("FIX.4.4")));
    }

    [Fact]
    public void A_valid_order_passes() => Assert.Null(Validate("D", Order));

    [Theory]
    [InlineData("D", "55=MSFT|54=1|60=20261124-17:31:54.123|40=2|", SessionRejectReason.RequiredTagMissing, 11)]
    [InlineData("D", Order + "9999=x|", SessionRejectReason.UndefinedTag, 9999)]
    [InlineData("D", Order + "262=req|", SessionRejectReason.TagNotDefinedForMessageType, 262)]
    [InlineData("D", "11=ord-1|55=MSFT|54=Z|60=20261124-17:31:54.123|40=2|", SessionRejectReason.ValueOutOfRange, 54)]
    [InlineData("D", "11=ord-1|55=MSFT|54=1|60=20261124-17:31:54.123|38=lots|40=2|", SessionRejectReason.IncorrectDataFormat, 38)]
    [InlineData("D", "11=ord-1|55=MSFT|54=1|60=yesterday|40=2|", SessionRejectReason.IncorrectDataFormat, 60)]
    [InlineData("D", Order + "55=AAPL|", SessionRejectReason.TagAppearsMoreThanOnce, 55)]
    [InlineData("D", "11=ord-1|43=Y|55=MSFT|54=1|60=20261124-17:31:54.123|40=2|", SessionRejectReason.TagOutOfOrder, 43)]
    [InlineData("V", "262=m1|263=1|264=1|267=2|269=0|146=1|55=MSFT|", SessionRejectReason.IncorrectNumInGroupCount, 267)]
    [InlineData("V", "262=m1|263=1|264=1|267=1|269=0|146=1|48=X|", SessionRejectReason.RepeatingGroupOutOfOrder, 48)]
    [InlineData("ZZ", "", SessionRejectReason.InvalidMsgType, 35)]
    [InlineData("1", "", SessionRejectReason.RequiredTagMissing, 112)]
    public void Defects_get_their_reject_reason(string msgType, string body, SessionRejectReason reason, int refTag)
    {
        var rejection = Validate(msgType, body);
        Assert.NotNull(rejection);
        Assert.Equal(reason, rejection.Value.Reason);
        Assert.Equal(refTag, rejection.Value.RefTag);
        Assert.False(rejection.Value.UnsupportedMessageType);
    }

    [Fact]
    public void A_market_data_request_with_groups_passes() =>
        Assert.Null(Validate("V", "262=m1|263=1|264=1|267=2|269=0|269=1|146=2|55=MSFT|55=AAPL|48=037833100|22=1|"));

    [Fact]
    public void A_valid_but_unsupported_type_is_a_business_reject() =>
        Assert.True(Validate("R", "131=q1|")!.Value.UnsupportedMessageType);

    [Fact]
    public void Broken_dictionary_files_are_refused_with_the_problem_named()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.xml"), "<fix major=\"4\" minor=\"4\"><header/>");
        Assert.Contains("not valid XML", Assert.Throws<FixDictionaryException>(() => FixDictionary.Load(dir.File("bad.xml"))).Message);
        File.WriteAllText(dir.File("undefined.xml"), "<fix type=\"FIX\" major=\"4\" minor=\"4\"><header><field name=\"Nope\" required=\"Y\"/></header><fields><field number=\"35\" name=\"MsgType\" type=\"STRING\"/></fields></fix>");
        Assert.Contains("field Nope is used but not defined", Assert.Throws<FixDictionaryException>(() => FixDictionary.Load(dir.File("undefined.xml"))).Message);
        Assert.Contains("does not exist", Assert.Throws<FixDictionaryException>(() => FixDictionary.Load(dir.File("missing.xml"))).Message);
    }
}
