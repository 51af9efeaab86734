using System.Globalization;
using System.IO.Compression;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Gateways.Execution;
using CroweLogic.Flow.Gateways.Venue;
using CroweLogic.Flow.Tests.Shared;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// The execution algorithms behind the port, on real LEAN ticks (IBM, 7 and 8 October 2013) against the tick replay
/// venue: POV never goes past its cap of the volume traded since the parent started, and TWAP, VWAP and IS children
/// keep to their schedules, checked against schedules computed here from first principles.
/// </summary>
public class AlgorithmsOnLeanTicksTests
{
    private const long Second = 1_000_000_000L;
    private static readonly Lazy<Tick[]> Day1 = new(() => Load("20131007"));
    private static readonly Lazy<Tick[]> Day2 = new(() => Load("20131008"));

    private readonly record struct Tick(long Ts, int Kind, double Price, double Size, double Bid, double BidSize, double Ask, double AskSize);

    // LEAN: milliseconds since New York midnight, prices in 1/10000 dollars, a zero price for a side the quote leaves out.
    private static Tick[] Load(string day)
    {
        var date = DateOnly.ParseExact(day, "yyyyMMdd", CultureInfo.InvariantCulture);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var midnight = (new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(date.ToDateTime(new TimeOnly(12, 0)))).UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        var ticks = new List<(Tick Tick, int Order)>();
        foreach (var (kind, file) in new[] { (TickKind.Trade, "trade"), (TickKind.Quote, "quote") })
        {
            using var zip = ZipFile.OpenRead(SharedPaths.LeanTick("ibm", $"{day}_{file}.zip"));
            using var reader = new StreamReader(zip.Entries.Single().Open());
            while (reader.ReadLine() is { } line)
            {
                var f = line.Split(',');
                if (f[^1].Trim() == "1") continue; // suspicious, as LEAN marks it (the importer quarantines these)
                var ts = midnight + long.Parse(f[0], CultureInfo.InvariantCulture) * 1_000_000;
                double P(int i) => double.Parse(f[i], CultureInfo.InvariantCulture) is var p and > 0 ? p / 10000 : double.NaN;
                double Q(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
                var tick = kind == TickKind.Trade
                    ? new Tick(ts, kind, P(1), Q(2), double.NaN, 0, double.NaN, 0)
                    : new Tick(ts, kind, double.NaN, 0, P(1), Q(2), P(3), Q(4));
                ticks.Add((tick, ticks.Count));
            }
        }
        return [.. ticks.OrderBy(t => t.Tick.Ts).ThenBy(t => t.Order).Select(t => t.Tick)];
    }

    private static TradingPolicy Policy(string algo, double cap = 0.1, double window = 600, double maxNotional = 100_000_000) => PolicyLoader.Parse($"""
        id: algo_test
        owner: research
        trade_universe: lean_ticks
        horizons: [10m]
        entry_gate:
          prob_edge_min: 0.51
          sigma_max: 0.05
        risk:
          gross_limit: 1.0
          net_limit: 0.5
          dd_intraday: 0.02
          var_limit: 0.01
        sizing:
          method: kelly_tempered
          lambda: 0.3
        execution:
          algo: {algo}
          participation_cap: {cap.ToString(CultureInfo.InvariantCulture)}
          limit_offset_bps: 2
          window_seconds: {window.ToString(CultureInfo.InvariantCulture)}
          max_order_notional: {maxNotional.ToString(CultureInfo.InvariantCulture)}
        stand_down:
          on_data_gap: true
          on_vol_spike_sigma: 8
        costs:
          commission_bps: 0.3
          half_spread_bps: 0
          impact_coefficient: 0
          borrow_bps_annual: 50
          latency_ms: 1
          initial_equity: 10000000
        """);

    /// <summary>One parent worked over real ticks; every child is checked as it goes out.</summary>
    private sealed class Session : IExecutionEvents, IInstrumentNames
    {
        private readonly Dictionary<string, (long Quantity, double Filled, bool Done)> _children = new(StringComparer.Ordinal);
        private readonly Action<Session, Order> _check;

        public Session(TradingPolicy policy, Action<Session, Order> check)
        {
            _check = check;
            Client = new AlgorithmicExecutionClient(new TickReplayClient(policy, this), policy, this);
            Client.Start(this);
        }

        public AlgorithmicExecutionClient Client { get; }

        public double MarketVolume { get; set; }

        public List<Order> Children { get; } = [];

        public List<ExecutionReport> ParentReports { get; } = [];

        public double Filled => _children.Values.Sum(c => c.Filled);

        public double Working => _children.Values.Where(c => !c.Done).Sum(c => c.Quantity - c.Filled);

        public string Name(int id) => "IBM";

        public void OnReport(ExecutionReport report)
        {
            if (!_children.TryGetValue(report.OrderId, out var child))
            {
                ParentReports.Add(report);
                return;
            }
            _children[report.OrderId] = (child.Quantity, child.Filled + (report.IsFill ? report.LastQty : 0),
                report.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired);
        }

        public void OnChildOrder(Order child)
        {
            _check(this, child);
            Children.Add(child);
            _children[child.OrderId] = ((long)child.Quantity, 0, false);
        }

        public void OnCancelRejected(OrderCancelRejected reject)
        {
        }

        public void OnFillCost(FillCost cost)
        {
        }

        public void OnConnection(bool connected, string reason)
        {
        }

        /// <summary>Replays <paramref name="ticks"/>, sending the parent at tick <paramref name="startAt"/>.</summary>
        public void Run(Tick[] ticks, int startAt, Side side, long quantity, TradingPolicy policy, double? limit = null)
        {
            for (var i = 0; i < ticks.Length; i++)
            {
                var t = ticks[i];
                if (i == startAt)
                {
                    var parent = new Order("P1", "", "IBM", t.Ts, side, OrderType.Limit, limit is null ? TimeInForce.Day : TimeInForce.Ioc, quantity, limit, null, "test", "SIM", policy.Id, []);
                    Client.Send(new SubmitOrder(parent, 0, new ExecutionInstruction(policy.Execution.Algo, policy.Execution.ParticipationCap, policy.Execution.LimitOffsetBps,
                        t.Ts + (long)(policy.Execution.WindowSeconds * Second))));
                }
                if (i >= startAt && t.Kind == TickKind.Trade) MarketVolume += t.Size;
                Client.OnTick(0, t.Ts, t.Kind, t.Price, t.Size, t.Bid, t.BidSize, t.Ask, t.AskSize);
                Client.AdvanceTo(t.Ts);
            }
            Client.Close(ticks[^1].Ts);
        }
    }

    [Fact]
    public void POV_never_exceeds_its_cap_of_the_volume_traded_since_the_parent_started()
    {
        var ticks = Day1.Value;
        var open = Array.FindIndex(ticks, t => t.Kind == TickKind.Trade);
        var cases = from start in Gen.Choose(open, ticks.Length * 9 / 10)
                    from quantity in Gen.Choose(100, 60_000)
                    from buy in Gen.Elements(true, false)
                    from cap in Gen.Elements(0.05, 0.1, 0.2)
                    select (start, quantity, buy, cap);
        var worked = 0;
        Prop.ForAll(Arb.From(cases), input =>
        {
            var (start, quantity, buy, cap) = input;
            var policy = Policy("POV", cap);
            var session = new Session(policy, (s, child) =>
            {
                // Everything filled or still working, with this child, within the cap of what the market traded since the start.
                var used = s.Filled + s.Working + child.Quantity;
                Assert.True(used <= Math.Floor(cap * s.MarketVolume) + 1e-9,
                    $"child {child.OrderId} at {child.Ts}: {used} filled, working and sent exceeds {cap} of {s.MarketVolume} traded since the start");
            });
            session.Run(ticks, start, buy ? Side.Buy : Side.Sell, quantity, policy);
            if (session.Children.Count > 0) worked++;
            Assert.True(session.Filled <= quantity);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
        Assert.True(worked >= 20, $"only {worked} of 25 parents sent children");
    }

    [Fact]
    public void An_order_past_the_pre_trade_limits_is_rejected_with_every_breach_named_and_never_reaches_the_venue()
    {
        var ticks = Day1.Value;
        var start = Array.FindIndex(ticks, t => t.Kind == TickKind.Trade) + 1_000;
        foreach (var algo in new[] { "IMMEDIATE", "TWAP" })
        {
            var policy = Policy(algo, maxNotional: 1_000_000);
            var session = new Session(policy, (_, _) => { });
            // 20 000 IBM at about $186 is about $3.7 M of notional against a $1 M limit.
            session.Run(ticks, start, Side.Buy, 20_000, policy, algo == "IMMEDIATE" ? 186.5 : null);
            var rejected = session.ParentReports.Where(r => r.ExecType == ExecType.Rejected).ToList();
            if (algo == "IMMEDIATE")
            {
                var reject = Assert.Single(rejected);
                Assert.Equal("P1", reject.OrderId);
                Assert.Matches(@"^pre-trade: notional [\d,]+ exceeds the maximum 1,000,000$", reject.Text);
            }
            else
            {
                // The parent is accepted; each child is checked on its own (6 000 of 20 000 in a slice stays under the limit).
                Assert.Empty(rejected);
                Assert.NotEmpty(session.Children);
                Assert.All(session.Children, c => Assert.True(c.Quantity * 190 < 1_000_000, $"child {c.OrderId} of {c.Quantity}"));
            }
            Assert.True(session.Filled == 0 || algo == "TWAP");
        }
    }

    [Fact]
    public void TWAP_children_keep_to_equal_slices_of_the_window()
    {
        var ticks = Day1.Value;
        var start = Array.FindIndex(ticks, t => t.Kind == TickKind.Trade) + 5_000;
        const long quantity = 6_000;
        const int slices = 600; // a 600 s window over the 1 s child interval
        var policy = Policy("TWAP");
        var t0 = ticks[start].Ts;
        var session = new Session(policy, (s, child) =>
        {
            // Slice k of N brings the target to Q·(k+1)/N: never ahead of it.
            var k = Math.Min(slices - 1, (int)Math.Floor((child.Ts - t0) / (600.0 * Second) * slices));
            var target = quantity * (k + 1) / slices;
            Assert.True(s.Filled + s.Working + child.Quantity <= (child.Ts >= t0 + 600 * Second ? quantity : target), $"child {child.OrderId} at slice {k} goes past {target}");
        });
        session.Run(ticks, start, Side.Buy, quantity, policy);
        Assert.True(session.Children.Count >= 100, $"{session.Children.Count} children");
        // Behind schedule by the end of the window at most a few lots: the catch-up crosses the spread.
        Assert.True(session.Filled >= quantity * 0.99, $"filled {session.Filled} of {quantity}");
    }

    [Fact]
    public void VWAP_children_follow_the_previous_sessions_volume_in_each_minute_of_the_window()
    {
        var day1 = Day1.Value;
        var day2 = Day2.Value;
        var ticks = day1.Concat(day2).ToArray();
        var start = day1.Length + Array.FindIndex(day2, t => t.Kind == TickKind.Trade) + 20_000;
        const long quantity = 5_000;
        var t0 = ticks[start].Ts;
        // The profile, from day 1: volume in each of the window's ten minutes of the day.
        const long minute = 60 * Second, dayNs = 86_400 * Second;
        var weights = new double[10];
        foreach (var t in day1.Where(t => t.Kind == TickKind.Trade))
            for (var i = 0; i < 10; i++)
                if ((t.Ts % dayNs) / minute == ((t0 + i * minute) % dayNs) / minute) weights[i] += t.Size;
        var cumulative = new double[11];
        for (var i = 0; i < 10; i++) cumulative[i + 1] = cumulative[i] + weights[i] / weights.Sum();
        var policy = Policy("VWAP");
        var checkedChildren = 0;
        var session = new Session(policy, (s, child) =>
        {
            var position = Math.Clamp((child.Ts - t0) / (600.0 * Second), 0, 1) * 10;
            var i = Math.Min(9, (int)position);
            var target = child.Ts >= t0 + 600 * Second ? quantity : (long)Math.Round(quantity * (cumulative[i] + (position - i) * (cumulative[i + 1] - cumulative[i])));
            Assert.True(s.Filled + s.Working + child.Quantity <= target, $"child {child.OrderId} in minute {i} goes past the profile's {target}");
            checkedChildren++;
        });
        session.Run(ticks, start, Side.Sell, quantity, policy);
        Assert.True(checkedChildren >= 50, $"{checkedChildren} children");
        Assert.True(weights.All(w => w > 0), "IBM trades in every minute of the window on day 1");
        Assert.True(session.Filled >= quantity * 0.99, $"filled {session.Filled} of {quantity}");
    }

    [Fact]
    public void IS_children_follow_the_Almgren_Chriss_trajectory()
    {
        var ticks = Day1.Value;
        var start = Array.FindIndex(ticks, t => t.Kind == TickKind.Trade) + 8_000;
        const long quantity = 20_000;
        var policy = Policy("IS");
        var t0 = ticks[start].Ts;
        ImplementationShortfallAlgorithm? algorithm = null;
        var session = new Session(policy, (s, child) =>
        {
            algorithm ??= (ImplementationShortfallAlgorithm)s.Client.Algorithm("P1")!;
            // During interval k the schedule asks for X − x_{k+1}.
            var model = algorithm.Model;
            var k = Math.Min(model.Intervals - 1, (int)Math.Floor((child.Ts - t0) / (600.0 * Second) * model.Intervals));
            var target = child.Ts >= t0 + 600 * Second ? quantity : (long)Math.Round(quantity - algorithm.Holdings[k + 1]);
            Assert.True(s.Filled + s.Working + child.Quantity <= target, $"child {child.OrderId} in interval {k} goes past {target}");
        });
        session.Run(ticks, start, Side.Buy, quantity, policy);
        Assert.NotNull(algorithm);
        // The trajectory is the discrete Almgren–Chriss closed form, x_j = X sinh(κ(T − t_j)) / sinh(κT), with κ from
        // cosh(κτ) = 1 + κ̃²τ²/2 and κ̃² = λσ² / (η − γτ/2) (Almgren & Chriss 2000, eq. 19–20); tolerance 1e-6 shares.
        var m = algorithm!.Model;
        var tau = m.Horizon / m.Intervals;
        var etaTilde = m.TemporaryImpact - m.PermanentImpact * tau / 2;
        var kappa = Math.Acosh(1 + m.RiskAversion * m.Sigma * m.Sigma / etaTilde * tau * tau / 2) / tau;
        for (var j = 0; j <= m.Intervals; j++)
            Assert.Equal(quantity * Math.Sinh(kappa * (m.Horizon - j * tau)) / Math.Sinh(kappa * m.Horizon), algorithm.Holdings[j], tolerance: 1e-6);
        Assert.True(session.Children.Count >= 50, $"{session.Children.Count} children");
        Assert.True(session.Filled >= quantity * 0.99, $"filled {session.Filled} of {quantity}");
    }
}
