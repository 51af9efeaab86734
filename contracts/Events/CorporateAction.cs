using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>A corporate action effective on an ex-date.</summary>
/// <param name="Symbol">Instrument symbol.</param>
/// <param name="ExDate">Ex-date at 00:00 UTC, ns.</param>
/// <param name="Kind">Dividend, split, symbol change or delisting.</param>
/// <param name="Value">Cash amount per share for dividends; new-for-old ratio for splits (2 for a 2-for-1).</param>
/// <param name="Detail">Free text, e.g. the new symbol of a symbol change.</param>
/// <param name="Source">Where the record came from.</param>
public sealed record CorporateAction(string Symbol, long ExDate, CorporateActionKind Kind, double Value, string Detail, string Source)
{
    /// <summary>The corporate action schema and its batch conversion.</summary>
    public static ArrowRecordCodec<CorporateAction> Arrow { get; } = new("corporate_action",
    [
        Col.Utf8<CorporateAction>("symbol", r => r.Symbol),
        Col.Time<CorporateAction>("ex_date", r => r.ExDate),
        Col.Enum<CorporateAction, CorporateActionKind>("kind", r => r.Kind),
        Col.Float64<CorporateAction>("value", r => r.Value),
        Col.Utf8<CorporateAction>("detail", r => r.Detail),
        Col.Utf8<CorporateAction>("source", r => r.Source),
    ], r => new CorporateAction(r.Utf8(0), r.Int64(1), r.Enum<CorporateActionKind>(2), r.Float64(3), r.Utf8(4), r.Utf8(5)));
}
