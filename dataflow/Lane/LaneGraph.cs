using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Features;
using CroweLogic.Flow.Dataflow.Models;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// The live lane as a TPL Dataflow graph, one block per agent, built from a policy: clean-align → features → signals →
/// regime → gate → portfolio → risk overlays → compliance → execution (router, venue and PnL stepped together, so orders
/// are sized against the account at each decision) → sink. Messages carry whole Arrow
/// batches (per-message overhead would otherwise cap the lane below a million events a second). Every block has a bounded
/// input queue, so a slow stage holds the feed back instead of buffering without limit; each runs one message at a time
/// in feed order, so per-instrument order holds while the stages run in parallel with each other. An agent that throws
/// does not stop the lane: the message's rows are quarantined with the reason, a critical risk event is raised and the
/// lane stands down (flat, no new risk) until resumed. Backtest, paper and live run this same graph.
/// </summary>
public sealed class LaneGraph
{
    private readonly TradingPolicy _policy;
    private readonly LaneOptions _options;
    private readonly ILaneSink _sink;
    private readonly List<(string Name, IDataflowBlock Block)> _blocks = [];
    private readonly ITargetBlock<LaneMessage> _head;
    private readonly ActionBlock<LaneMessage> _tail;
    private readonly LaneRunResult _result = new();
    private readonly bool _ownsTelemetry;
    private long _lastTs;

    /// <summary>Builds the graph.</summary>
    public LaneGraph(TradingPolicy policy, LaneOptions options, ILaneSink sink)
    {
        (_policy, _options, _sink) = (policy, options, sink);
        Telemetry = options.Telemetry ?? new LaneTelemetry();
        _ownsTelemetry = options.Telemetry is null;
        Instruments = new InstrumentIds();
        var model = options.Model ?? SignalModels.For(policy);
        CleanAlign = new CleanAlignAgent(options.Clock, options.CleanAlign, Instruments);
        Features = new FeatureFactory(model.Features, policy.Horizons[0], Instruments);
        Signals = new SignalAgent(model, Instruments);
        Regime = new RegimeAgent(policy, options.Shape);
        Gate = new GateAgent(policy);
        Portfolio = new PortfolioAgent(policy, options.Shape);
        Overlays = new RiskOverlayAgent(policy, Control, options.Clock, options.Shape, !policy.Risk.NeedsReference ? null
            : new PreTradeLimits(policy, options.Reference ?? throw new ArgumentException($"policy {policy.Id} sets sector, issuer or stress limits (risk.sector_limit, risk.issuer_limit, risk.stress_limit), which need the instruments' sectors and the stress scenarios: LaneOptions.Reference"), Instruments));
        Compliance = new ComplianceAgent(policy, Instruments);
        var client = options.Execution?.Invoke(Instruments)
            ?? throw new ArgumentException("the lane needs an execution client (LaneOptions.Execution): a replay venue, the simulated exchange or a FIX venue");
        Orders = new OrderManager();
        Inbox = new ExecutionInbox(Orders, Control, policy.Id);
        Router = new ExecutionRouter(policy, Instruments, options.Portfolio, client.Venue, options.Shape, Telemetry);
        Venue = new VenueAgent(client, Inbox, options.Shape, ExecutionWindow.Instructions(policy));
        Pnl = new PnlAgent(policy, Instruments, options.Portfolio, Telemetry);
        Desk = new ExecutionDesk(Router, Venue, Pnl);

        var stages = new (string Name, Action<LaneMessage> Work)[]
        {
            ("clean_align", Align),
            ("features", m => m.Features = m.Market is null ? null : Features.Compute(m)),
            ("signals", Signals.Forecast),
            ("regime", Regime.Assess),
            ("gate", Gate.Judge),
            ("portfolio", Portfolio.Construct),
            ("risk_overlays", Overlays.Apply),
            ("compliance", Compliance.Check),
            ("execution", Desk.Execute),
        };
        var link = new DataflowLinkOptions { PropagateCompletion = true };
        ISourceBlock<LaneMessage>? previous = null;
        foreach (var (name, work) in stages)
        {
            var block = new TransformBlock<LaneMessage, LaneMessage>(m => Run(name, m, work), Options());
            Telemetry.Watch(() => (name, block.InputCount));
            _blocks.Add((name, block));
            previous?.LinkTo(block, link);
            previous = block;
        }
        _tail = new ActionBlock<LaneMessage>(Finish, Options());
        Telemetry.Watch(() => ("sink", _tail.InputCount));
        _blocks.Add(("sink", _tail));
        previous!.LinkTo(_tail, link);
        _head = (ITargetBlock<LaneMessage>)_blocks[0].Block;
    }

    /// <summary>The lane's kill switch and stand-down.</summary>
    public LaneControl Control { get; } = new();

    /// <summary>Metrics and traces.</summary>
    public LaneTelemetry Telemetry { get; }

    /// <summary>Instrument ids.</summary>
    public InstrumentIds Instruments { get; }

    /// <summary>Clean-align agent.</summary>
    public CleanAlignAgent CleanAlign { get; }

    /// <summary>Feature factory.</summary>
    public FeatureFactory Features { get; }

    /// <summary>Signal agent.</summary>
    public SignalAgent Signals { get; }

    /// <summary>Regime agent.</summary>
    public RegimeAgent Regime { get; }

    /// <summary>Gate agent.</summary>
    public GateAgent Gate { get; }

    /// <summary>Portfolio construction.</summary>
    public PortfolioAgent Portfolio { get; }

    /// <summary>Risk overlays.</summary>
    public RiskOverlayAgent Overlays { get; }

    /// <summary>Compliance.</summary>
    public ComplianceAgent Compliance { get; }

    /// <summary>Router.</summary>
    public ExecutionRouter Router { get; }

    /// <summary>Venue agent: the lane's side of the execution port.</summary>
    public VenueAgent Venue { get; }

    /// <summary>Order state per client order id.</summary>
    public OrderManager Orders { get; }

    /// <summary>Where execution events enter the lane.</summary>
    public ExecutionInbox Inbox { get; }

    /// <summary>PnL and attribution.</summary>
    public PnlAgent Pnl { get; }

    /// <summary>Router, venue and PnL stepped together through each message.</summary>
    public ExecutionDesk Desk { get; }

    /// <summary>Block names in graph order.</summary>
    public IReadOnlyList<string> BlockNames => _blocks.Select(b => b.Name).ToList();

    /// <summary>Seconds each block spent processing so far, in graph order: where a run's time went.</summary>
    public string BusySummary()
    {
        var order = BlockNames.ToList();
        return string.Join(", ", Telemetry.Busy.OrderBy(b => order.IndexOf(b.Block))
            .Select(b => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{b.Block} {b.Milliseconds / 1e3:F2}")));
    }

    /// <summary>
    /// Runs a feed through the graph and drains it: every message reaches the sink, then the end-of-feed message closes
    /// the venue and the book. Cancelling stops reading the feed; what was already read still drains. A lane runs once:
    /// at the end its own metrics are unregistered (their totals stay readable on <see cref="Telemetry"/>).
    /// </summary>
    public async Task<LaneRunResult> RunAsync(IAsyncEnumerable<LaneMessage> feed, CancellationToken cancellationToken = default)
    {
        try
        {
            return await DrainAsync(feed, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // A meter stays registered process-wide until disposed, and its queue-depth gauge reaches every block and
            // agent: without this a worker running a backtest per activity would keep every lane it ever ran.
            if (_ownsTelemetry) Telemetry.Dispose();
        }
    }

    private async Task<LaneRunResult> DrainAsync(IAsyncEnumerable<LaneMessage> feed, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // Events of a live venue that arrive while no market data comes get a message of their own through the lane.
        var open = true;
        Inbox.OnWake(() =>
        {
            if (Volatile.Read(ref open)) _ = _head.SendAsync(LaneMessage.Wake());
        });
        try
        {
            await foreach (var message in feed.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await Post(message).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _result.Cancelled = true;
        }
        Volatile.Write(ref open, false);
        await Post(LaneMessage.End()).ConfigureAwait(false);
        _head.Complete();
        await _tail.Completion.ConfigureAwait(false);
        _result.Elapsed = clock.Elapsed;
        await _sink.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
        _result.SinkFlush = clock.Elapsed - _result.Elapsed;
        _result.Fills = Pnl.Fills;
        return _result;
    }

    private async Task Post(LaneMessage message)
    {
        // A feed that knows when its batch arrived (its network handler) stamps it; otherwise arrival is the hand-over here.
        if (message.Arrival == 0) message.Arrival = Stopwatch.GetTimestamp();
        var send = _head.SendAsync(message);
        if (await Task.WhenAny(send, _tail.Completion).ConfigureAwait(false) != send) await _tail.Completion.ConfigureAwait(false);
        if (!await send.ConfigureAwait(false)) throw new InvalidOperationException("the lane refused a message (it was completed or failed)");
    }

    private ExecutionDataflowBlockOptions Options() => new()
    {
        BoundedCapacity = _options.Capacity,
        MaxDegreeOfParallelism = 1,
        SingleProducerConstrained = true,
        EnsureOrdered = true,
    };

    private void Align(LaneMessage message)
    {
        if (message.Market is { } market)
        {
            var ts = LaneColumns.Int64s(market.Batch, "ts", "clean-align");
            if (ts.Length > 0) (message.FirstTs, message.LastTs) = (ts[0], ts[^1]);
            CleanAlign.Align(message);
            _lastTs = Math.Max(_lastTs, message.LastTs);
        }
        else if (message.Command is { } command) (message.FirstTs, message.LastTs) = (command.Ts, command.Ts);
        else (message.FirstTs, message.LastTs) = (_lastTs, _lastTs);
    }

    private LaneMessage Run(string name, LaneMessage message, Action<LaneMessage> work)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            work(message);
        }
        catch (Exception e)
        {
            Fault(name, message, e);
        }
        Telemetry.Processed(name, message.EventCount, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return message;
    }

    private void Fault(string name, LaneMessage message, Exception error)
    {
        Telemetry.Faulted(name);
        var reason = $"agent {name} failed: {error.GetType().Name}: {error.Message}";
        Control.StandDown(reason);
        message.FaultedAgent ??= name;
        message.RiskEvents.Add(new RiskEvent($"lane:agent_fault:{name}:{message.FirstTs}:{message.Market?.Sequence}", message.FirstTs, "lane", RiskSeverity.Critical, "agent_fault", "", _policy.Id, null, null,
            reason + " — the message's events are quarantined and the lane stands down until resumed"));
        // Before the execution desk nothing has left the lane yet: the message's decisions are void and its events quarantined.
        // From the desk on, orders may be out; the stand-down flattens what they built.
        var beforeVenue = _blocks.FindIndex(b => b.Name == name) < _blocks.FindIndex(b => b.Name == "execution");
        if (message.Market is { } market && beforeVenue)
        {
            var symbols = Arrow.BatchColumns.Require(market.Batch, "symbol", "the lane");
            var times = Arrow.BatchColumns.Require(market.Batch, "ts", "the lane");
            var sequences = Arrow.BatchColumns.Require(market.Batch, "seq", "the lane");
            if (message.Ids.Length != market.Batch.Length) message.Ids = new int[market.Batch.Length];
            var held = message.Quarantined.Select(q => q.Row).ToHashSet();
            for (var row = 0; row < market.Batch.Length; row++)
            {
                if (held.Contains(row)) continue;
                message.Quarantined.Add(new QuarantinedEvent(row, symbols.GetString(row), times.GetInt64(row), sequences.GetInt64(row), $"{CleanAlignReasons.AgentFault}:{name}"));
                message.Ids[row] = -1;
            }
            message.Features = null;
            message.Signals.Clear();
            message.RiskStates.Clear();
            message.Decisions.Clear();
            message.Targets = [];
        }
    }

    private void Finish(LaneMessage message)
    {
        _result.Messages++;
        _result.Events += message.EventCount;
        _result.FeatureRows += message.Features?.Count ?? 0;
        _result.Signals += message.Signals.Count;
        _result.Orders += message.Orders.Count;
        _result.ChildOrders += message.Children.Count;
        _result.RiskEvents += message.RiskEvents.Count;
        foreach (var q in message.Quarantined) _result.Quarantined[q.Reason] = _result.Quarantined.GetValueOrDefault(q.Reason) + 1;
        _sink.Accept(message);
    }
}
