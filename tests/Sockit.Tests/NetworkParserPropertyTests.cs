using CsCheck;
using Sockit.Protocols.Grumpy;
using Sockit.Protocols.Ping;

namespace Sockit.Tests;

/// <summary>
/// Generated hostile input for everything that parses bytes off the network: the grumpy message reader, the log
/// formatting of what a peer said, and the ICMP reply parser. CsCheck prints the seed of a failing case.
/// </summary>
public sealed class NetworkParserPropertyTests
{
    private const long Iterations = 2000;

    // Mostly arbitrary bytes, with newlines and carriage returns common enough to land anywhere.
    private static readonly Gen<byte> WireByte = Gen.Frequency((6, Gen.Byte), (1, Gen.Const((byte)'\n')), (1, Gen.Const((byte)'\r')));
    private static readonly Gen<byte[]> Wire = WireByte.Array[0, 300];
    private static readonly Gen<int[]> Pieces = Gen.Int[1, 64].Array[0, 20];
    private static readonly Gen<int> MaxMessage = Gen.Int[1, 200];

    [Fact]
    public void MessageReaderFramesLikeTheModelHoweverTheBytesAreSplit()
    {
        Gen.Select(Wire, Pieces, MaxMessage).Sample((bytes, pieces, max) =>
        {
            var connection = new ChunkedConnection(bytes, pieces);
            var buffer = new byte[max + 16]; // room past the limit, to see it is never written
            MessageRead read = MessageReader.ReadAsync(connection, buffer.AsMemory(0, max), TimeSpan.FromMinutes(1), CancellationToken.None)
                .AsTask().GetAwaiter().GetResult();

            (int length, MessageEnd end) = Model(bytes, max);
            Assert.Equal(end, read.End);
            Assert.Equal(length, read.Length);
            Assert.Equal(bytes.AsSpan(0, length), buffer.AsSpan(0, length));
            Assert.True(connection.Consumed <= max, $"read {connection.Consumed} bytes past --max-message {max}");
            Assert.Equal(connection.Consumed, read.Length + read.Extra);
            Assert.All(buffer[max..], b => Assert.Equal(0, b));
        }, iter: Iterations);
    }

    [Fact]
    public void LoggedMessageIsOneLineWithoutControlBytesForAnyInput()
    {
        Wire.Sample(bytes =>
        {
            string line = GrumpyText.Said("127.0.0.1", bytes);
            Assert.StartsWith("127.0.0.1 said: ", line, StringComparison.Ordinal);
            Assert.DoesNotContain(line, c => char.IsControl(c) && c != '\t');
            Assert.Equal("127.0.0.1 said: " + MessageText.ForLog(bytes), line); // the shortcut agrees with the general path
        }, iter: Iterations);
    }

    [Fact]
    public void IcmpReplyParserNeverThrowsAndNeverReadsPastThePacket()
    {
        Gen.Select(Gen.Byte.Array[0, 120], Gen.Bool, Gen.Bool).Sample((bytes, ipv6, withIpHeader) =>
        {
            if (IcmpEcho.TryParseReply(bytes, ipv6, withIpHeader, out IcmpEchoReply reply))
                Assert.InRange(reply.IcmpLength, IcmpEcho.HeaderLength, bytes.Length);
        }, iter: Iterations);
    }

    /// <summary>What a reader of <paramref name="bytes"/> with a limit of <paramref name="max"/> must report.</summary>
    private static (int Length, MessageEnd End) Model(byte[] bytes, int max)
    {
        int newline = bytes.AsSpan(0, Math.Min(max, bytes.Length)).IndexOf((byte)'\n');
        if (newline >= 0) return (newline + 1, MessageEnd.Newline);
        return bytes.Length >= max ? (max, MessageEnd.Limit) : (bytes.Length, MessageEnd.PeerClosed);
    }
}
