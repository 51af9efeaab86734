using System.Text;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// Validation against the embedded FIX 4.4 dictionary: each defect earns the fault QuickFIX raises for it (its
/// DataDictionary is the reference: an undefined tag is an invalid tag number, a group entry may start with any member).
/// </summary>
public class FixDictionaryTests
{
    private const string Header = "35={0}|34=2|49=A|52=20261124-17:31:54.123|56=B|";
    private const string Order = "11=ord-1|55=MSFT|54=1|60=20261124-17:31:54.123|38=100|40=2|44=412.5|";

    private static FixFault? Validate(string msgType, string body)
    {
        var text = string.Format(Header, msgType) + body;
        var writer = new FixFieldWriter(framed: true);
        writer.AddRaw(Encoding.Latin1.GetBytes(text.Replace('|', '\u0001')));
        var message = new FixMessage().Load(writer.Complete("FIX.4.4"), FixDictionary.Fix44, FixDictionary.Fix44, validate: true);
        Assert.Null(message.Invalid);
        return FixValidator.Validate(message, FixDictionary.Fix44, FixDictionary.Fix44);
    }

    [Fact]
    public void A_valid_order_passes() => Assert.Null(Validate("D", Order));

    [Theory]
    [InlineData("D", "55=MSFT|54=1|60=20261124-17:31:54.123|40=2|", FixFaultKind.RequiredTagMissing, 11)]
    [InlineData("D", Order + "9999=x|", FixFaultKind.InvalidTagNumber, 9999)]
    [InlineData("D", Order + "262=req|", FixFaultKind.TagNotDefinedForMessage, 262)]
    [InlineData("D", "11=ord-1|55=MSFT|54=Z|60=20261124-17:31:54.123|40=2|", FixFaultKind.IncorrectTagValue, 54)]
    [InlineData("D", "11=ord-1|55=MSFT|54=1|60=20261124-17:31:54.123|38=lots|40=2|", FixFaultKind.IncorrectDataFormat, 38)]
    [InlineData("D", "11=ord-1|55=MSFT|54=1|60=yesterday|40=2|", FixFaultKind.IncorrectDataFormat, 60)]
    [InlineData("D", Order + "55=AAPL|", FixFaultKind.RepeatedTag, 55)]
    [InlineData("D", "11=ord-1|43=Y|55=MSFT|54=1|60=20261124-17:31:54.123|40=2|", FixFaultKind.TagOutOfOrder, 43)]
    [InlineData("D", "11=ord-1|55=|54=1|60=20261124-17:31:54.123|40=2|", FixFaultKind.NoTagValue, 55)]
    [InlineData("V", "262=m1|263=1|264=1|267=2|269=0|146=1|55=MSFT|", FixFaultKind.RepeatingGroupCountMismatch, 267)]
    [InlineData("ZZ", "", FixFaultKind.InvalidMessageType, 35)]
    [InlineData("1", "", FixFaultKind.RequiredTagMissing, 112)]
    public void Defects_get_their_fault(string msgType, string body, FixFaultKind kind, int tag) =>
        Assert.Equal(new FixFault(kind, tag), Validate(msgType, body));

    [Fact]
    public void A_group_entry_may_start_with_any_member_and_components_inside_groups_add_no_required_fields() =>
        Assert.Null(Validate("V", "262=m1|263=1|264=1|267=1|269=0|146=1|48=X|"));

    [Fact]
    public void A_market_data_request_with_groups_passes() =>
        Assert.Null(Validate("V", "262=m1|263=1|264=1|267=2|269=0|269=1|146=2|55=MSFT|55=AAPL|48=037833100|22=1|"));

    [Fact]
    public void Groups_are_read_from_the_dictionary_and_written_in_member_order()
    {
        var writer = new FixFieldWriter(framed: true);
        writer.AddRaw(Encoding.Latin1.GetBytes((string.Format(Header, "V") + "262=m1|263=1|264=1|267=1|269=0|146=2|55=MSFT|22=1|48=X|55=AAPL|").Replace('|', '\u0001')));
        var message = new FixMessage().Load(writer.Complete("FIX.4.4"), FixDictionary.Fix44, FixDictionary.Fix44, validate: true);
        var entries = message.Body.Group(146);
        Assert.Equal(2, entries.Count);
        Assert.Equal([55, 48, 22], Enumerable.Range(0, entries[0].Count).Select(i => entries[0][i].Tag));
        Assert.Equal([146, 262, 263, 264, 267], Enumerable.Range(0, message.Body.Count).Select(i => message.Body[i].Tag));
    }

    [Fact]
    public void Broken_dictionary_files_are_refused_with_the_problem_named()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.xml"), "<fix major=\"4\" minor=\"4\"><header/>");
        Assert.Contains("not valid XML", Assert.Throws<FixDictionaryException>(() => FixDictionary.Load(dir.File("bad.xml"))).Message);
        File.WriteAllText(dir.File("undefined.xml"), "<fix type=\"FIX\" major=\"4\" minor=\"4\"><header><field name=\"Nope\" required=\"Y\"/></header><fields><field number=\"35\" name=\"MsgType\" type=\"STRING\"/></fields></fix>");
        Assert.Contains("field Nope is not defined in the fields section", Assert.Throws<FixDictionaryException>(() => FixDictionary.Load(dir.File("undefined.xml"))).Message);
        Assert.Contains("does not exist", Assert.Throws<FixDictionaryException>(() => FixDictionary.Load(dir.File("missing.xml"))).Message);
    }
}
