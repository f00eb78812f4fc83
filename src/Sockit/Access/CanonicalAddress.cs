using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sockit.Access;

/// <summary>
/// Every IP address as one 128-bit number, so that each spelling of an IPv4 address compares equal: a plain IPv4
/// address, its IPv4-mapped form <c>::ffff:a.b.c.d</c> (how a dual-stack listener sees IPv4 clients) and its
/// deprecated IPv4-compatible form <c>::a.b.c.d</c> all become <c>::ffff:a.b.c.d</c>. Textual spellings
/// (<c>127.1</c>, <c>2130706433</c>, <c>0x7f.0.0.1</c>) are already one <see cref="IPAddress"/> once parsed.
/// </summary>
internal static class CanonicalAddress
{
    /// <summary>The IPv4-mapped prefix <c>::ffff:0:0/96</c> as the top 96 bits.</summary>
    private static readonly UInt128 MappedTag = (UInt128)0xFFFF << 32;

    /// <summary>How many of the 128 bits an IPv4 prefix length is shifted by.</summary>
    public const int IPv4Offset = 96;

    /// <summary>The canonical number of <paramref name="address"/>. Allocates nothing; the scope id is ignored.</summary>
    public static UInt128 Of(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return MappedTag | BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            throw new ArgumentException($"not an IP address: {address.AddressFamily}", nameof(address));
        address.TryWriteBytes(bytes, out _);
        UInt128 value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return IsCompatible(value) ? MappedTag | (uint)value : value;
    }

    /// <summary>
    /// An IPv4-compatible address: the top 96 bits zero and an IPv4 address whose first octet is not 0 below.
    /// <c>::</c>, <c>::1</c> and the rest of <c>::0.x.y.z</c> stay IPv6 (0.0.0.0/8 is never a source address,
    /// and <c>::1</c> is the IPv6 loopback, not 0.0.0.1).
    /// </summary>
    private static bool IsCompatible(UInt128 value) => value >> 32 == 0 && (uint)value >= 0x0100_0000;
}
