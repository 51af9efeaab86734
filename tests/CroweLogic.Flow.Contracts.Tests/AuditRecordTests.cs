using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Contracts.Tests;

public class AuditRecordTests
{
    private static List<AuditRecord> Chain(int n)
    {
        var chain = new List<AuditRecord>();
        for (var i = 0; i < n; i++) chain.Add(AuditRecord.Next(chain.LastOrDefault(), 1_000 + i, "agent", "decide", $"subject-{i}", $"{{\"i\":{i}}}"));
        return chain;
    }

    [Fact]
    public void An_untouched_chain_verifies()
    {
        var chain = Chain(5);
        Assert.Null(AuditRecord.FindBreak(chain));
        Assert.Equal(AuditRecord.GenesisHash, chain[0].PrevHash);
        Assert.Equal(chain[3].Hash, chain[4].PrevHash);
    }

    [Fact]
    public void Altering_a_payload_is_found_at_that_entry()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Payload = "{\"i\":999}" };
        Assert.Equal("entry 3: content does not match its hash (altered after it was written)", AuditRecord.FindBreak(chain));
    }

    [Fact]
    public void Rehashing_an_altered_entry_breaks_the_next_link()
    {
        var chain = Chain(5);
        var forged = chain[2] with { Payload = "{\"i\":999}" };
        chain[2] = forged with { Hash = AuditRecord.ComputeHash(forged.Sequence, forged.Ts, forged.Actor, forged.Action, forged.Subject, forged.Payload, forged.PrevHash) };
        Assert.Equal("entry 4: prev_hash does not match the hash of entry 3", AuditRecord.FindBreak(chain));
    }

    [Fact]
    public void Removing_an_entry_is_found()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);
        Assert.StartsWith("entry 3: expected sequence 2", AuditRecord.FindBreak(chain));
    }

    [Fact]
    public void The_encoding_separates_fields_unambiguously()
    {
        // "ab" + "c" and "a" + "bc" must not hash alike.
        Assert.NotEqual(AuditRecord.ComputeHash(1, 1, "ab", "c", "", "", AuditRecord.GenesisHash), AuditRecord.ComputeHash(1, 1, "a", "bc", "", "", AuditRecord.GenesisHash));
    }
}
