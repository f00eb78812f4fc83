using System.Buffers.Binary;

namespace Sockit.Protocols.Ping;

/// <summary>An echo reply taken apart: who it answers and what the IP header told us.</summary>
/// <param name="Identifier">The echo identifier (a ping socket's kernel-chosen one, not ours).</param>
/// <param name="Sequence">The echo sequence number.</param>
/// <param name="IcmpLength">ICMP header plus data, as ping reports "64 bytes from".</param>
/// <param name="Ttl">The IPv4 TTL when the IP header was received (raw IPv4 sockets), else <c>null</c>.</param>
internal readonly record struct IcmpEchoReply(ushort Identifier, ushort Sequence, int IcmpLength, int? Ttl);

/// <summary>
/// The ICMP echo codec (RFC 792 for IPv4, RFC 4443 for IPv6): type, code, checksum, identifier, sequence, then
/// data. The ICMPv4 checksum is ours to compute; for ICMPv6 the kernel fills it in (it covers an IPv6
/// pseudo-header only the kernel knows for sure). Raw IPv4 sockets deliver the IP header in front of the ICMP
/// message; raw IPv6 and ping (datagram) sockets deliver the ICMP message alone.
/// </summary>
internal static class IcmpEcho
{
    public const byte EchoRequestV4 = 8, EchoReplyV4 = 0, EchoRequestV6 = 128, EchoReplyV6 = 129;
    public const int HeaderLength = 8;
    private const int IPv4MinHeader = 20, IPv4ProtocolIcmp = 1;

    /// <summary>An echo request carrying <paramref name="payloadLength"/> bytes of a fixed pattern.</summary>
    public static byte[] Request(bool ipv6, ushort identifier, ushort sequence, int payloadLength)
    {
        byte[] packet = new byte[HeaderLength + payloadLength];
        packet[0] = ipv6 ? EchoRequestV6 : EchoRequestV4;
        packet[1] = 0; // code
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), identifier);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), sequence);
        for (int i = 0; i < payloadLength; i++)
            packet[HeaderLength + i] = (byte)(0x10 + i);
        if (!ipv6)
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), InternetChecksum.Compute(packet));
        return packet;
    }

    /// <summary>
    /// Reads an echo reply out of what a socket received; false for anything else (our own requests seen on
    /// loopback, other ICMP messages, truncated or corrupted packets).
    /// </summary>
    /// <param name="received">The bytes recvfrom returned.</param>
    /// <param name="ipv6">ICMPv6 rather than ICMPv4.</param>
    /// <param name="withIpHeader">The data starts with an IPv4 header (raw IPv4 sockets).</param>
    /// <param name="reply">The reply when true is returned.</param>
    public static bool TryParseReply(ReadOnlySpan<byte> received, bool ipv6, bool withIpHeader, out IcmpEchoReply reply)
    {
        reply = default;
        int? ttl = null;
        ReadOnlySpan<byte> icmp = received;
        if (withIpHeader)
        {
            if (received.Length < IPv4MinHeader || (received[0] >> 4) != 4) return false;
            int headerLength = (received[0] & 0x0F) * 4;
            if (headerLength < IPv4MinHeader || received.Length < headerLength || received[9] != IPv4ProtocolIcmp) return false;
            ttl = received[8];
            icmp = received[headerLength..];
        }
        if (icmp.Length < HeaderLength) return false;
        if (icmp[0] != (ipv6 ? EchoReplyV6 : EchoReplyV4) || icmp[1] != 0) return false;
        // The kernel checks ICMPv6 checksums (they need the pseudo-header); ICMPv4 ones we check ourselves.
        if (!ipv6 && !InternetChecksum.IsValid(icmp)) return false;
        reply = new IcmpEchoReply(
            BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]),
            icmp.Length,
            ttl);
        return true;
    }
}
