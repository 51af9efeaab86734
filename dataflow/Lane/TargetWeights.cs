using System.Collections;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// Target weights by instrument id, kept in id order in two parallel arrays. A whole-book rescale writes ~350 names in
/// id order (each an append), compliance rewrites every weight in place by position and the router walks them in order:
/// no tree nodes, no copies of the keys, no per-name lookups on the path from a tick to its orders.
/// </summary>
public sealed class TargetWeights : IEnumerable<KeyValuePair<int, double>>
{
    private int[] _ids = new int[4];
    private double[] _weights = new double[4];
    private int _count;

    /// <summary>Instruments with a target.</summary>
    public int Count => _count;

    /// <summary>The instrument ids, in order.</summary>
    public KeyView Keys => new(this);

    /// <summary>The target of instrument <paramref name="id"/>; setting adds it or replaces its weight.</summary>
    public double this[int id]
    {
        get => TryGetValue(id, out var weight) ? weight : throw new KeyNotFoundException($"instrument id {id} has no target in this set");
        set
        {
            var at = Find(id);
            if (at >= 0)
            {
                _weights[at] = value;
                return;
            }
            Insert(~at, id, value);
        }
    }

    /// <summary>Whether instrument <paramref name="id"/> has a target.</summary>
    public bool ContainsKey(int id) => Find(id) >= 0;

    /// <summary>The target of instrument <paramref name="id"/>, when it has one.</summary>
    public bool TryGetValue(int id, out double weight)
    {
        var at = Find(id);
        weight = at >= 0 ? _weights[at] : 0;
        return at >= 0;
    }

    /// <summary>The instrument id at position <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>).</summary>
    public int IdAt(int index) => _ids[Check(index)];

    /// <summary>The weight at position <paramref name="index"/>.</summary>
    public double WeightAt(int index) => _weights[Check(index)];

    /// <summary>Replaces the weight at position <paramref name="index"/>, keeping its instrument.</summary>
    public void SetWeightAt(int index, double weight) => _weights[Check(index)] = weight;

    /// <summary>Walks the targets in id order.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<int, double>> IEnumerable<KeyValuePair<int, double>>.GetEnumerator()
    {
        for (var i = 0; i < _count; i++) yield return new KeyValuePair<int, double>(_ids[i], _weights[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<int, double>>)this).GetEnumerator();

    /// <summary>The position of <paramref name="id"/>, or the bitwise complement of where it would go.</summary>
    private int Find(int id)
    {
        // Most writers go in id order: the common case is past the end.
        if (_count == 0 || id > _ids[_count - 1]) return ~_count;
        return Array.BinarySearch(_ids, 0, _count, id);
    }

    private void Insert(int at, int id, double weight)
    {
        if (_count == _ids.Length)
        {
            Array.Resize(ref _ids, _count * 2);
            Array.Resize(ref _weights, _count * 2);
        }
        if (at < _count)
        {
            Array.Copy(_ids, at, _ids, at + 1, _count - at);
            Array.Copy(_weights, at, _weights, at + 1, _count - at);
        }
        (_ids[at], _weights[at]) = (id, weight);
        _count++;
    }

    private int Check(int index) => (uint)index < (uint)_count ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"a target set of {_count}");

    /// <summary>Enumerates targets in id order without allocating.</summary>
    public struct Enumerator(TargetWeights weights)
    {
        private int _index = -1;

        /// <summary>The current target.</summary>
        public readonly KeyValuePair<int, double> Current => new(weights._ids[_index], weights._weights[_index]);

        /// <summary>Moves to the next target.</summary>
        public bool MoveNext() => ++_index < weights._count;
    }

    /// <summary>The instrument ids of a target set, in order.</summary>
    public readonly struct KeyView(TargetWeights weights) : IEnumerable<int>
    {
        /// <summary>Walks the ids without allocating.</summary>
        public KeyEnumerator GetEnumerator() => new(weights);

        IEnumerator<int> IEnumerable<int>.GetEnumerator()
        {
            for (var i = 0; i < weights._count; i++) yield return weights._ids[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<int>)this).GetEnumerator();
    }

    /// <summary>Enumerates ids without allocating.</summary>
    public struct KeyEnumerator(TargetWeights weights)
    {
        private int _index = -1;

        /// <summary>The current id.</summary>
        public readonly int Current => weights._ids[_index];

        /// <summary>Moves to the next id.</summary>
        public bool MoveNext() => ++_index < weights._count;
    }
}
