using System.Net;
using System.Net.Sockets;

namespace Sockit.Access;

/// <summary>One CIDR range in canonical 128-bit form (see <see cref="CanonicalAddress"/>); a single address is a /128.</summary>
internal readonly record struct AccessRange(UInt128 Network, UInt128 Mask)
{
    /// <summary>The range of <paramref name="address"/>/<paramref name="prefixLength"/>; host bits are cleared, as nmap reads <c>192.168.0.5/24</c>.</summary>
    public static AccessRange Of(IPAddress address, int prefixLength)
    {
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        int bits = v4 ? prefixLength + CanonicalAddress.IPv4Offset : prefixLength;
        // A short IPv6 prefix is taken as written: canonical form only rewrites the top 96 bits of ::a.b.c.d.
        UInt128 value = !v4 && bits < CanonicalAddress.IPv4Offset ? Raw(address) : CanonicalAddress.Of(address);
        UInt128 mask = bits == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - bits);
        return new AccessRange(value & mask, mask);
    }

    /// <summary>Exactly <paramref name="address"/> (in canonical form).</summary>
    public static AccessRange Single(IPAddress address) => new(CanonicalAddress.Of(address), UInt128.MaxValue);

    public bool Contains(UInt128 canonical) => (canonical & Mask) == Network;

    private static UInt128 Raw(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
