// Datagram sockets (the seed's "Types of Sockets", SOCK_DGRAM): no connection, no listen, no accept.
// Each sendto() is one datagram with the address it goes to; each recvfrom() returns one whole datagram and
// the address it came from. "Think physical mail delivery": a letter may be lost, and nothing resends it.
//
//   UdpEcho server PORT                 answer every datagram with the same bytes (an echo server)
//   UdpEcho client SERVER PORT MESSAGE  send MESSAGE, wait for the echo, print it
//
// The production versions are `sockit serve --udp` and `sockit connect --udp` (src/Sockit/Protocols/Grumpy).
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

const string Usage = "[Usage]: UdpEcho server PORT | UdpEcho client SERVER PORT MESSAGE";

// The largest UDP payload over IPv4 is 65507 bytes; a buffer this size never cuts a datagram short.
// (recvfrom with a smaller buffer silently drops the rest of the datagram: unlike TCP, it is not kept.)
byte[] buffer = new byte[65535];
string step = "socket";
try
{
    switch (args)
    {
        case ["server", string portText] when TryPort(portText, 0, out int port):
            return Server(port);
        case ["client", string host, string portText, string message] when TryPort(portText, 1, out int port):
            if (!IPAddress.TryParse(host, out IPAddress? address))
            {
                Console.Error.WriteLine($"[Client address error]: '{host}' is not an IP address");
                return 1;
            }
            return Client(new IPEndPoint(address, port), message);
        default:
            Console.Error.WriteLine(Usage);
            return 1;
    }
}
catch (SocketException e)
{
    // As in the seed's clean_exit(): which call failed, then strerror(errno). Exit status 1.
    Console.Error.WriteLine($"[{(args[0] == "server" ? "Server" : "Client")} {step} error]: {Marshal.GetPInvokeErrorMessage(e.NativeErrorCode)}");
    return 1;
}

int Server(int port)
{
    // socket(AF_INET, SOCK_DGRAM, 0), then bind(fd, {INADDR_ANY, htons(port)}). No listen(), no accept():
    // one socket receives from every client.
    using var server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    step = "bind";
    server.Bind(new IPEndPoint(IPAddress.Any, port));
    Console.WriteLine($"UDP ECHO SERVER AT {server.LocalEndPoint} WAITING FOR DATAGRAMS");

    while (true)
    {
        // recvfrom(fd, buf, len, 0, &from, &fromlen): ReceiveFrom fills in `from` with the sender's address.
        // The EndPoint passed in only says which family to expect; the result is a new one.
        step = "recvfrom";
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int received = server.ReceiveFrom(buffer, ref from);
        Console.WriteLine($"RECEIVED {received} BYTES FROM {from}: {Text(buffer.AsSpan(0, received))}");

        // sendto(fd, buf, n, 0, &from, fromlen): the reply goes to whoever sent this datagram.
        step = "sendto";
        server.SendTo(buffer.AsSpan(0, received), from);
    }
}

int Client(IPEndPoint server, string message)
{
    // The family follows the address: AF_INET for 127.0.0.1, AF_INET6 for ::1.
    using var client = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);

    // SO_RCVTIMEO: a lost datagram is never resent, so a client that waits forever may wait forever.
    client.ReceiveTimeout = 5000;

    // sendto() needs no connect(): the kernel picks a local port (an implicit bind) on the first send.
    step = "sendto";
    byte[] datagram = Encoding.UTF8.GetBytes(message);
    int sent = client.SendTo(datagram, server);
    Console.WriteLine($"SENT {sent} BYTES TO {server}");

    // Anyone may send to our port; only the server's answer counts. (A connect()ed datagram socket would
    // have the kernel do this filtering.)
    step = "recvfrom";
    while (true)
    {
        EndPoint from = new IPEndPoint(server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        int received;
        try
        {
            received = client.ReceiveFrom(buffer, ref from);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            Console.Error.WriteLine("[Client recvfrom error]: no echo within 5 s (the datagram or its echo was lost, or nobody listens)");
            return 1;
        }
        if (!from.Equals(server)) continue;
        Console.WriteLine($"RECEIVED {received} BYTES FROM {from}: {Text(buffer.AsSpan(0, received))}");
        return 0;
    }
}

// Datagrams are bytes; show them as text without the trailing newline nc adds.
static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes).TrimEnd('\r', '\n');

static bool TryPort(string text, int lowest, out int port)
    => int.TryParse(text, out port) && port >= lowest && port <= IPEndPoint.MaxPort;
