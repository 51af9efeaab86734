using Apache.Arrow;
using Apache.Arrow.Ipc;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Tests.Shared;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Contracts.Tests;

public class ArrowRoundTripTests
{
    [Fact] public void Instruments() => AssertRoundTrip(Instrument.Arrow, ContractSamples.Instruments);
    [Fact] public void Trades() => AssertRoundTrip(Trade.Arrow, ContractSamples.Trades);
    [Fact] public void Quotes() => AssertRoundTrip(Quote.Arrow, ContractSamples.Quotes);
    [Fact] public void Bars() => AssertRoundTrip(Bar.Arrow, ContractSamples.Bars);
    [Fact] public void BookDeltas() => AssertRoundTrip(BookDelta.Arrow, ContractSamples.BookDeltas);
    [Fact] public void CorporateActions() => AssertRoundTrip(CorporateAction.Arrow, ContractSamples.CorporateActions);
    [Fact] public void FeatureVectors() => AssertRoundTrip(FeatureVector.Arrow, ContractSamples.FeatureVectors);
    [Fact] public void Signals() => AssertRoundTrip(Signal.Arrow, ContractSamples.Signals);
    [Fact] public void TargetPositions() => AssertRoundTrip(TargetPosition.Arrow, ContractSamples.TargetPositions);
    [Fact] public void Orders() => AssertRoundTrip(Order.Arrow, ContractSamples.Orders);
    [Fact] public void ExecutionReports() => AssertRoundTrip(ExecutionReport.Arrow, ContractSamples.ExecutionReports);
    [Fact] public void Positions() => AssertRoundTrip(PositionSnapshot.Arrow, ContractSamples.Positions);
    [Fact] public void Pnl() => AssertRoundTrip(PnlSnapshot.Arrow, ContractSamples.Pnl);
    [Fact] public void RiskEvents() => AssertRoundTrip(RiskEvent.Arrow, ContractSamples.RiskEvents);
    [Fact] public void AuditRecords() => AssertRoundTrip(AuditRecord.Arrow, ContractSamples.AuditRecords);

    [Fact]
    public void Schema_declares_nanosecond_utc_time_and_required_fields()
    {
        var ts = Trade.Arrow.Schema.GetFieldByName("ts");
        var type = Assert.IsType<Apache.Arrow.Types.TimestampType>(ts.DataType);
        Assert.Equal(Apache.Arrow.Types.TimeUnit.Nanosecond, type.Unit);
        Assert.Equal("UTC", type.Timezone);
        Assert.False(ts.IsNullable);
        Assert.True(Quote.Arrow.Schema.GetFieldByName("bid").IsNullable);
        Assert.Equal("trade", Trade.Arrow.Schema.Metadata["crowelogic.flow.event"]);
    }

    [Fact]
    public void Decode_binds_columns_by_name_whatever_their_order()
    {
        var batch = Trade.Arrow.Encode(ContractSamples.Trades);
        var reversed = new RecordBatch(
            new Schema(batch.Schema.FieldsList.Reverse(), null), Enumerable.Range(0, batch.ColumnCount).Reverse().Select(batch.Column), batch.Length);
        Assert.Equal(ContractSamples.Trades, Trade.Arrow.Decode(reversed));
    }

    [Fact]
    public void Decode_names_a_missing_column()
    {
        var batch = Trade.Arrow.Encode(ContractSamples.Trades);
        var withoutPrice = new RecordBatch(
            new Schema(batch.Schema.FieldsList.Where(f => f.Name != "price"), null),
            batch.Schema.FieldsList.Select((f, i) => (f, i)).Where(x => x.f.Name != "price").Select(x => batch.Column(x.i)), batch.Length);
        var error = Assert.Throws<ArrowContractException>(() => Trade.Arrow.Decode(withoutPrice));
        Assert.Contains("column 'price' is missing", error.Message);
    }

    [Fact]
    public void A_required_text_field_refuses_null()
    {
        var error = Assert.Throws<ArrowContractException>(() => Trade.Arrow.Encode([new Trade(null!, 0, 0, 0, 1, 1, "", "")]));
        Assert.Contains("'symbol'", error.Message);
    }

    [Fact]
    public void Any_trade_survives_the_ipc_stream() =>
        Prop.ForAll<NonEmptyString, long, NormalFloat>((symbol, ts, price) =>
        {
            var trade = new Trade(symbol.Get, ts, ts / 2, ts ^ 0x5555, price.Get, Math.Abs(price.Get) + 1, "V", symbol.Get);
            return ThroughIpc(Trade.Arrow, [trade]).Single() == trade;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    private static void AssertRoundTrip<T>(ArrowRecordCodec<T> codec, T[] records)
    {
        Assert.Equal(records, codec.Decode(codec.Encode(records)));
        Assert.Equal(records, ThroughIpc(codec, records));
    }

    // Through the Arrow IPC stream format, as the records travel to ClickHouse and Flight clients.
    private static List<T> ThroughIpc<T>(ArrowRecordCodec<T> codec, T[] records)
    {
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, codec.Schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(codec.Encode(records));
            writer.WriteEnd();
        }
        stream.Position = 0;
        using var reader = new ArrowStreamReader(stream);
        var result = new List<T>();
        while (reader.ReadNextRecordBatch() is { } batch) result.AddRange(codec.Decode(batch));
        return result;
    }
}
