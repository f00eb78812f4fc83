// The seed's grumpy server (docs/seed/socket-programming-in-c-and-python.md, "Simple Server Programming"),
// step by step, with System.Net.Sockets.Socket: each .NET call below is one Berkeley call of the C version.
//
// Like the seed it is ITERATIVE: it serves one client at a time, start to finish, then accepts the next.
// That keeps the socket calls easy to follow, but one client that connects and says nothing blocks everyone
// behind it (try `nc 127.0.0.1 PORT` in two terminals). The real `sockit serve` is concurrent, reads whole
// messages and drops silent clients: see src/Sockit/Protocols/Grumpy/GrumpyServer.cs for the production version.
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

// Console.Out flushes after every write, so each line appears at once even when stdout is a pipe.
// (C's stdio buffers a piped stdout, and the seed's LISTENING line has no \n: it may never show up.)

// requires a port number to listen on
if (args.Length != 1)
{
    Console.Error.WriteLine("[Usage]: GrumpyServer PORT");
    return 1;
}
// atoi() would turn "abc" into 0 without a word; we say what is wrong instead.
if (!int.TryParse(args[0], out int port) || port < IPEndPoint.MinPort || port > IPEndPoint.MaxPort)
{
    Console.Error.WriteLine($"[Server port error]: '{args[0]}' is not a port (0-65535)");
    return 1;
}

// create server address: sin_family = AF_INET, sin_addr = INADDR_ANY, sin_port = htons(port).
// IPAddress.Any is INADDR_ANY (0.0.0.0): accept connections to any address of this machine.
// IPEndPoint takes the port in host order and converts it to network order (htons) when it is used.
var serverAddress = new IPEndPoint(IPAddress.Any, port);

// C checks every call's return value for -1 and calls perror(); .NET throws a SocketException instead.
// Its NativeErrorCode is errno, and Marshal.GetPInvokeErrorMessage(errno) is strerror(errno).
// `step` names the call in progress, like the labels the seed passes to clean_exit().
string step = "socket";
try
{
    // open socket: socket(AF_INET, SOCK_STREAM, 0). `using` closes it when the program ends.
    using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    // allow reusable port after disconnect or termination of server:
    // setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one). Without it a restarted server can fail
    // with "Address already in use" while old connections sit in TIME_WAIT.
    // The seed ORs SO_REUSEPORT into the option name, which is not how setsockopt works; and SO_REUSEPORT
    // would let a second server share the port, hiding the mistake of starting it twice. Careful: .NET's
    // SetSocketOption(..., SocketOptionName.ReuseAddress, true) sets SO_REUSEPORT too on Linux, so we make
    // the raw call with the numbers from <sys/socket.h>. Windows' SO_REUSEADDR means "let me steal a port
    // in use", so we leave it alone there.
    step = "setsockopt";
    byte[] one = BitConverter.GetBytes(1);
    if (OperatingSystem.IsLinux())
        server.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, one);
    else if (!OperatingSystem.IsWindows())
        server.SetRawSocketOption(0xffff /* SOL_SOCKET */, 0x4 /* SO_REUSEADDR */, one); // macOS, BSDs

    // bind socket to any address on the machine and port
    step = "bind";
    server.Bind(serverAddress);

    // listen on the socket, with up to 5 connections waiting to be accepted (the backlog)
    step = "listen";
    server.Listen(5);

    // LocalEndPoint is getsockname(): the address really bound, so port 0 shows the port the kernel chose.
    Console.WriteLine($"SERVER AT {server.LocalEndPoint} LISTENING FOR CONNECTIONS");

    // accept connections forever
    byte[] clientMessage = new byte[1024];
    byte[] serverMessage = Encoding.UTF8.GetBytes("I'm a grumpy server, don't connect, I don't want no friends!\n");
    while (true)
    {
        // accept() blocks until a client connects; it returns a NEW socket for talking to that client
        // (the listening socket keeps listening) and fills in the client's address.
        step = "accept";
        using Socket client = server.Accept();
        var clientAddress = (IPEndPoint)client.RemoteEndPoint!;
        Console.WriteLine($"RECEIVED CONNECTION FROM {clientAddress.Address}:{clientAddress.Port}");

        // A client that fails halfway (e.g. resets the connection) is that client's problem, not the
        // server's: report it and carry on. (The seed ignores read()'s and write()'s results, and writing
        // to a reset connection would kill it with SIGPIPE; .NET never raises SIGPIPE.)
        try
        {
            // read(client_fd, buf, 1024): ONE read, as in the seed. It returns what has arrived so far,
            // which for a short line is usually all of it; TCP is a byte stream with no message edges, so a
            // real server reads until the newline (see MessageReader.cs). 0 means the client closed.
            step = "read";
            int received = client.Receive(clientMessage);
            string text = Encoding.UTF8.GetString(clientMessage, 0, received).TrimEnd('\r', '\n');
            Console.WriteLine($"{clientAddress.Address} said: {text}");

            // write(client_fd, msg, len). On a blocking socket Send returns once every byte is handed to the
            // kernel, like Python's sendall().
            step = "write";
            client.Send(serverMessage);
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"[Server {step} error]: {Marshal.GetPInvokeErrorMessage(e.NativeErrorCode)}");
        }

        // close client: `using` closes it here, at the end of each pass, even if the exchange failed.
        // (Closing with unread input makes TCP send a reset; the production server drains input first.)
    }
}
catch (SocketException e)
{
    // perror(label): the label, then strerror(errno): "[Server bind error]: Address already in use".
    // Then exit(EXIT_FAILURE), which is 1.
    Console.Error.WriteLine($"[Server {step} error]: {Marshal.GetPInvokeErrorMessage(e.NativeErrorCode)}");
    return 1;
}
