using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// A deliberately naive matching model for differential testing: a flat list of resting orders, scanned in full for
/// the best price and then the earliest arrival on every step. Same rules as the engine (self-trade prevention:
/// cancel resting), none of its data structures.
/// </summary>
internal sealed class ReferenceBook
{
    private readonly List<(long Id, long Owner, Side Side, TimeInForce Tif, long Price, long Qty, long Seq)> _resting = [];
    private long _seq;

    public List<(long Maker, long Taker, long Price, long Qty)> Fills { get; } = [];

    public IEnumerable<(long Id, long Owner, long Price, long Qty)> Orders(Side side) =>
        _resting.Where(o => o.Side == side).OrderBy(o => side == Side.Buy ? -o.Price : o.Price).ThenBy(o => o.Seq).Select(o => (o.Id, o.Owner, o.Price, o.Qty));

    public void Submit(OrderRequest r)
    {
        if (r.Quantity <= 0 || (r.Type == OrderType.Limit && r.PriceTicks <= 0) || _resting.Any(o => o.Id == r.OrderId)) return;
        bool Crosses(long restingPrice) => r.Type == OrderType.Market || (r.Side == Side.Buy ? r.PriceTicks >= restingPrice : r.PriceTicks <= restingPrice);
        var opposite = r.Side == Side.Buy ? Side.Sell : Side.Buy;
        if (r.TimeInForce == TimeInForce.PostOnly && (r.Type == OrderType.Market || _resting.Any(o => o.Side == opposite && Crosses(o.Price)))) return;
        if (r.TimeInForce == TimeInForce.Fok && _resting.Where(o => o.Side == opposite && o.Owner != r.Owner && Crosses(o.Price)).Sum(o => o.Qty) < r.Quantity) return;
        var remaining = r.Quantity;
        while (remaining > 0)
        {
            var candidates = _resting.Select((o, i) => (o, i)).Where(x => x.o.Side == opposite && Crosses(x.o.Price)).ToList();
            if (candidates.Count == 0) break;
            var best = candidates.OrderBy(x => opposite == Side.Sell ? x.o.Price : -x.o.Price).ThenBy(x => x.o.Seq).First();
            if (best.o.Owner == r.Owner)
            {
                _resting.RemoveAt(best.i);
                continue;
            }
            var q = Math.Min(remaining, best.o.Qty);
            Fills.Add((best.o.Id, r.OrderId, best.o.Price, q));
            remaining -= q;
            if (best.o.Qty == q) _resting.RemoveAt(best.i);
            else _resting[best.i] = best.o with { Qty = best.o.Qty - q };
        }
        if (remaining > 0 && r.Type == OrderType.Limit && r.TimeInForce is not (TimeInForce.Ioc or TimeInForce.Fok))
            _resting.Add((r.OrderId, r.Owner, r.Side, r.TimeInForce, r.PriceTicks, remaining, _seq++));
    }

    public void Cancel(long id) => _resting.RemoveAll(o => o.Id == id);

    public void Replace(long id, long price, long qty)
    {
        var i = _resting.FindIndex(o => o.Id == id);
        if (i < 0 || qty <= 0) return;
        var o = _resting[i];
        if (price == o.Price && qty <= o.Qty)
        {
            _resting[i] = o with { Qty = qty };
            return;
        }
        if (o.Tif == TimeInForce.PostOnly)
        {
            var opposite = o.Side == Side.Buy ? Side.Sell : Side.Buy;
            if (_resting.Any(x => x.Side == opposite && (o.Side == Side.Buy ? price >= x.Price : price <= x.Price))) return;
        }
        _resting.RemoveAt(i);
        Submit(new OrderRequest(id, o.Owner, o.Side, OrderType.Limit, o.Tif, price, qty));
    }
}
