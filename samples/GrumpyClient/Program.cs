// The seed's client (docs/seed/socket-programming-in-c-and-python.md, "Simple Client Programming"),
// step by step, with System.Net.Sockets.Socket: each .NET call below is one Berkeley call of the C version.
// The production version, which also takes host names, IPv6 and timeouts, is `sockit connect`:
// see src/Sockit/Protocols/Grumpy/GrumpyClient.cs.
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

// requires the server's address and port
if (args.Length != 2)
{
    Console.Error.WriteLine("[Usage]: GrumpyClient SERVER PORT");
    return 1;
}

// prepare server address: inet_aton(argv[1], &addr.sin_addr) is IPAddress.TryParse. The seed ignores
// inet_aton's result, so a typo would silently connect to 0.0.0.0; we stop and say so.
if (!IPAddress.TryParse(args[0], out IPAddress? address) || address.AddressFamily != AddressFamily.InterNetwork)
{
    Console.Error.WriteLine($"[Client address error]: '{args[0]}' is not an IPv4 address");
    return 1;
}
if (!int.TryParse(args[1], out int port) || port < 1 || port > IPEndPoint.MaxPort)
{
    Console.Error.WriteLine($"[Client port error]: '{args[1]}' is not a port (1-65535)");
    return 1;
}

// sin_port = htons(port): IPEndPoint takes the port in host order and does the htons for you.
// For the curious, htons(port) itself is IPAddress.HostToNetworkOrder((short)port): on a little-endian
// machine (x86, ARM) it swaps the two bytes: 10001 = 0x2711 becomes 0x1127, whose bytes in memory are
// 27 11, the big-endian "network order" the wire expects.
var serverAddress = new IPEndPoint(address, port);

// C checks each call for -1 and calls perror(); .NET throws a SocketException instead. Its NativeErrorCode
// is errno, and Marshal.GetPInvokeErrorMessage(errno) is strerror(errno) ("Connection refused"; e.Message
// has the same text, plus the address for connect). `step` names the call in progress, like clean_exit()'s labels.
string step = "socket";
try
{
    // open socket: socket(AF_INET, SOCK_STREAM, 0)
    using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    // The seed sets SO_REUSEADDR here too; a client does not bind a port of its own choosing (connect picks
    // a free one), so it has nothing to reuse and we leave it out.

    // open connection to server: connect(fd, &server_addr, sizeof server_addr). This is where the TCP
    // handshake happens; a port with no listener answers "Connection refused".
    step = "connect";
    client.Connect(serverAddress);
    Console.WriteLine($"CLIENT CONNECTED TO SERVER AT {serverAddress.Address}:{serverAddress.Port}");

    // send message to server; the conversation goes over the same socket.
    // write(fd, msg, len): on a blocking socket Send returns once every byte is handed to the kernel.
    step = "write";
    client.Send(Encoding.UTF8.GetBytes("Hello server, would you like to chat?\n"));

    // read(fd, buf, 1024): ONE read, as in the seed. For a one-line reply that is usually all of it, but TCP
    // is a byte stream: a careful client reads until the newline or until Receive returns 0 (server closed).
    step = "read";
    byte[] serverMessage = new byte[1024];
    int received = client.Receive(serverMessage);
    string reply = Encoding.UTF8.GetString(serverMessage, 0, received).TrimEnd('\r', '\n');
    Console.WriteLine($"{serverAddress.Address} said: {reply}");

    // terminate connection: close(fd). `using` would do it at the end too; here it is spelled out.
    client.Close();
    return 0;
}
catch (SocketException e)
{
    // perror(label): the label, then strerror(errno): "[Client connect error]: Connection refused".
    // Then exit(EXIT_FAILURE), which is 1.
    Console.Error.WriteLine($"[Client {step} error]: {Marshal.GetPInvokeErrorMessage(e.NativeErrorCode)}");
    return 1;
}
