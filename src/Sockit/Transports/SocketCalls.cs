using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;

namespace Sockit.Transports;

/// <summary>
/// Every socket call Sockit makes goes through here, so that <c>--trace</c> shows the real sequence this
/// process performs (socket, setsockopt, bind, listen, accept, connect, recv, send, shutdown, close).
/// With no trace each method is a direct call plus one null check.
/// </summary>
internal sealed class SocketCalls(SocketTrace? trace)
{
    private const int LinuxSolSocket = 1, LinuxReuseAddr = 2, BsdSolSocket = 0xffff, BsdReuseAddr = 0x4;

    /// <summary>Calls without tracing.</summary>
    public static readonly SocketCalls Untraced = new(null);

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
    {
        string call = trace is null ? "bind(" : $"bind({Fd(socket)}, {SocketNames.EndPoint(endPoint)})";
        try
        {
            socket.Bind(endPoint);
            trace?.Write(call + " = 0");
        }
        catch (SocketException e)
        {
            Fail(call, e);
            throw;
        }
    }

    public void Listen(Socket socket, int backlog)
    {
        string call = trace is null ? "listen(" : $"listen({Fd(socket)}, {backlog})";
        try
        {
            socket.Listen(backlog);
            trace?.Write(call + " = 0");
        }
        catch (SocketException e)
        {
            Fail(call, e);
            throw;
        }
    }

    public async ValueTask<Socket> AcceptAsync(Socket listener, CancellationToken cancel)
    {
        if (trace is null) return await listener.AcceptAsync(cancel).ConfigureAwait(false);
        string call = $"accept({Fd(listener)})";
        try
        {
            Socket accepted = await listener.AcceptAsync(cancel).ConfigureAwait(false);
            trace.Write($"{call} = {Fd(accepted)} ({SocketNames.EndPoint(accepted.RemoteEndPoint)})");
            return accepted;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Fail(call, e);
            throw;
        }
    }

    public async ValueTask ConnectAsync(Socket socket, EndPoint remote, CancellationToken cancel)
    {
        string call = trace is null ? "connect(" : $"connect({Fd(socket)}, {SocketNames.EndPoint(remote)})";
        try
        {
            await socket.ConnectAsync(remote, cancel).ConfigureAwait(false);
            trace?.Write(call + " = 0");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Fail(call, e);
            throw;
        }
    }

    public ValueTask<int> ReceiveAsync(Socket socket, Memory<byte> buffer, CancellationToken cancel)
    {
        if (trace is null) return socket.ReceiveAsync(buffer, SocketFlags.None, cancel);
        return TracedReceiveAsync(socket, buffer, cancel);
    }

    private async ValueTask<int> TracedReceiveAsync(Socket socket, Memory<byte> buffer, CancellationToken cancel)
    {
        string call = $"recv({Fd(socket)}, {buffer.Length})";
        try
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel).ConfigureAwait(false);
            trace!.Write($"{call} = {n}");
            return n;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Fail(call, e);
            throw;
        }
    }

    /// <summary>Sends the whole buffer (.NET loops over partial sends for stream sockets).</summary>
    public ValueTask<int> SendAsync(Socket socket, ReadOnlyMemory<byte> buffer, CancellationToken cancel)
    {
        if (trace is null) return socket.SendAsync(buffer, SocketFlags.None, cancel);
        return TracedSendAsync(socket, buffer, cancel);
    }

    private async ValueTask<int> TracedSendAsync(Socket socket, ReadOnlyMemory<byte> buffer, CancellationToken cancel)
    {
        string call = $"send({Fd(socket)}, {buffer.Length})";
        try
        {
            int n = await socket.SendAsync(buffer, SocketFlags.None, cancel).ConfigureAwait(false);
            trace!.Write($"{call} = {n}");
            return n;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Fail(call, e);
            throw;
        }
    }

    public async ValueTask<SocketReceiveFromResult> ReceiveFromAsync(Socket socket, Memory<byte> buffer, EndPoint any, CancellationToken cancel)
    {
        string call = trace is null ? "recvfrom(" : $"recvfrom({Fd(socket)}, {buffer.Length})";
        try
        {
            var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancel).ConfigureAwait(false);
            trace?.Write($"{call} = {result.ReceivedBytes} ({SocketNames.EndPoint(result.RemoteEndPoint)})");
            return result;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Fail(call, e);
            throw;
        }
    }

    public async ValueTask<int> SendToAsync(Socket socket, ReadOnlyMemory<byte> buffer, EndPoint remote, CancellationToken cancel)
    {
        string call = trace is null ? "sendto(" : $"sendto({Fd(socket)}, {buffer.Length}, {SocketNames.EndPoint(remote)})";
        try
        {
            int n = await socket.SendToAsync(buffer, SocketFlags.None, remote, cancel).ConfigureAwait(false);
            trace?.Write($"{call} = {n}");
            return n;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Fail(call, e);
            throw;
        }
    }

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
    {
        string call = trace is null ? "getaddrinfo(" : $"getaddrinfo(\"{host}\", {SocketNames.Family(family)})";
        try
        {
            IPAddress[] addresses = await Dns.GetHostAddressesAsync(host, family, cancel).ConfigureAwait(false);
            trace?.Write($"{call} = {string.Join(", ", addresses.Select(a => a.ToString()))}");
            return addresses;
        }
        catch (SocketException e)
        {
            Fail(call, e);
            throw;
        }
    }

    /// <summary>
    /// Forward lookup with the canonical name (getaddrinfo with AI_CANONNAME), every address of
    /// <paramref name="family"/> (AF_UNSPEC for both) in resolver order.
    /// </summary>
    public async Task<IPHostEntry> GetHostEntryAsync(string host, AddressFamily family, CancellationToken cancel)
    {
        string call = trace is null ? "getaddrinfo(" : $"getaddrinfo(\"{host}\", {SocketNames.Family(family)}, AI_CANONNAME)";
        try
        {
            IPHostEntry entry = await Dns.GetHostEntryAsync(host, family, cancel).ConfigureAwait(false);
            if (trace is not null)
            {
                // For this machine's own name .NET also adds every interface address (getifaddrs); say so.
                string own = string.Equals(host, Dns.GetHostName(), StringComparison.OrdinalIgnoreCase) ? " (+ interface addresses from getifaddrs, which .NET adds for the machine's own name)" : "";
                trace.Write($"{call} = \"{entry.HostName}\": {string.Join(", ", entry.AddressList.Select(a => a.ToString()))}{own}");
            }
            return entry;
        }
        catch (SocketException e)
        {
            Fail(call, e);
            throw;
        }
    }

    /// <summary>
    /// Reverse lookup (getnameinfo with NI_NAMEREQD: a name or an error, never the number back).
    /// .NET then resolves that name forward inside the same call to fill in the entry's addresses.
    /// </summary>
    public async Task<IPHostEntry> GetNameInfoAsync(IPAddress address, CancellationToken cancel)
    {
        string call = trace is null ? "getnameinfo(" : $"getnameinfo({address}, NI_NAMEREQD)";
        try
        {
            IPHostEntry entry = await Dns.GetHostEntryAsync(address).WaitAsync(cancel).ConfigureAwait(false);
            trace?.Write($"{call} = \"{entry.HostName}\"");
            return entry;
        }
        catch (SocketException e)
        {
            Fail(call, e);
            throw;
        }
    }

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
            // The resolver functions return an EAI_* code rather than -1 and errno.
            trace.Write($"{call} = {(e is SocketException r ? SocketNames.ResolverError(r.SocketErrorCode) : "EAI_SYSTEM")}");
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
