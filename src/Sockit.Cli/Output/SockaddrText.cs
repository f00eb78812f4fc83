using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;

namespace Sockit.Cli.Output;

/// <summary>
/// Explains, field by field, the <c>sockaddr_in</c>/<c>sockaddr_in6</c> a C program builds for an address and
/// port (the seed's "Data structures" section): the family, <c>htons(port)</c>, what <c>inet_aton</c> leaves in
/// <c>s_addr</c>, and the raw bytes in memory order. Pure; the host byte order is a parameter.
/// </summary>
internal static class SockaddrText
{
    /// <param name="text">The address as the user typed it (shown inside inet_aton/inet_pton).</param>
    /// <param name="address">The parsed address.</param>
    /// <param name="port">0 to 65535.</param>
    /// <param name="littleEndianHost">The byte order of the machine the struct is described for.</param>
    public static IReadOnlyList<string> Describe(string text, IPAddress address, int port, bool littleEndianHost)
    {
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        IReadOnlyList<SockaddrField> fields = SockaddrLayout.Fields(address, port, littleEndianHost);
        byte[] all = fields.SelectMany(f => f.Bytes).ToArray();
        string order = littleEndianHost ? "little-endian" : "big-endian";
        int width = fields.Max(f => f.Name.Length);
        int hexWidth = fields.Max(f => Hex(f.Bytes).Length);

        var lines = new List<string>
        {
            $"struct {(v4 ? "sockaddr_in" : "sockaddr_in6")} for {address} port {port}: {all.Length} bytes (Linux layout, {order} host)",
            $"  offset  {"member".PadRight(width)}  {"bytes".PadRight(hexWidth)}  meaning",
        };
        foreach (SockaddrField field in fields)
        {
            string meaning = Meaning(field.Name, text, port);
            lines.Add($"  {field.Offset,-6}  {field.Name.PadRight(width)}  {Hex(field.Bytes).PadRight(hexWidth)}  {meaning}");
        }
        lines.Add("");
        lines.AddRange(PortLines(port, littleEndianHost));
        lines.AddRange(v4 ? IPv4Lines(text, address, littleEndianHost) : IPv6Lines(text, address));
        lines.Add($"memory ({all.Length} bytes): {Hex(all)}");
        return lines;
    }

    private static string Meaning(string member, string text, int port) => member switch
    {
        "sin_family" => $"AF_INET = {SockaddrLayout.LinuxAfInet}, a short in host byte order",
        "sin6_family" => $"AF_INET6 = {SockaddrLayout.LinuxAfInet6}, a short in host byte order",
        "sin_port" or "sin6_port" => $"htons({port}): network byte order (big-endian)",
        "sin_addr" => $"inet_aton(\"{text}\"): network byte order",
        "sin_zero" => "padding, must be 0 (the seed's memset)",
        "sin6_flowinfo" => "flow label 0, network byte order",
        "sin6_addr" => $"inet_pton(AF_INET6, \"{WithoutScope(text)}\"): 16 bytes, network byte order",
        "sin6_scope_id" => "interface index for link-local addresses, host byte order",
        _ => "",
    };

    private static IEnumerable<string> PortLines(int port, bool littleEndianHost)
    {
        ushort swapped = BinaryPrimitives.ReverseEndianness((ushort)port);
        string netHex = Hex([(byte)(port >> 8), (byte)port]);
        yield return $"htons({port}): {port} = {Hex16(port)}; in network byte order (most significant byte first) its bytes are {netHex}.";
        if (littleEndianHost)
        {
            yield return $"  On this little-endian host htons swaps the two bytes: read back as a plain unsigned short, sin_port holds {Hex16(swapped)} ({swapped}); ntohs turns it back into {port}.";
            if (swapped != port)
                yield return $"  Storing {port} without htons would leave the bytes {Hex([(byte)port, (byte)(port >> 8)])}, which the kernel reads as port {swapped}.";
        }
        else
        {
            yield return "  On this big-endian host host order is network order: htons changes nothing.";
        }
    }

    private static IEnumerable<string> IPv4Lines(string text, IPAddress address, bool littleEndianHost)
    {
        byte[] bytes = address.GetAddressBytes();
        uint network = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        string shown = text == address.ToString() ? $"inet_aton(\"{text}\")" : $"inet_aton(\"{text}\") reads {address}";
        yield return $"{shown}: s_addr = {Hex32(network)} in network byte order, bytes {Hex(bytes)}.";
        if (littleEndianHost)
        {
            uint host = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
            yield return $"  Read as a plain 32-bit unsigned value on this little-endian host, s_addr is {Hex32(host)} ({host.ToString(CultureInfo.InvariantCulture)}); ntohl gives {Hex32(network)} ({network.ToString(CultureInfo.InvariantCulture)}).";
        }
        else
        {
            yield return $"  On this big-endian host s_addr reads as {Hex32(network)} ({network.ToString(CultureInfo.InvariantCulture)}) directly.";
        }
    }

    private static IEnumerable<string> IPv6Lines(string text, IPAddress address)
    {
        yield return $"inet_pton(AF_INET6, \"{WithoutScope(text)}\"): the 128-bit address {address} stored as 16 bytes, most significant first: {Hex(address.GetAddressBytes())}.";
        if (address.ScopeId != 0)
            yield return $"  sin6_scope_id = {address.ScopeId} (the %{address.ScopeId} suffix) names the interface the link-local address belongs to.";
    }

    /// <summary>Bytes as <c>7f 00 00 01</c>.</summary>
    public static string Hex(IEnumerable<byte> bytes)
        => string.Join(' ', bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    /// <summary>inet_pton takes no "%scope" suffix; getaddrinfo turns it into sin6_scope_id.</summary>
    private static string WithoutScope(string text) => text.Split('%')[0];

    private static string Hex16(int value) => "0x" + value.ToString("x4", CultureInfo.InvariantCulture);

    private static string Hex32(uint value) => "0x" + value.ToString("x8", CultureInfo.InvariantCulture);
}
