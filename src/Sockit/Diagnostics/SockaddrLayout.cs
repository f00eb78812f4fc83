using System.Net;
using System.Net.Sockets;

namespace Sockit.Diagnostics;

/// <summary>One member of a C socket-address struct: where it sits and the bytes it holds.</summary>
/// <param name="Name">The C member name, e.g. <c>sin_port</c>.</param>
/// <param name="Offset">Byte offset from the start of the struct.</param>
/// <param name="Bytes">The member's bytes in memory order.</param>
public sealed record SockaddrField(string Name, int Offset, byte[] Bytes);

/// <summary>
/// Builds <c>struct sockaddr_in</c> (16 bytes) and <c>struct sockaddr_in6</c> (28 bytes) exactly as Linux lays
/// them out in memory: the family in host byte order, the port (and flow label) in network byte order, the
/// address as inet_aton/inet_pton leave it, the scope id in host byte order. Pure: the host's byte order is a
/// parameter so both orders can be tested anywhere.
/// </summary>
public static class SockaddrLayout
{
    /// <summary>AF_INET and AF_INET6 as Linux numbers them (.NET's enum uses the Windows values).</summary>
    public const ushort LinuxAfInet = 2, LinuxAfInet6 = 10;

    /// <summary>The struct's members in memory order, each with its offset and bytes.</summary>
    /// <param name="address">An IPv4 address (<c>sockaddr_in</c>) or an IPv6 one (<c>sockaddr_in6</c>, its scope id included).</param>
    /// <param name="port">0 to 65535.</param>
    /// <param name="littleEndianHost">The byte order of the machine the struct is built for (<see cref="BitConverter.IsLittleEndian"/> for this one).</param>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 0 to 65535.</exception>
    public static IReadOnlyList<SockaddrField> Fields(IPAddress address, int port, bool littleEndianHost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        byte[] portBytes = [(byte)(port >> 8), (byte)port];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return
            [
                new("sin_family", 0, HostOrder16(LinuxAfInet, littleEndianHost)),
                new("sin_port", 2, portBytes),
                new("sin_addr", 4, address.GetAddressBytes()),
                new("sin_zero", 8, new byte[8]),
            ];
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            throw new ArgumentException("only IPv4 and IPv6 addresses have a sockaddr_in layout", nameof(address));
        return
        [
            new("sin6_family", 0, HostOrder16(LinuxAfInet6, littleEndianHost)),
            new("sin6_port", 2, portBytes),
            new("sin6_flowinfo", 4, new byte[4]),
            new("sin6_addr", 8, address.GetAddressBytes()),
            new("sin6_scope_id", 24, HostOrder32((uint)address.ScopeId, littleEndianHost)),
        ];
    }

    /// <summary>The whole struct as it sits in memory (<see cref="Fields"/> joined).</summary>
    public static byte[] Bytes(IPAddress address, int port, bool littleEndianHost)
        => Fields(address, port, littleEndianHost).SelectMany(f => f.Bytes).ToArray();

    private static byte[] HostOrder16(ushort value, bool littleEndian)
        => littleEndian ? [(byte)value, (byte)(value >> 8)] : [(byte)(value >> 8), (byte)value];

    private static byte[] HostOrder32(uint value, bool littleEndian)
    {
        byte[] big = [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
        if (littleEndian) Array.Reverse(big);
        return big;
    }
}
