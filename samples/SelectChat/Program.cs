// The grumpy server's friendly twin: a chat server that serves MANY clients with ONE thread, using select()
// (the seed's "gethostbyaddr(...), gethostbyname(...), select(...) etc"). Ask it "Hello server, would you
// like to chat?" and it says yes; every line a client types goes to every other client, with its name.
//
//   SelectChat PORT [--trace]      then, in other terminals: nc 127.0.0.1 PORT
//
// Why select: the seed's server blocks in accept() or read() on one client while the others wait. select()
// blocks on ALL the sockets at once and returns the ones that are ready, so a single loop can serve them
// all without threads. --trace prints each socket call on stderr, in the style of `sockit ... --trace`.
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

const string Hello = "Hello server, would you like to chat?";

if (args is not ([_] or [_, "--trace"]) || !int.TryParse(args[0], out int port) || port < 0 || port > IPEndPoint.MaxPort)
{
    Console.Error.WriteLine("[Usage]: SelectChat PORT [--trace]");
    return 1;
}
bool tracing = args.Length == 2;

// The same listening socket as the grumpy server: socket, SO_REUSEADDR, bind, listen.
using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
Trace($"socket(AF_INET, SOCK_STREAM, 0) = {Fd(listener)}");
string step = "setsockopt";
try
{
    // Plain SO_REUSEADDR, for the reason samples/GrumpyServer gives.
    if (OperatingSystem.IsLinux()) listener.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
    step = "bind";
    listener.Bind(new IPEndPoint(IPAddress.Any, port));
    Trace($"bind({Fd(listener)}, 0.0.0.0:{port}) = 0");
    step = "listen";
    listener.Listen(5);
    Trace($"listen({Fd(listener)}, 5) = 0");
}
catch (SocketException e)
{
    Console.Error.WriteLine($"[Server {step} error]: {Marshal.GetPInvokeErrorMessage(e.NativeErrorCode)}");
    return 1;
}
Console.WriteLine($"CHAT SERVER AT {listener.LocalEndPoint} LISTENING FOR CONNECTIONS");

var clients = new List<Client>();
var ready = new List<Socket>();
var gone = new List<Client>();
byte[] chunk = new byte[1024];
int guests = 0;

while (true)
{
    // select(nfds, &readfds, NULL, NULL, NULL): wait until the listener has a connection to accept or some
    // client has bytes (or its close) to read. Like an fd_set, the list is overwritten with the ready ones,
    // so it is filled afresh every time round (C code does FD_ZERO and FD_SET each time for the same reason).
    // .NET implements Socket.Select with poll() on Linux, so the FD_SETSIZE limit of 1024 fds does not apply.
    ready.Clear();
    ready.Add(listener);
    foreach (Client c in clients) ready.Add(c.Socket);
    string watched = Fds(ready);
    Socket.Select(ready, null, null, -1);
    Trace($"select([{watched}]) = {ready.Count}: [{Fds(ready)}]");

    foreach (Socket socket in ready)
    {
        if (socket == listener)
            Accept();
        else
            Receive(clients.First(c => c.Socket == socket));
    }

    // Clients that closed, or whose socket failed, leave after the pass, so the lists are not changed while
    // they are being walked.
    // A send that fails while someone leaves adds to the list, hence the index.
    for (int i = 0; i < gone.Count; i++) Leave(gone[i]);
    gone.Clear();
}

void Accept()
{
    // select said the listener is readable: a connection is waiting, so accept() will not block.
    Socket socket = listener.Accept();
    var client = new Client(socket, $"guest{++guests}", (IPEndPoint)socket.RemoteEndPoint!);
    Trace($"accept({Fd(listener)}) = {Fd(socket)} ({client.Address})");
    Console.WriteLine($"{client.Name} joined from {client.Address}");

    string others = clients.Count == 0 ? "nobody yet" : string.Join(", ", clients.Select(c => c.Name));
    Send(client, $"Welcome to the chat, {client.Name}! Here: {others}.");
    Broadcast(client, $"* {client.Name} joined");
    clients.Add(client);
}

void Receive(Client client)
{
    // select said this socket is readable, so recv() returns at once: with bytes, with 0 (the client
    // closed), or with an error (the connection was reset).
    if (gone.Contains(client)) return;
    int received;
    try
    {
        received = client.Socket.Receive(chunk);
    }
    catch (SocketException e)
    {
        Trace($"recv({Fd(client.Socket)}, {chunk.Length}) = -1 {e.SocketErrorCode}");
        Drop(client);
        return;
    }
    Trace($"recv({Fd(client.Socket)}, {chunk.Length}) = {received}");
    if (received == 0)
    {
        Drop(client);
        return;
    }

    // TCP is a byte stream: one recv may hold half a line, or three lines. Collect the bytes and act on
    // whole lines only. A line longer than the buffer is passed on in buffer-sized pieces: nothing is lost,
    // and a client that never sends a newline cannot make the server's memory grow.
    for (int i = 0; i < received; i++)
    {
        if (chunk[i] == (byte)'\n' || client.Count == client.Pending.Length)
        {
            Said(client, Encoding.UTF8.GetString(client.Pending, 0, client.Count).TrimEnd('\r'));
            client.Count = 0;
            if (chunk[i] == (byte)'\n') continue;
        }
        client.Pending[client.Count++] = chunk[i];
    }
}

void Said(Client client, string line)
{
    if (line.Length == 0) return;
    Console.WriteLine($"{client.Name} said: {line}");
    if (line == Hello) Send(client, $"Yes, {client.Name}, I would like to chat! Everyone here reads what you type.");
    Broadcast(client, $"{client.Name}: {line}");
}

void Leave(Client client)
{
    long fd = Fd(client.Socket);
    client.Socket.Close();
    Trace($"close({fd}) = 0");
    clients.Remove(client);
    Console.WriteLine($"{client.Name} left");
    Broadcast(client, $"* {client.Name} left");
}

void Broadcast(Client from, string line)
{
    foreach (Client c in clients)
        if (c != from && !gone.Contains(c)) Send(c, line);
}

void Send(Client to, string line)
{
    // A blocking send() waits while the client's receive buffer is full, and with one thread everyone waits
    // with it. Fine for a classroom chat; a production server keeps a queue per client and adds the sockets
    // with queued bytes to select()'s write set (the second list), sending only when they are writable.
    byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
    try
    {
        int sent = to.Socket.Send(bytes);
        Trace($"send({Fd(to.Socket)}, {bytes.Length}) = {sent}");
    }
    catch (SocketException e)
    {
        Trace($"send({Fd(to.Socket)}, {bytes.Length}) = -1 {e.SocketErrorCode}");
        Drop(to);
    }
}

void Drop(Client client)
{
    if (!gone.Contains(client)) gone.Add(client);
}

void Trace(string line)
{
    if (tracing) Console.Error.WriteLine(line);
}

// On Linux and macOS a Socket's Handle is its file descriptor, the number C code passes around.
static long Fd(Socket socket) => socket.Handle.ToInt64();

static string Fds(List<Socket> sockets) => string.Join(", ", sockets.Select(Fd));

/// <summary>One connected client: its socket, its chat name, and the bytes of the line it is typing.</summary>
internal sealed class Client(Socket socket, string name, IPEndPoint address)
{
    public Socket Socket { get; } = socket;

    public string Name { get; } = name;

    public IPEndPoint Address { get; } = address;

    public byte[] Pending { get; } = new byte[4096];

    public int Count { get; set; }
}
