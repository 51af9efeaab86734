using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Contracts.Execution;

/// <summary>A venue's refusal to cancel or replace an order (FIX 35=9).</summary>
/// <param name="ClOrdId">The cancel/replace request's ClOrdID.</param>
/// <param name="OrigClOrdId">The order it tried to cancel or replace.</param>
/// <param name="OrderId">Venue order id ("NONE" when the venue does not know it).</param>
/// <param name="Status">The order's status at the venue.</param>
/// <param name="ResponseTo">1: cancel request, 2: cancel/replace request.</param>
/// <param name="Reason">CxlRejReason (102): 0 too late, 1 unknown order, 2 broker option, 3 pending, 6 duplicate ClOrdID, 99 other.</param>
/// <param name="Text">Venue text.</param>
public sealed record OrderCancelRejected(string ClOrdId, string OrigClOrdId, string OrderId, OrderStatus Status, int ResponseTo, int Reason, string Text);
