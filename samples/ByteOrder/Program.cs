// Byte order and struct sockaddr_in (the seed's "Data structures": in_addr, sockaddr_in, inet_aton, htons).
// Builds the 16 bytes a C program hands to bind() or connect() for IPV4 PORT, by hand, and checks them
// against the bytes .NET itself passes to the kernel.
//
//   ByteOrder IPV4-ADDRESS PORT      e.g. ByteOrder 127.0.0.1 10001
//
// The production version, which also does sockaddr_in6, is `sockit addr IP PORT`.
using System.Net;
using System.Net.Sockets;

if (args.Length != 2
    || !IPAddress.TryParse(args[0], out IPAddress? address) || address.AddressFamily != AddressFamily.InterNetwork
    || !ushort.TryParse(args[1], out ushort port))
{
    Console.Error.WriteLine("[Usage]: ByteOrder IPV4-ADDRESS PORT (0-65535)");
    return 1;
}

// Network byte order is big-endian: the most significant byte first. x86 and ARM machines are
// little-endian: they keep the LEAST significant byte first in memory. So a port stored as-is would reach
// the wire backwards; htons ("host to network short") swaps the bytes on such machines and does nothing
// on a big-endian one. .NET's htons is IPAddress.HostToNetworkOrder.
string endian = BitConverter.IsLittleEndian ? "little-endian" : "big-endian";
short htons = IPAddress.HostToNetworkOrder((short)port);
Console.WriteLine($"this machine is {endian}");
Console.WriteLine($"htons({port}) = 0x{(ushort)htons:x4}; in memory: {Hex(BitConverter.GetBytes(htons))}");

// inet_aton("127.0.0.1", &addr.sin_addr) parses dotted text into s_addr, already in network order.
// IPAddress.Parse is the parsing half; GetAddressBytes() gives s_addr's 4 bytes in that order.
byte[] sAddr = address.GetAddressBytes();
Console.WriteLine($"inet_aton(\"{address}\") = 0x{BitConverter.ToUInt32(sAddr):x8}; in memory: {Hex(sAddr)}");

// struct sockaddr_in, as the seed declares it, on Linux:
//   offset 0  sin_family  2 bytes, host byte order (AF_INET is 2): it never leaves this machine
//   offset 2  sin_port    2 bytes, network byte order: htons(port)
//   offset 4  sin_addr    4 bytes, network byte order: inet_aton()
//   offset 8  sin_zero    8 bytes of 0 (the seed's memset)
byte[] sockaddr = new byte[16];
BitConverter.GetBytes((short)2).CopyTo(sockaddr, 0);
BitConverter.GetBytes(htons).CopyTo(sockaddr, 2);
sAddr.CopyTo(sockaddr, 4);
Console.WriteLine($"memory (16 bytes): {Hex(sockaddr)}");

// What .NET builds from an IPEndPoint and passes to bind()/connect(): Serialize() gives those very bytes.
// (On macOS and the BSDs the first byte is sin_len and the family is one byte, so they differ there.)
SocketAddress native = new IPEndPoint(address, port).Serialize();
byte[] dotnet = native.Buffer.Span[..native.Size].ToArray();
Console.WriteLine($"IPEndPoint.Serialize():  {Hex(dotnet)}");
Console.WriteLine(dotnet.AsSpan().SequenceEqual(sockaddr) ? "same bytes: IPEndPoint does the htons for you" : "the bytes differ (not Linux?)");

// And back: ntohs and inet_ntoa, as the seed's server does to print its client's address.
short wire = BitConverter.ToInt16(sockaddr, 2);
Console.WriteLine($"ntohs(0x{(ushort)wire:x4}) = {(ushort)IPAddress.NetworkToHostOrder(wire)}, inet_ntoa = {new IPAddress(sockaddr.AsSpan(4, 4))}");
return 0;

static string Hex(ReadOnlySpan<byte> bytes) => string.Join(' ', bytes.ToArray().Select(b => $"{b:x2}"));
