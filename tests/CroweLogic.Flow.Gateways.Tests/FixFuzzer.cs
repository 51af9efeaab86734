using System.Net.Sockets;
using System.Text;
using CroweLogic.Flow.Gateways.Fix;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// Mutation fuzzing of a FIX acceptor over TCP: several connections at once, each logging on validly and then sending
/// frames built from valid FIX 4.4 messages (orders, cancels, execution reports, market data requests with groups,
/// security definitions, every session message) of which four in five are mutated — fields dropped, repeated, swapped
/// or moved into the header, tags and values replaced by garbage, MsgType, MsgSeqNum, CompIDs, BeginString and
/// SendingTime falsified, group counts wrong, and at the byte level flipped, cut, spliced, with wrong BodyLength or
/// CheckSum. Replies are read and discarded so the acceptor never blocks on us; a connection it closes is reopened.
/// </summary>
public sealed class FixFuzzer(string host, int port, string acceptorCompId, IReadOnlyList<string> initiatorCompIds, int seed = 1)
{
    private long _frames;
    private long _bytes;
    private long _connections;
    private long _closedByAcceptor;
    private long _received;

    /// <summary>What a run did.</summary>
    public sealed record Result(long Frames, long Bytes, long Connections, long ClosedByAcceptor, long BytesReceived, TimeSpan Elapsed);

    /// <summary>Frames sent so far (all connections).</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Sends <paramref name="frames"/> frames in all, over one connection per initiator CompID at a time.</summary>
    public async Task<Result> RunAsync(long frames, int framesPerConnection = 2_000, CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var workers = initiatorCompIds.Select((compId, i) => Task.Run(() => WorkerAsync(compId, seed * 7919 + i, frames, framesPerConnection, cancellationToken), cancellationToken));
        await Task.WhenAll(workers).ConfigureAwait(false);
        return new Result(Frames, Interlocked.Read(ref _bytes), Interlocked.Read(ref _connections), Interlocked.Read(ref _closedByAcceptor), Interlocked.Read(ref _received), started.Elapsed);
    }

    private async Task WorkerAsync(string compId, int workerSeed, long budget, int perConnection, CancellationToken cancellationToken)
    {
        var random = new Random(workerSeed);
        var mutator = new Mutator(random, compId, acceptorCompId);
        while (Interlocked.Read(ref _frames) < budget && !cancellationToken.IsCancellationRequested)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                continue;
            }
            Interlocked.Increment(ref _connections);
            using var closed = new CancellationTokenSource();
            var drain = DrainAsync(socket, closed);
            try
            {
                await SendAsync(socket, mutator.Logon(), cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < perConnection && !closed.IsCancellationRequested; i++)
                {
                    if (Interlocked.Increment(ref _frames) > budget) break;
                    await SendAsync(socket, mutator.Next(), cancellationToken).ConfigureAwait(false);
                }
                if (random.Next(2) == 0 && !closed.IsCancellationRequested) await SendAsync(socket, mutator.Logout(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
            }
            if (closed.IsCancellationRequested) Interlocked.Increment(ref _closedByAcceptor);
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            socket.Close();
            await drain.ConfigureAwait(false);
        }
    }

    private async Task SendAsync(Socket socket, byte[] frame, CancellationToken cancellationToken)
    {
        var sent = 0;
        while (sent < frame.Length) sent += await socket.SendAsync(frame.AsMemory(sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _bytes, frame.Length);
    }

    private async Task DrainAsync(Socket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (n == 0) break;
                Interlocked.Add(ref _received, n);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        await closed.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>Builds valid frames (FIX 4.4 message shapes, any BeginString) with consecutive sequence numbers and mutates most of them.</summary>
    public sealed class Mutator(Random random, string sender, string target, string beginString = "FIX.4.4")
    {
        private static readonly string[] Symbols = ["MSFT", "IBM", "ESZ6", "BRK.B", ""];
        private int _seq = 1;

        /// <summary>A valid Logon that resets both sequence numbers.</summary>
        public byte[] Logon()
        {
            _seq = 1;
            return Frame(Header("A", _seq++).With(F(98, "0"), F(108, "30"), F(141, "Y")).ToList(), correct: true);
        }

        /// <summary>A valid Logout.</summary>
        public byte[] Logout() => Frame([.. Header("5", _seq++)], correct: true);

        /// <summary>The next frame: a valid message, mutated four times in five.</summary>
        public byte[] Next()
        {
            var fields = Template();
            if (random.Next(5) == 0) return Frame(fields, correct: true);
            var byteLevel = random.Next(3) == 0;
            var mutations = 1 + random.Next(3);
            for (var i = 0; i < mutations && !byteLevel; i++) MutateFields(fields);
            var frame = Frame(fields, correct: !byteLevel || random.Next(2) == 0);
            return byteLevel ? MutateBytes(frame) : frame;
        }

        private List<(string Tag, byte[] Value)> Template()
        {
            var now = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HH:mm:ss.fff");
            var id = $"ord-{random.Next(1000)}";
            var body = random.Next(12) switch
            {
                0 => Header("0", _seq++),
                1 => Header("1", _seq++).With(F(112, $"T{random.Next(99)}")),
                2 => Header("2", _seq++).With(F(7, $"{random.Next(1, 50)}"), F(16, "0")),
                3 => Header("3", _seq++).With(F(45, $"{random.Next(1, 50)}"), F(58, "no")),
                4 => Header("4", _seq, F(43, "Y"), F(122, now)).With(F(123, "Y"), F(36, $"{++_seq + random.Next(3)}")),
                5 => Header("F", _seq++).With(F(11, id + "c"), F(41, id), F(55, Pick(Symbols)), F(54, "1"), F(60, now), F(38, "100")),
                6 => Header("8", _seq++).With(F(37, "o1"), F(17, "e1"), F(150, "0"), F(39, "0"), F(55, "MSFT"), F(54, "1"), F(151, "100"), F(14, "0"), F(6, "0")),
                7 => Header("V", _seq++).With(F(262, "m1"), F(263, "1"), F(264, "1"), F(267, "2"), F(269, "0"), F(269, "1"), F(146, "2"), F(55, "MSFT"), F(55, "IBM"), F(48, "X"), F(22, "1")),
                8 => Header("d", _seq++).With(F(320, "s1"), F(322, "r1"), F(323, "1"), F(55, "ESZ6"), F(454, "1"), F(455, "ES"), F(456, "8")),
                9 => Header("G", _seq++).With(F(11, id + "r"), F(41, id), F(55, "MSFT"), F(54, "2"), F(60, now), F(38, "50"), F(40, "2"), F(44, "101.25")),
                _ => Header("D", _seq++).With(F(11, id), F(21, "1"), F(55, Pick(Symbols)), F(54, Pick(["1", "2", "5"])), F(60, now), F(38, $"{random.Next(1, 1000)}"), F(40, "2"), F(44, "99.5"), F(59, "0")),
            };
            return [.. body];
        }

        private IEnumerable<(string, byte[])> Header(string msgType, int seq, params (string, byte[])[] extra)
        {
            yield return F(35, msgType);
            yield return F(34, $"{seq}");
            yield return F(49, sender);
            yield return F(52, DateTimeOffset.UtcNow.ToString("yyyyMMdd-HH:mm:ss.fff"));
            yield return F(56, target);
            foreach (var field in extra) yield return field;
        }

        private void MutateFields(List<(string Tag, byte[] Value)> fields)
        {
            var i = random.Next(fields.Count);
            switch (random.Next(16))
            {
                case 0: fields.RemoveAt(i); break;
                case 1: fields.Insert(i, fields[random.Next(fields.Count)]); break;
                case 2 when fields.Count > 1: (fields[i], fields[(i + 1) % fields.Count]) = (fields[(i + 1) % fields.Count], fields[i]); break;
                case 3: fields[i] = (Pick(["0", "-1", "9999", "5001", "abc", "", "34", "35", "10", "9", $"{random.Next(1, 1200)}"]), fields[i].Value); break;
                case 4: fields[i] = (fields[i].Tag, RandomValue()); break;
                case 5: fields.Insert(random.Next(fields.Count + 1), Pick([F(34, "2"), F(49, "X"), F(52, "20260101-00:00:00"), F(43, "Y"), F(97, "Y"), F(115, "ON"), F(128, ""), F(122, "x")])); break;
                case 6: Set(fields, "35", Pick(["0", "1", "2", "3", "4", "5", "A", "D", "8", "9", "j", "*", "ZZ", "", "AAA", "R", "n", "BE"])); break;
                case 7: Set(fields, "34", Pick(["0", "-5", "1", "2", "x", "", "999999999", $"{_seq + random.Next(-5, 20)}", "99999999999"])); break;
                case 8: Set(fields, "49", Pick(["WT", "", sender + "X"])); break;
                case 9: Set(fields, "56", Pick(["DLSI", "", target.ToLowerInvariant()])); break;
                case 10: Set(fields, "52", Pick(["20010101-00:00:00", "yesterday", "", "20261301-00:00:00", "99999999-99:99:99.999", DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyyMMdd-HH:mm:ss")])); break;
                case 11: fields.Add(Pick([F(267, "5"), F(146, "0"), F(146, "-1"), F(146, "x"), F(384, "3"), F(453, "1"), F(448, "P"), F(627, "2")])); break;
                case 12: fields.Add(F(random.Next(1, 6000), RandomValue())); break;
                case 13: fields.Add(F(58, new string('x', random.Next(10) == 0 ? random.Next(1, 70_000) : random.Next(1, 300)))); break;
                case 14: fields.Insert(0, F(8, Pick(["FIX.4.2", "FIX.3.9", "FIXT.1.1", ""]))); break;
                default: Set(fields, "43", "Y"); if (random.Next(2) == 0) Set(fields, "122", Pick(["20010101-00:00:00", DateTimeOffset.UtcNow.AddMinutes(1).ToString("yyyyMMdd-HH:mm:ss"), "bad"])); break;
            }
        }

        private byte[] MutateBytes(byte[] frame)
        {
            var bytes = frame.ToList();
            var count = 1 + random.Next(4);
            for (var k = 0; k < count && bytes.Count > 0; k++)
            {
                var i = random.Next(bytes.Count);
                switch (random.Next(8))
                {
                    case 0: bytes[i] = (byte)random.Next(256); break;
                    case 1: bytes.RemoveRange(i, Math.Min(bytes.Count - i, 1 + random.Next(20))); break;
                    case 2: bytes.Insert(i, Pick<byte>([1, (byte)'=', (byte)'8', (byte)'|', 0, 255])); break;
                    case 3: bytes.RemoveRange(i, bytes.Count - i); break;
                    case 4: bytes.InsertRange(0, Encoding.ASCII.GetBytes(Pick(["garbage", "8=FIX.4.4\u00019=5\u0001", "10=000\u0001", "8="]))); break;
                    case 5: bytes.AddRange(frame.Take(random.Next(frame.Length))); break;
                    case 6: bytes.InsertRange(i, frame.Skip(random.Next(frame.Length)).Take(random.Next(40))); break;
                    default: bytes[i] = 1; break;
                }
            }
            return [.. bytes];
        }

        private byte[] RandomValue()
        {
            return random.Next(7) switch
            {
                0 => [],
                1 => Encoding.ASCII.GetBytes(Pick(["-1", "+1", "1e5", "1.2.3", ".", "Y", "N", "YES", "00000000-00:00:00"])),
                2 => Encoding.ASCII.GetBytes(new string('9', random.Next(1, 40))),
                3 => [.. Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(2, 256))],
                4 => Encoding.ASCII.GetBytes(new string('z', random.Next(10) == 0 ? random.Next(1, 9000) : random.Next(1, 300))),
                5 => Encoding.ASCII.GetBytes(Pick(["A", "Z", "99", "CS", "BOO"])),
                _ => Encoding.ASCII.GetBytes($"{random.Next()}"),
            };
        }

        private static void Set(List<(string Tag, byte[] Value)> fields, string tag, string value)
        {
            var i = fields.FindIndex(f => f.Tag == tag);
            if (i >= 0) fields[i] = (tag, Encoding.ASCII.GetBytes(value));
            else fields.Add((tag, Encoding.ASCII.GetBytes(value)));
        }

        // 8 and 9 in front (when the fields do not bring an 8 of their own), 10 at the end; BodyLength and CheckSum
        // right, or for a mutated frame possibly wrong.
        private byte[] Frame(List<(string Tag, byte[] Value)> fields, bool correct)
        {
            var body = new List<byte>();
            var begin = beginString;
            foreach (var (tag, value) in fields)
            {
                if (tag == "8" && body.Count == 0 && value.Length > 0) { begin = Encoding.ASCII.GetString(value); continue; }
                body.AddRange(Encoding.ASCII.GetBytes(tag + "="));
                body.AddRange(value);
                body.Add(1);
            }
            var length = correct ? body.Count : body.Count + random.Next(-10, 10);
            var head = Encoding.ASCII.GetBytes($"8={begin}\u00019={length}\u0001");
            var sum = (head.Sum(b => b) + body.Sum(b => b)) % 256;
            if (!correct && random.Next(2) == 0) sum = (sum + 1 + random.Next(254)) % 256;
            return [.. head, .. body, .. Encoding.ASCII.GetBytes($"10={sum:D3}\u0001")];
        }

        private T Pick<T>(IReadOnlyList<T> options) => options[random.Next(options.Count)];

        private static (string, byte[]) F(int tag, string value) => ($"{tag}", Encoding.ASCII.GetBytes(value));

        private static (string, byte[]) F(int tag, byte[] value) => ($"{tag}", value);
    }
}

internal static class FieldListExtensions
{
    public static IEnumerable<(string, byte[])> With(this IEnumerable<(string, byte[])> fields, params (string, byte[])[] more) => fields.Concat(more);
}
