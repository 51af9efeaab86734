using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Time;

namespace CroweLogic.Flow.Tests.Shared;

/// <summary>Hand-written records of every contract, covering nulls, empty lists, unicode and nanosecond times.</summary>
public static class ContractSamples
{
    // 2024-01-02 15:00:00.123456789 UTC, a Tuesday inside the New York session.
    public static readonly long T0 = Nanos.FromDateTime(new DateTime(2024, 1, 2, 15, 0, 0, DateTimeKind.Utc)) + 123_456_789;

    public static Instrument[] Instruments =>
    [
        Instrument.UsEquity("AAPL", "Apple Inc.", "Information Technology"),
        Instrument.UsEquity("BRK.B", "Berkshire Hathaway \"B\"", "Financials", AssetClass.Equity),
        Instrument.Crypto("BTCUSDT", "BINANCE", "USDT"),
    ];

    public static Trade[] Trades =>
    [
        new("AAPL", T0, T0 + 1_000, 0, 185.64, 100, "XNAS", "@ F"),
        new("AAPL", T0, T0 + 2_000, 1, 185.65, 1, "ARCX", ""),
        new("BRK.B", T0 + 7, T0 + 9, 42, 362.1, 12.5, "XNYS", "Ü"),
    ];

    public static Quote[] Quotes =>
    [
        new("AAPL", T0, T0, 0, 185.63, 300, 185.66, 200, "XNAS", ""),
        new("AAPL", T0 + 1, T0 + 1, 0, null, null, 185.65, 100, "ARCX", "R"),
        new("BRK.B", T0 + 2, T0 + 2, 0, 362.0, 5, null, null, "XNYS", ""),
    ];

    public static Bar[] Bars =>
    [
        new("AAPL", T0 - 123_456_789, 185.0, 186.0, 184.5, 185.64, 1_234_567, 185.31, 9_876, 185.64),
        new("BRK.B", T0 - 123_456_789, 361, 363, 360, 362.1, 10, null, 0, null),
    ];

    public static BookDelta[] BookDeltas =>
    [
        new("BTCUSDT", T0, T0 + 5, 1, BookSide.Bid, BookAction.Snapshot, 42_000.5, 1.25),
        new("BTCUSDT", T0 + 1, T0 + 6, 2, BookSide.Ask, BookAction.Delete, 42_001, 0),
    ];

    public static CorporateAction[] CorporateActions =>
    [
        new("AAPL", Nanos.FromDate(new DateOnly(2020, 8, 31)), CorporateActionKind.Split, 4, "", "test"),
        new("AAPL", Nanos.FromDate(new DateOnly(2024, 2, 9)), CorporateActionKind.CashDividend, 0.24, "quarterly", "test"),
    ];

    public static FeatureVector[] FeatureVectors =>
    [
        new("AAPL", T0, "5m", "microstructure@3", ["spread_bps", "imbalance", "ret_5m"], [1.6, -0.25, 0.0012], 12, 0.98),
        new("BRK.B", T0 + 1, "1d", "microstructure@3", [], [], 0, 0),
    ];

    public static Signal[] Signals =>
    [
        new("AAPL", T0, "1d", 0.0021, 0.013, 0.61, "cs_mom_v1"),
        new("BRK.B", T0, "5d", -0.004, 0.02, 0.42, "cs_mom_v1"),
    ];

    public static TargetPosition[] TargetPositions =>
    [
        new("core", "AAPL", T0, 1_500, 0.1, 0.004, "cs_mom_v1"),
        new("core", "BRK.B", T0, -200, 0.05, 0.002, "cs_mom_v1"),
    ];

    public static Order[] Orders =>
    [
        new("o-1", "", "AAPL", T0, Side.Buy, OrderType.Limit, TimeInForce.Day, 500, 185.6, null, "core", "SIM", "cs_mom_v1", ["gate:p=0.61>0.58", "risk:gross 0.9<1.5"]),
        new("o-2", "o-1", "AAPL", T0 + 5, Side.Sell, OrderType.Stop, TimeInForce.Gtc, 10, null, 180, "core", "SIM", "cs_mom_v1", []),
    ];

    public static ExecutionReport[] ExecutionReports =>
    [
        new("e-1", "o-1", "AAPL", T0 + 100, ExecType.New, OrderStatus.New, Side.Buy, 0, 0, 0, 500, 0, 0, "SIM", "", ""),
        new("e-2", "o-1", "AAPL", T0 + 200, ExecType.Trade, OrderStatus.PartiallyFilled, Side.Buy, 200, 185.6, 200, 300, 185.6, -0.4, "SIM", "maker", "partial"),
    ];

    public static PositionSnapshot[] Positions =>
    [
        new("core", "AAPL", T0, 200, 185.6, 185.64),
    ];

    public static PnlSnapshot[] Pnl =>
    [
        new("core", "AAPL", T0, 0, 8, 0.4, 1.2, 1_000_008),
        new("core", "", T0, 10, -3, 1, 0.5, 1_000_007),
    ];

    public static RiskEvent[] RiskEvents =>
    [
        new("r-1", T0, "risk_guard", RiskSeverity.Breach, "dd_intraday", "", "cs_mom_v1", -0.021, -0.02, "intraday drawdown -2.1% below -2%: flatten"),
        new("r-2", T0 + 1, "ingest", RiskSeverity.Warning, "data_gap", "AAPL", "", null, null, "no quotes for 30 s"),
    ];

    public static AuditRecord[] AuditRecords
    {
        get
        {
            var first = AuditRecord.Next(null, T0, "alice", "approve", "sha256:ab12", "{\"stage\":\"canary\"}");
            var second = AuditRecord.Next(first, T0 + 1, "bob", "approve", "sha256:ab12", "{\"stage\":\"canary\"}");
            return [first, second];
        }
    }
}
