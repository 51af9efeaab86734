namespace CroweLogic.Flow.Quant.Portfolio;

/// <summary>
/// Single-linkage agglomerative clustering of a distance matrix (minimum spanning tree, Prim), with merges ordered by
/// distance and cluster ids assigned as SciPy's linkage does (leaves 0..n−1, the merge of step k gets id n+k; the
/// smaller id goes left), so the leaf order of the tree matches <c>scipy.cluster.hierarchy.to_tree(…).pre_order()</c>.
/// </summary>
public static class SingleLinkage
{
    /// <summary>One merge: the two clusters joined (left id &lt; right id), their distance and the merged size.</summary>
    public readonly record struct Merge(int Left, int Right, double Distance, int Size);

    /// <summary>The n−1 merges of the dendrogram.</summary>
    /// <exception cref="QuantInputException">The matrix is not square and symmetric with finite, non-negative entries.</exception>
    public static Merge[] Cluster(double[,] distance)
    {
        var n = distance.GetLength(0);
        if (n != distance.GetLength(1)) throw new QuantInputException("distance matrix is not square");
        if (n < 2) throw new QuantInputException("clustering needs at least two items");
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
            if (!double.IsFinite(distance[i, j]) || distance[i, j] < 0 || distance[i, j] != distance[j, i])
                throw new QuantInputException($"distance ({i}, {j}) = {distance[i, j]}: distances must be finite, non-negative and symmetric");

        // Prim's minimum spanning tree: the single-linkage dendrogram's merge distances are its edges.
        var inTree = new bool[n];
        var best = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var edges = new List<(int A, int B, double D)>(n - 1);
        var current = 0;
        inTree[0] = true;
        for (var step = 0; step < n - 1; step++)
        {
            var next = -1;
            var nextDistance = double.PositiveInfinity;
            for (var j = 0; j < n; j++)
            {
                if (inTree[j]) continue;
                if (distance[current, j] < best[j]) best[j] = distance[current, j];
                if (best[j] < nextDistance) (next, nextDistance) = (j, best[j]);
            }
            edges.Add((current, next, nextDistance));
            inTree[next] = true;
            current = next;
        }
        // The MST edge list from Prim's scan records (last added, next) pairs; single linkage needs, for each new
        // vertex, the tree vertex it is closest to. Rebuild edges with the true attachment point.
        edges = AttachEdges(distance, edges);

        var ordered = edges.Select((e, k) => (e, k)).OrderBy(x => x.e.D).ThenBy(x => x.k).Select(x => x.e).ToList();
        var parent = Enumerable.Range(0, 2 * n - 1).ToArray();
        var size = Enumerable.Repeat(1, 2 * n - 1).ToArray();
        var clusterOf = Enumerable.Range(0, n).ToArray(); // union-find root → cluster id
        int Find(int v)
        {
            while (parent[v] != v) v = parent[v] = parent[parent[v]];
            return v;
        }
        var merges = new Merge[n - 1];
        for (var k = 0; k < ordered.Count; k++)
        {
            var (a, b, d) = ordered[k];
            int ra = Find(a), rb = Find(b);
            int ca = clusterOf[ra], cb = clusterOf[rb];
            var merged = n + k;
            parent[ra] = rb;
            size[rb] += size[ra];
            clusterOf[rb] = merged;
            merges[k] = new Merge(Math.Min(ca, cb), Math.Max(ca, cb), d, size[rb]);
        }
        return merges;
    }

    /// <summary>Leaf ids in pre-order (left before right) of the dendrogram.</summary>
    public static int[] LeafOrder(Merge[] merges)
    {
        var n = merges.Length + 1;
        var order = new List<int>(n);
        var stack = new Stack<int>();
        stack.Push(2 * n - 2);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node < n)
            {
                order.Add(node);
                continue;
            }
            var merge = merges[node - n];
            stack.Push(merge.Right);
            stack.Push(merge.Left);
        }
        return [.. order];
    }

    private static List<(int A, int B, double D)> AttachEdges(double[,] distance, List<(int A, int B, double D)> prim)
    {
        var n = distance.GetLength(0);
        var added = new List<int> { 0 };
        var result = new List<(int, int, double)>(n - 1);
        foreach (var (_, vertex, d) in prim)
        {
            // The tree vertex at distance d from the new vertex (first in insertion order on ties).
            var attach = added.First(a => distance[a, vertex] == d);
            result.Add((attach, vertex, d));
            added.Add(vertex);
        }
        return result;
    }
}
