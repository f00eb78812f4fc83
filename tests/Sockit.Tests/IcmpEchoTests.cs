using System.Buffers.Binary;
using Sockit.Protocols.Ping;

namespace Sockit.Tests;

public sealed class IcmpEchoTests
{
    [Fact]
    public void IPv4RequestHasTypeCodeChecksumIdentifierSequenceAndData()
    {
        byte[] packet = IcmpEcho.Request(ipv6: false, identifier: 0x1234, sequence: 7, payloadLength: 56);
        Assert.Equal(64, packet.Length);
        Assert.Equal(8, packet[0]);
        Assert.Equal(0, packet[1]);
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(4)));
        Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(6)));
        Assert.True(InternetChecksum.IsValid(packet));
    }

    [Fact]
    public void IPv6RequestLeavesTheChecksumToTheKernel()
    {
        byte[] packet = IcmpEcho.Request(ipv6: true, identifier: 1, sequence: 2, payloadLength: 0);
        Assert.Equal("8000000000010002", Convert.ToHexStringLower(packet));
    }

    [Fact]
    public void RawIPv4ReplySkipsTheIpHeaderAndReadsTheTtl()
    {
        byte[] received = WithIpHeader(Reply(0x1234, 3, 56), ttl: 64);
        Assert.True(IcmpEcho.TryParseReply(received, ipv6: false, withIpHeader: true, out IcmpEchoReply reply));
        Assert.Equal(new IcmpEchoReply(0x1234, 3, 64, 64), reply);
    }

    [Fact]
    public void IPv4HeaderWithOptionsIsSkippedByItsLength()
    {
        byte[] icmp = Reply(9, 1, 8);
        byte[] received = WithIpHeader(icmp, ttl: 1, optionWords: 2);
        Assert.True(IcmpEcho.TryParseReply(received, ipv6: false, withIpHeader: true, out IcmpEchoReply reply));
        Assert.Equal(16, reply.IcmpLength);
        Assert.Equal(1, reply.Ttl);
    }

    [Fact]
    public void PingSocketReplyHasNoIpHeaderAndNoTtl()
    {
        Assert.True(IcmpEcho.TryParseReply(Reply(0xbeef, 2, 56), ipv6: false, withIpHeader: false, out IcmpEchoReply reply));
        Assert.Equal(new IcmpEchoReply(0xbeef, 2, 64, null), reply);
    }

    [Fact]
    public void IPv6ReplyIsType129()
    {
        byte[] icmp = IcmpEcho.Request(ipv6: true, 5, 6, 56);
        Assert.False(IcmpEcho.TryParseReply(icmp, ipv6: true, withIpHeader: false, out _)); // our own request, seen on loopback
        icmp[0] = IcmpEcho.EchoReplyV6;
        Assert.True(IcmpEcho.TryParseReply(icmp, ipv6: true, withIpHeader: false, out IcmpEchoReply reply));
        Assert.Equal(new IcmpEchoReply(5, 6, 64, null), reply);
    }

    [Fact]
    public void OwnRequestsCorruptedAndTruncatedPacketsAreNotReplies()
    {
        byte[] request = IcmpEcho.Request(ipv6: false, 1, 1, 56);
        Assert.False(IcmpEcho.TryParseReply(WithIpHeader(request, 64), ipv6: false, withIpHeader: true, out _));

        byte[] corrupted = Reply(1, 1, 56);
        corrupted[20] ^= 0xff;
        Assert.False(IcmpEcho.TryParseReply(corrupted, ipv6: false, withIpHeader: false, out _));

        Assert.False(IcmpEcho.TryParseReply(Reply(1, 1, 56).AsSpan(0, 7), ipv6: false, withIpHeader: false, out _));
        Assert.False(IcmpEcho.TryParseReply(new byte[19], ipv6: false, withIpHeader: true, out _));
    }

    [Fact]
    public void ARealReplyCapturedFromLinuxParses()
    {
        // From a raw socket on Linux: IPv4 header (TTL 64, protocol 1, 127.0.0.1 -> 127.0.0.1), echo reply id 0x1234 seq 1.
        byte[] received = Convert.FromHexString(
            "45000054b9fe00004001c2a87f0000017f000001" + "0000c09d12340001" + string.Concat(Enumerable.Repeat("78", 56)));
        Assert.True(IcmpEcho.TryParseReply(received, ipv6: false, withIpHeader: true, out IcmpEchoReply reply));
        Assert.Equal(new IcmpEchoReply(0x1234, 1, 64, 64), reply);
    }

    private static byte[] Reply(ushort identifier, ushort sequence, int payload)
    {
        byte[] packet = IcmpEcho.Request(ipv6: false, identifier, sequence, payload);
        packet[0] = IcmpEcho.EchoReplyV4;
        packet[2] = packet[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), InternetChecksum.Compute(packet));
        return packet;
    }

    private static byte[] WithIpHeader(byte[] icmp, byte ttl, int optionWords = 0)
    {
        int headerLength = 20 + optionWords * 4;
        byte[] packet = new byte[headerLength + icmp.Length];
        packet[0] = (byte)(0x40 | (headerLength / 4));
        packet[8] = ttl;
        packet[9] = 1;
        icmp.CopyTo(packet, headerLength);
        return packet;
    }
}
