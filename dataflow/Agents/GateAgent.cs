using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The gate agent: walks the message's signals and risk states in event order and runs the §6.1 <see cref="SignalGate"/>
/// on each signal with the regime's verdict at that point. Counts every failed check, so the audit shows why signals
/// did not trade, not only why orders did.
/// </summary>
public sealed class GateAgent(TradingPolicy policy)
{
    private readonly SignalGate _gate = new(policy);
    private bool _allows = true;

    /// <summary>Signals judged.</summary>
    public long Judged { get; private set; }

    /// <summary>Signals that passed.</summary>
    public long Passed { get; private set; }

    /// <summary>Failed checks by kind (<see cref="SignalGate.Kind"/>), for the audit summary.</summary>
    public SortedDictionary<string, long> Failures { get; } = new(StringComparer.Ordinal);

    /// <summary>Fills <see cref="LaneMessage.Decisions"/>.</summary>
    public void Judge(LaneMessage message)
    {
        var states = message.RiskStates;
        var next = 0;
        foreach (var signal in message.Signals)
        {
            while (next < states.Count && states[next].At <= signal.At) _allows = states[next++].AllowsNewRisk;
            var decision = _gate.Evaluate(signal.Signal, _allows);
            Judged++;
            if (decision.Passed) Passed++;
            else
            {
                for (var check = GateCheck.WellFormed; check <= GateCheck.Sigma; check = (GateCheck)((int)check << 1))
                {
                    if ((decision.Failed & check) == 0) continue;
                    var key = SignalGate.Kind(check);
                    Failures[key] = Failures.GetValueOrDefault(key) + 1;
                }
            }
            message.Decisions.Add((signal.At, signal.Id, decision, signal.Rebalance));
        }
        while (next < states.Count) _allows = states[next++].AllowsNewRisk;
    }
}
