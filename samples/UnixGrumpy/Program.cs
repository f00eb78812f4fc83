// The seed's grumpy server and client over AF_UNIX (the seed's "Families of Sockets": "used for efficiently
// communicating within the same machine ... bound to a filesystem pathname"). The calls are the TCP ones;
// only the address changes: a path (struct sockaddr_un) instead of an IP and a port (struct sockaddr_in).
//
//   UnixGrumpy server PATH   listen on the socket file PATH, answer each client grumpily
//   UnixGrumpy client PATH   say hello to the server at PATH, print its answer
//
// The production versions are `sockit serve --unix PATH` and `sockit connect --unix PATH`.
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

string step = "socket";
try
{
    switch (args)
    {
        case ["server", string path]:
            return Server(path);
        case ["client", string path]:
            return Client(path);
        default:
            Console.Error.WriteLine("[Usage]: UnixGrumpy server PATH | UnixGrumpy client PATH");
            return 1;
    }
}
catch (SocketException e)
{
    Console.Error.WriteLine($"[{(args[0] == "server" ? "Server" : "Client")} {step} error]: {Marshal.GetPInvokeErrorMessage(e.NativeErrorCode)}");
    return 1;
}
catch (ArgumentException e)
{
    // sun_path holds 108 bytes on Linux: UnixDomainSocketEndPoint refuses a longer path up front.
    Console.Error.WriteLine($"[Path error]: {e.Message}");
    return 1;
}

int Server(string path)
{
    // socket(AF_UNIX, SOCK_STREAM, 0). A Unix socket has no IP protocol: ProtocolType.Unspecified is the 0.
    using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    var address = new UnixDomainSocketEndPoint(path);

    // bind() CREATES the socket file, and fails with "Address already in use" if any file is at that path,
    // even one left behind by a server that crashed (close() does not remove it). So: if a file is there,
    // knock. Refused means nobody listens and the file is stale: unlink() it. Answered means a server is
    // running there, and bind below fails as it should.
    if (File.Exists(path))
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(address);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            File.Delete(path);
        }
    }

    step = "bind";
    server.Bind(address);
    step = "listen";
    server.Listen(5);
    Console.WriteLine($"SERVER AT {path} LISTENING FOR CONNECTIONS");

    byte[] clientMessage = new byte[1024];
    byte[] serverMessage = Encoding.UTF8.GetBytes("I'm a grumpy server, don't connect, I don't want no friends!\n");
    while (true)
    {
        step = "accept";
        using Socket client = server.Accept();

        // A client that did not bind() has no name: its sockaddr_un comes back with an empty path. The kernel
        // knows who it is (SO_PEERCRED gives its pid and uid), but there is no address to print.
        string? name = client.RemoteEndPoint?.ToString();
        Console.WriteLine($"RECEIVED CONNECTION FROM {(string.IsNullOrEmpty(name) ? "an unnamed socket" : name)}");
        try
        {
            // One read, as in the seed (see samples/GrumpyServer for why a real server reads to the newline).
            step = "read";
            int received = client.Receive(clientMessage);
            Console.WriteLine($"client said: {Encoding.UTF8.GetString(clientMessage, 0, received).TrimEnd('\r', '\n')}");
            step = "write";
            client.Send(serverMessage);
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"[Server {step} error]: {Marshal.GetPInvokeErrorMessage(e.NativeErrorCode)}");
        }
    }
}

int Client(string path)
{
    using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    // connect() to a path: ENOENT ("No such file or directory") if there is no socket file, ECONNREFUSED if
    // the file is there but no server listens on it. .NET turns ENOENT into EADDRNOTAVAIL ("Cannot assign
    // requested address"), which misleads, so we look for the file first.
    step = "connect";
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"[Client connect error]: {path}: No such file or directory");
        return 1;
    }
    client.Connect(new UnixDomainSocketEndPoint(path));
    Console.WriteLine($"CLIENT CONNECTED TO SERVER AT {path}");

    step = "write";
    client.Send(Encoding.UTF8.GetBytes("Hello server, would you like to chat?\n"));
    step = "read";
    byte[] serverMessage = new byte[1024];
    int received = client.Receive(serverMessage);
    Console.WriteLine($"server said: {Encoding.UTF8.GetString(serverMessage, 0, received).TrimEnd('\r', '\n')}");
    return 0;
}
