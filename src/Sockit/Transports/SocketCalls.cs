using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;

namespace Sockit.Transports;

/// <summary>
/// Every socket call Sockit makes goes through here, so that <c>--trace</c> shows the real sequence this
/// process performs (socket, setsockopt, bind, listen, accept, connect, recv, send, shutdown, close).
/// With no trace each method is a direct call plus one null check.
/// </summary>
internal sealed partial class SocketCalls(SocketTrace? trace)
{
    private const int LinuxSolSocket = 1, LinuxReuseAddr = 2, BsdSolSocket = 0xffff, BsdReuseAddr = 0x4;

    /// <summary>Calls without tracing.</summary>
    public static readonly SocketCalls Untraced = new(null);

    /// <summary>Calls traced to <paramref name="trace"/>, or the shared untraced instance when it is null.</summary>
    public static SocketCalls For(SocketTrace? trace) => trace is null ? Untraced : new SocketCalls(trace);

    public bool Tracing => trace is not null;

    public Socket Create(AddressFamily family, SocketType type, ProtocolType protocol)
    {
        string call = $"socket({SocketNames.Family(family)}, {SocketNames.Type(type)}, {SocketNames.Protocol(protocol)})";
        try
        {
            var socket = new Socket(family, type, protocol);
            trace?.Write($"{call} = {Fd(socket)}");
            return socket;
        }
        catch (SocketException e)
        {
            Fail(call, e);
            throw;
        }
    }

    public void SetReuseAddress(Socket socket)
    {
        // .NET's ReuseAddress option sets SO_REUSEPORT too on Linux, which would let a second server bind a
        // port already in use. The seed wants plain SO_REUSEADDR (rebind while old connections sit in
        // TIME_WAIT), so set exactly that. Windows' SO_REUSEADDR means something else entirely: skip it there.
        if (OperatingSystem.IsWindows()) return;
        int optionName = OperatingSystem.IsLinux() ? LinuxReuseAddr : BsdReuseAddr;
        int level = OperatingSystem.IsLinux() ? LinuxSolSocket : BsdSolSocket;
        socket.SetRawSocketOption(level, optionName, BitConverter.GetBytes(1));
        trace?.Write($"setsockopt({Fd(socket)}, SOL_SOCKET, SO_REUSEADDR, 1) = 0");
    }

    public void SetV6Only(Socket socket, bool v6Only)
    {
        socket.DualMode = !v6Only;
        trace?.Write($"setsockopt({Fd(socket)}, IPPROTO_IPV6, IPV6_V6ONLY, {(v6Only ? 1 : 0)}) = 0");
    }

    public void Bind(Socket socket, EndPoint endPoint)
        => Call(trace is null ? "bind(" : $"bind({Fd(socket)}, {SocketNames.EndPoint(endPoint)})", () => socket.Bind(endPoint));

    public void Listen(Socket socket, int backlog)
        => Call(trace is null ? "listen(" : $"listen({Fd(socket)}, {backlog})", () => socket.Listen(backlog));

    /// <summary>One synchronous call that returns 0 on success: traced as <c>call = 0</c> or <c>call = -1 ERRNO</c>.</summary>
    private void Call(string call, Action operation)
    {
        try
        {
            operation();
            trace?.Write(call + " = 0");
        }
        catch (SocketException e)
        {
            Fail(call, e);
            throw;
        }
    }

    public ValueTask<Socket> AcceptAsync(Socket listener, CancellationToken cancel)
    {
        if (trace is null) return listener.AcceptAsync(cancel);
        return TracedAcceptAsync(listener, cancel);
    }

    // The traced paths live in methods of their own: a lambda capturing parameters makes the compiler allocate
    // its closure at the entry of the method that holds it, so in the untraced method it would cost an
    // allocation per call even though the lambda never runs.
    private ValueTask<Socket> TracedAcceptAsync(Socket listener, CancellationToken cancel)
        => CallAsync($"accept({Fd(listener)})", () => listener.AcceptAsync(cancel),
            accepted => $"{Fd(accepted)} ({SocketNames.EndPoint(accepted.RemoteEndPoint)})");

    public async ValueTask ConnectAsync(Socket socket, EndPoint remote, CancellationToken cancel)
        => await CallAsync(trace is null ? "connect(" : $"connect({Fd(socket)}, {SocketNames.EndPoint(remote)})",
            async () => { await socket.ConnectAsync(remote, cancel).ConfigureAwait(false); return 0; }, Number).ConfigureAwait(false);

    public ValueTask<int> ReceiveAsync(Socket socket, Memory<byte> buffer, CancellationToken cancel)
    {
        if (trace is null) return socket.ReceiveAsync(buffer, SocketFlags.None, cancel);
        return TracedReceiveAsync(socket, buffer, cancel);
    }

    private ValueTask<int> TracedReceiveAsync(Socket socket, Memory<byte> buffer, CancellationToken cancel)
        => CallAsync($"recv({Fd(socket)}, {buffer.Length})", () => socket.ReceiveAsync(buffer, SocketFlags.None, cancel), Number);

    /// <summary>Sends the whole buffer (.NET loops over partial sends for stream sockets).</summary>
    public ValueTask<int> SendAsync(Socket socket, ReadOnlyMemory<byte> buffer, CancellationToken cancel)
    {
        if (trace is null) return socket.SendAsync(buffer, SocketFlags.None, cancel);
        return TracedSendAsync(socket, buffer, cancel);
    }

    private ValueTask<int> TracedSendAsync(Socket socket, ReadOnlyMemory<byte> buffer, CancellationToken cancel)
        => CallAsync($"send({Fd(socket)}, {buffer.Length})", () => socket.SendAsync(buffer, SocketFlags.None, cancel), Number);

    public ValueTask<SocketReceiveFromResult> ReceiveFromAsync(Socket socket, Memory<byte> buffer, EndPoint any, CancellationToken cancel)
        => CallAsync(trace is null ? "recvfrom(" : $"recvfrom({Fd(socket)}, {buffer.Length})",
            () => socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancel),
            result => $"{result.ReceivedBytes} ({SocketNames.EndPoint(result.RemoteEndPoint)})");

    public ValueTask<int> SendToAsync(Socket socket, ReadOnlyMemory<byte> buffer, EndPoint remote, CancellationToken cancel)
        => CallAsync(trace is null ? "sendto(" : $"sendto({Fd(socket)}, {buffer.Length}, {SocketNames.EndPoint(remote)})",
            () => socket.SendToAsync(buffer, SocketFlags.None, remote, cancel), Number);

    /// <summary>Blocking recv(2): waits in the kernel (no event loop) when the socket has never been used asynchronously.</summary>
    public int Receive(Socket socket, Span<byte> buffer)
    {
        if (trace is null) return socket.Receive(buffer, SocketFlags.None);
        string call = $"recv({Fd(socket)}, {buffer.Length})";
        try
        {
            int n = socket.Receive(buffer, SocketFlags.None);
            trace.Write($"{call} = {n}");
            return n;
        }
        catch (SocketException e)
        {
            Fail(call, e);
            throw;
        }
    }

    /// <summary>Blocking send(2) of the whole buffer, looping over partial sends.</summary>
    public void SendAll(Socket socket, ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            string? call = trace is null ? null : $"send({Fd(socket)}, {buffer.Length})";
            try
            {
                int n = socket.Send(buffer, SocketFlags.None);
                if (call is not null) trace!.Write($"{call} = {n}");
                buffer = buffer[n..];
            }
            catch (SocketException e)
            {
                if (call is not null) Fail(call, e);
                throw;
            }
        }
    }

    /// <summary>shutdown(2); errors on an already-dead connection are ignored, as close would follow anyway.</summary>
    public void Shutdown(Socket socket, SocketShutdown how)
    {
        string name = how switch { SocketShutdown.Send => "SHUT_WR", SocketShutdown.Receive => "SHUT_RD", _ => "SHUT_RDWR" };
        try
        {
            socket.Shutdown(how);
            trace?.Write($"shutdown({Fd(socket)}, {name}) = 0");
        }
        catch (SocketException e)
        {
            Fail($"shutdown({Fd(socket)}, {name})", e);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Close(Socket socket)
    {
        if (trace is not null && !socket.SafeHandle.IsClosed)
            trace.Write($"close({Fd(socket)}) = 0");
        socket.Dispose();
    }

    /// <summary>Name lookup, shown as the getaddrinfo call it is.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, AddressFamily family, CancellationToken cancel)
        => await CallAsync(ResolveCall(host, family), () => new ValueTask<IPAddress[]>(Dns.GetHostAddressesAsync(host, family, cancel)),
            AddressList).ConfigureAwait(false);

    private string ResolveCall(string host, AddressFamily family)
        => trace is null ? "getaddrinfo(" : $"getaddrinfo(\"{host}\", {SocketNames.Family(family)})";

    private static string AddressList(IPAddress[] addresses) => string.Join(", ", addresses.Select(a => a.ToString()));

    /// <summary>
    /// Forward lookup with the canonical name (getaddrinfo with AI_CANONNAME), every address of
    /// <paramref name="family"/> (AF_UNSPEC for both) in resolver order.
    /// </summary>
    public async Task<IPHostEntry> GetHostEntryAsync(string host, AddressFamily family, CancellationToken cancel)
        => await CallAsync(trace is null ? "getaddrinfo(" : $"getaddrinfo(\"{host}\", {SocketNames.Family(family)}, AI_CANONNAME)",
            () => new ValueTask<IPHostEntry>(Dns.GetHostEntryAsync(host, family, cancel)),
            entry =>
            {
                // For this machine's own name .NET also adds every interface address (getifaddrs); say so.
                string own = string.Equals(host, Dns.GetHostName(), StringComparison.OrdinalIgnoreCase) ? " (+ interface addresses from getifaddrs, which .NET adds for the machine's own name)" : "";
                return $"\"{entry.HostName}\": {string.Join(", ", entry.AddressList.Select(a => a.ToString()))}{own}";
            }).ConfigureAwait(false);

    /// <summary>
    /// Reverse lookup (getnameinfo with NI_NAMEREQD: a name or an error, never the number back).
    /// .NET then resolves that name forward inside the same call to fill in the entry's addresses.
    /// </summary>
    public async Task<IPHostEntry> GetNameInfoAsync(IPAddress address, CancellationToken cancel)
        => await CallAsync(trace is null ? "getnameinfo(" : $"getnameinfo({address}, NI_NAMEREQD)",
            () => new ValueTask<IPHostEntry>(Dns.GetHostEntryAsync(address).WaitAsync(cancel)),
            entry => $"\"{entry.HostName}\"").ConfigureAwait(false);

    /// <summary>
    /// Runs one asynchronous call: on success traces <c>call = result</c>, on failure tags the exception with the
    /// call's name and traces <c>call = -1 ERRNO</c>. The untraced hot paths (recv, send, accept) never come here.
    /// </summary>
    private async ValueTask<T> CallAsync<T>(string call, Func<ValueTask<T>> operation, Func<T, string> describe)
    {
        try
        {
            T value = await operation().ConfigureAwait(false);
            trace?.Write($"{call} = {describe(value)}");
            return value;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Fail(call, e);
            throw;
        }
    }

    private static string Number(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Note(string line) => trace?.Write(line);

    /// <summary>The key under which a failed call's Berkeley name ("bind", "connect", ...) is left in Exception.Data.</summary>
    public const string FailedCallKey = "sockit.call";

    private void Fail(string call, Exception e)
    {
        // Tag the exception with the call that failed so the CLI can say "[Server bind error]" without
        // guessing; cheap, and only on the error path.
        if (call.Length > 0 && !e.Data.Contains(FailedCallKey))
            e.Data[FailedCallKey] = call[..call.IndexOf('(')];
        if (trace is null) return;
        if (call.StartsWith("getaddrinfo(", StringComparison.Ordinal) || call.StartsWith("getnameinfo(", StringComparison.Ordinal))
        {
            // The resolver functions return an EAI_* code rather than -1 and errno; a cancelled lookup returns none.
            if (e is not SocketException) return;
            trace.Write($"{call} = {SocketNames.ResolverError(((SocketException)e).SocketErrorCode)}");
            return;
        }
        string errno = e switch
        {
            // .NET folds EPERM into AccessDenied; the errno itself survives in NativeErrorCode on Linux.
            SocketException { SocketErrorCode: SocketError.AccessDenied, NativeErrorCode: 1 } when OperatingSystem.IsLinux() => "EPERM",
            SocketException s => SocketNames.Errno(s.SocketErrorCode),
            OperationCanceledException => "ECANCELED",
            _ => e.GetType().Name,
        };
        trace.Write($"{call} = -1 {errno}");
    }

    /// <summary>The file descriptor number, as the C programs would see it.</summary>
    private static long Fd(Socket socket)
        => socket.SafeHandle.IsClosed ? -1 : (long)socket.SafeHandle.DangerousGetHandle();
}
