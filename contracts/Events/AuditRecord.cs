using System.Security.Cryptography;
using System.Text;
using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>
/// One entry of the append-only, hash-chained audit log: every decision and approval.
/// <see cref="Hash"/> covers every other field including <see cref="PrevHash"/>, so altering,
/// removing or reordering any entry breaks the chain from that entry on.
/// </summary>
/// <param name="Sequence">Position in the chain, from 1.</param>
/// <param name="Ts">Time recorded, ns UTC.</param>
/// <param name="Actor">Who (person or agent).</param>
/// <param name="Action">What, e.g. approve, sign, deploy, order.</param>
/// <param name="Subject">On what, e.g. an artifact hash or order id.</param>
/// <param name="Payload">Details (JSON).</param>
/// <param name="PrevHash">Hash of the previous entry (<see cref="GenesisHash"/> for the first).</param>
/// <param name="Hash">SHA-256 (hex) of this entry's canonical encoding.</param>
public sealed record AuditRecord(long Sequence, long Ts, string Actor, string Action, string Subject, string Payload, string PrevHash, string Hash)
{
    /// <summary>The previous-hash of the first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Creates the entry that follows <paramref name="previous"/> (or the first one), computing its hash.</summary>
    public static AuditRecord Next(AuditRecord? previous, long ts, string actor, string action, string subject, string payload)
    {
        var sequence = (previous?.Sequence ?? 0) + 1;
        var prevHash = previous?.Hash ?? GenesisHash;
        return new AuditRecord(sequence, ts, actor, action, subject, payload, prevHash, ComputeHash(sequence, ts, actor, action, subject, payload, prevHash));
    }

    /// <summary>SHA-256 over a length-prefixed encoding of the fields, so no two field lists encode alike.</summary>
    public static string ComputeHash(long sequence, long ts, string actor, string action, string subject, string payload, string prevHash)
    {
        var sb = new StringBuilder();
        foreach (var part in new[] { sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), ts.ToString(System.Globalization.CultureInfo.InvariantCulture), actor, action, subject, payload, prevHash })
            sb.Append(part.Length).Append(':').Append(part).Append(';');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    /// <summary>True when <see cref="Hash"/> matches the fields.</summary>
    public bool IsSelfConsistent => Hash == ComputeHash(Sequence, Ts, Actor, Action, Subject, Payload, PrevHash);

    /// <summary>
    /// Checks a chain in sequence order; returns null when intact, else a description of the first break.
    /// </summary>
    public static string? FindBreak(IEnumerable<AuditRecord> chain)
    {
        AuditRecord? previous = null;
        foreach (var record in chain)
        {
            var expectedSeq = (previous?.Sequence ?? 0) + 1;
            if (record.Sequence != expectedSeq) return $"entry {record.Sequence}: expected sequence {expectedSeq} (an entry is missing or duplicated)";
            if (record.PrevHash != (previous?.Hash ?? GenesisHash)) return $"entry {record.Sequence}: prev_hash does not match the hash of entry {expectedSeq - 1}";
            if (!record.IsSelfConsistent) return $"entry {record.Sequence}: content does not match its hash (altered after it was written)";
            previous = record;
        }
        return null;
    }

    /// <summary>The audit record schema and its batch conversion.</summary>
    public static ArrowRecordCodec<AuditRecord> Arrow { get; } = new("audit_record",
    [
        Col.Int64<AuditRecord>("seq", r => r.Sequence),
        Col.Time<AuditRecord>("ts", r => r.Ts),
        Col.Utf8<AuditRecord>("actor", r => r.Actor),
        Col.Utf8<AuditRecord>("action", r => r.Action),
        Col.Utf8<AuditRecord>("subject", r => r.Subject),
        Col.Utf8<AuditRecord>("payload", r => r.Payload),
        Col.Utf8<AuditRecord>("prev_hash", r => r.PrevHash),
        Col.Utf8<AuditRecord>("hash", r => r.Hash),
    ], r => new AuditRecord(r.Int64(0), r.Int64(1), r.Utf8(2), r.Utf8(3), r.Utf8(4), r.Utf8(5), r.Utf8(6), r.Utf8(7)));
}
