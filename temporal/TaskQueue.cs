namespace CroweLogic.Flow.Temporal;

/// <summary>
/// One task queue: items waiting for a poller and pollers waiting for an item (long poll). Items are re-checked by the
/// engine at dispatch, so a stale item (its task already timed out or its run closed) is simply skipped.
/// </summary>
internal sealed class TaskQueue<T> where T : class
{
    private readonly Queue<T> _items = new();
    private readonly LinkedList<TaskCompletionSource<T?>> _pollers = new();
    private readonly Lock _gate = new();

    public void Offer(T item)
    {
        lock (_gate)
        {
            while (_pollers.First is { } first)
            {
                _pollers.RemoveFirst();
                if (first.Value.TrySetResult(item)) return;
            }
            _items.Enqueue(item);
        }
    }

    public async Task<T?> PollAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource<T?> waiter;
        LinkedListNode<TaskCompletionSource<T?>> node;
        lock (_gate)
        {
            if (_items.TryDequeue(out var ready)) return ready;
            waiter = new TaskCompletionSource<T?>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _pollers.AddLast(waiter);
        }
        using var timer = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        using (linked.Token.Register(() => waiter.TrySetResult(null)))
        {
            var result = await waiter.Task.ConfigureAwait(false);
            lock (_gate)
            {
                if (node.List is not null) _pollers.Remove(node);
            }
            return result;
        }
    }

    public int Backlog
    {
        get { lock (_gate) return _items.Count; }
    }
}
