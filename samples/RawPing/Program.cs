// Raw sockets (the seed's SOCK_RAW: "only available to super user ... building packets from scratch"):
// ping, with the ICMP echo request built byte by byte and the reply picked out of the IPv4 packet by hand.
//
//   RawPing IPV4-ADDRESS [COUNT]      e.g. RawPing 127.0.0.1 3   (as root, or with CAP_NET_RAW)
//
// The production version is `sockit ping` (src/Sockit/Protocols/Ping), which also falls back to Linux's
// unprivileged ping sockets and speaks ICMPv6.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

if (args.Length is < 1 or > 2
    || !IPAddress.TryParse(args[0], out IPAddress? target) || target.AddressFamily != AddressFamily.InterNetwork
    || !int.TryParse(args.Length == 2 ? args[1] : "3", out int count) || count < 1)
{
    Console.Error.WriteLine("[Usage]: RawPing IPV4-ADDRESS [COUNT]");
    return 1;
}

Socket socket;
try
{
    // socket(AF_INET, SOCK_RAW, IPPROTO_ICMP): no ports here. The kernel hands this socket EVERY ICMP packet
    // the machine receives (other programs' pings too), each with its IPv4 header, and sends what we write
    // with an IPv4 header it adds itself.
    socket = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
}
catch (SocketException e)
{
    // The kernel refuses anyone without CAP_NET_RAW (EPERM; .NET reports it as access denied, "Permission
    // denied"): a raw socket could forge any packet, so only root may open one.
    Console.Error.WriteLine($"[Ping socket error]: {Marshal.GetPInvokeErrorMessage(e.NativeErrorCode)} (raw sockets need root or CAP_NET_RAW)");
    return 1;
}

using (socket)
{
    // The identifier marks our requests among everyone's ICMP traffic; ping uses its process id.
    ushort identifier = (ushort)Environment.ProcessId;
    var destination = new IPEndPoint(target, 0);
    byte[] request = new byte[8 + 56];   // ICMP header + 56 data bytes, as ping sends
    byte[] packet = new byte[65535];
    int received = 0;
    socket.ReceiveTimeout = 1000;        // SO_RCVTIMEO, so that a lost reply cannot hang us
    Console.WriteLine($"PING {target}: 56 data bytes");

    for (ushort sequence = 1; sequence <= count; sequence++)
    {
        BuildEchoRequest(request, identifier, sequence);
        var clock = Stopwatch.StartNew();
        socket.SendTo(request, destination);     // sendto(fd, request, 64, 0, &addr, sizeof addr)

        // Read packets until our reply shows up or a second has passed. On loopback the first one is usually
        // our own request coming back in (type 8): the raw socket sees it too.
        while (clock.ElapsedMilliseconds < 1000)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int length;
            try
            {
                length = socket.ReceiveFrom(packet, ref from);     // recvfrom: one whole IPv4 packet
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                break;
            }
            if (IsOurReply(packet.AsSpan(0, length), identifier, sequence, out int ttl))
            {
                received++;
                Console.WriteLine($"{length - IpHeaderLength(packet)} bytes from {((IPEndPoint)from).Address}: icmp_seq={sequence} ttl={ttl} time={clock.Elapsed.TotalMilliseconds:0.000} ms");
                break;
            }
        }
        if (sequence < count) Thread.Sleep(200);   // ping waits 1 s between requests; a sample need not
    }

    Console.WriteLine($"{count} packets transmitted, {received} received");
    return received > 0 ? 0 : 1;
}

// ICMP echo request (RFC 792): type 8, code 0, checksum, identifier, sequence number, then data. Every
// multi-byte field is in network byte order, the same big-endian rule htons applies to sin_port.
static void BuildEchoRequest(byte[] request, ushort identifier, ushort sequence)
{
    request[0] = 8;                                                       // type: echo request
    request[1] = 0;                                                       // code
    BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), 0);          // checksum, computed below
    BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), identifier);
    BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), sequence);
    for (int i = 8; i < request.Length; i++) request[i] = (byte)i;        // any data; the reply echoes it
    BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), Checksum(request));
}

// The internet checksum (RFC 1071): the one's complement of the one's complement sum of 16-bit words.
// Summed over a packet that already holds its checksum, the result is 0: that is how a receiver checks it.
static ushort Checksum(ReadOnlySpan<byte> data)
{
    uint sum = 0;
    for (int i = 0; i + 1 < data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
    if (data.Length % 2 == 1) sum += (uint)(data[^1] << 8);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    return (ushort)~sum;
}

// The IPv4 header's length is its low 4 bits (IHL) counted in 32-bit words: 20 bytes without options.
static int IpHeaderLength(ReadOnlySpan<byte> packet) => (packet[0] & 0x0f) * 4;

// An echo reply (type 0) with our identifier and sequence number and a correct checksum.
static bool IsOurReply(ReadOnlySpan<byte> packet, ushort identifier, ushort sequence, out int ttl)
{
    ttl = packet[8];                                                      // the IPv4 header's time to live
    ReadOnlySpan<byte> icmp = packet[IpHeaderLength(packet)..];
    return icmp.Length >= 8
        && icmp[0] == 0
        && BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) == identifier
        && BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]) == sequence
        && Checksum(icmp) == 0;
}
