using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Storage.Audit;

/// <summary>
/// The append-only, hash-chained audit log. Each entry's hash covers the previous entry's hash, so any
/// later edit, deletion or reordering in the table is found by <see cref="VerifyAsync"/>.
/// </summary>
public sealed class AuditLog(IFlowStore store, Func<long> clockNanos)
{
    private readonly SemaphoreSlim _appendGate = new(1, 1);

    /// <summary>Appends an entry after the current head and returns it.</summary>
    public async Task<AuditRecord> AppendAsync(string actor, string action, string subject, string payload, CancellationToken cancellationToken = default) =>
        (await AppendManyAsync([(actor, action, subject, payload)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Appends entries after the current head in one write (the chain is built in memory from one head read).</summary>
    public async Task<IReadOnlyList<AuditRecord>> AppendManyAsync(IEnumerable<(string Actor, string Action, string Subject, string Payload)> entries, CancellationToken cancellationToken = default)
    {
        await _appendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var head = (await EventTables.AuditLog.ReadAsync(store, orderBy: "seq DESC LIMIT 1", cancellationToken: cancellationToken).ConfigureAwait(false)).SingleOrDefault();
            var records = new List<AuditRecord>();
            foreach (var (actor, action, subject, payload) in entries)
            {
                head = AuditRecord.Next(head, clockNanos(), actor, action, subject, payload);
                records.Add(head);
            }
            if (records.Count > 0) await EventTables.AuditLog.AppendAsync(store, records, cancellationToken).ConfigureAwait(false);
            return records;
        }
        finally
        {
            _appendGate.Release();
        }
    }

    /// <summary>Walks the whole chain; returns null when intact, else where it breaks.</summary>
    public async Task<string?> VerifyAsync(CancellationToken cancellationToken = default) =>
        AuditRecord.FindBreak(await EventTables.AuditLog.ReadAsync(store, orderBy: "seq", cancellationToken: cancellationToken).ConfigureAwait(false));
}
