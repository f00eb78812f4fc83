using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;

namespace Sockit.Transports;

// The calls of the one-shot clients (BlockingConnector, GrumpyOneShot): each waits in the kernel on the caller's
// thread, bounded by a kernel timeout (SO_SNDTIMEO for connect, SO_RCVTIMEO for recv), so no socket event loop,
// thread-pool thread or timer ever starts. They only block in the kernel on a socket never used asynchronously:
// after one asynchronous call the runtime keeps the descriptor non-blocking and emulates blocking calls through its
// event loop. Setting the timeouts is not traced, as the descriptor flags and event registrations of the
// asynchronous calls are not: the trace shows the calls the seed's programs make.
internal sealed partial class SocketCalls
{
    // How much earlier than its window a connect may report TimedOut and still be the window's EINPROGRESS (the
    // kernel rounds SO_SNDTIMEO up to whole ticks, so in practice it is never early).
    private static readonly TimeSpan WindowSlack = TimeSpan.FromMilliseconds(10);

    /// <summary>getaddrinfo on the caller's thread, traced as <see cref="ResolveAsync"/> is.</summary>
    public IPAddress[] Resolve(string host, AddressFamily family)
    {
        string call = ResolveCall(host, family);
        try
        {
            IPAddress[] addresses = Dns.GetHostAddresses(host, family);
            trace?.Write($"{call} = {AddressList(addresses)}");
            return addresses;
        }
        catch (SocketException e)
        {
            Fail(call, e);
            throw;
        }
    }

    /// <summary>
    /// Blocking connect(2), bounded by SO_SNDTIMEO when <paramref name="window"/> is given (Linux applies the send
    /// timeout to connect). True when connected; false when the window closed first: the kernel then returned
    /// EINPROGRESS and goes on connecting, and <see cref="PendingConnectError"/> tells the end once the socket polls
    /// writable. The send timeout is left set; the caller clears it with <see cref="ClearSendTimeout"/>.
    /// </summary>
    public bool ConnectWithin(Socket socket, EndPoint remote, TimeSpan? window)
    {
        string call = trace is null ? "connect(" : $"connect({Fd(socket)}, {SocketNames.EndPoint(remote)})";
        if (window is not null) socket.SendTimeout = KernelMilliseconds(window.Value);
        long started = Stopwatch.GetTimestamp();
        try
        {
            socket.Connect(remote);
            trace?.Write(call + " = 0");
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut && window is { } w
                                        && Stopwatch.GetElapsedTime(started) >= w - WindowSlack)
        {
            // The runtime reports an expired SO_SNDTIMEO (EINPROGRESS) as TimedOut, as it does the kernel's own
            // ETIMEDOUT (SYN retries exhausted, minutes later): only the time taken tells them apart.
            trace?.Write(call + " = -1 EINPROGRESS");
            return false;
        }
        catch (SocketException e)
        {
            Fail(call, e);
            throw;
        }
    }

    /// <summary>
    /// How a connect that <see cref="ConnectWithin"/> left in progress ended, once the socket polls writable
    /// (getsockopt SO_ERROR): null when it connected, else the error, tagged as the connect's.
    /// </summary>
    public SocketException? PendingConnectError(Socket socket, EndPoint remote)
    {
        // The runtime hands SO_ERROR back already translated from errno to a SocketError.
        var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        string result = error == SocketError.Success ? "0" : SocketNames.Errno(error);
        trace?.Write($"getsockopt({Fd(socket)}, SOL_SOCKET, SO_ERROR) = 0 (connect to {SocketNames.EndPoint(remote)}: {result})");
        if (error == SocketError.Success) return null;
        var failure = new SocketException((int)error);
        failure.Data[FailedCallKey] = "connect";
        return failure;
    }

    /// <summary>Takes the connect's send timeout off again, so sends wait as long as they need (as the asynchronous path's do).</summary>
    public static void ClearSendTimeout(Socket socket) => socket.SendTimeout = 0;

    /// <summary>
    /// Blocking recv(2) bounded by SO_RCVTIMEO (no bound when <paramref name="timeout"/> is null): the byte count
    /// (0 at end of stream), or -1 when the timeout passed with nothing received (traced as the EAGAIN it is).
    /// </summary>
    public int ReceiveWithin(Socket socket, Span<byte> buffer, TimeSpan? timeout)
    {
        socket.ReceiveTimeout = timeout is null ? 0 : KernelMilliseconds(timeout.Value);
        string? call = trace is null ? null : $"recv({Fd(socket)}, {buffer.Length})";
        try
        {
            int n = socket.Receive(buffer, SocketFlags.None);
            if (call is not null) trace!.Write($"{call} = {n}");
            return n;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            if (call is not null) trace!.Write($"{call} = -1 EAGAIN");
            return -1;
        }
        catch (SocketException e) when (call is not null)
        {
            // Untraced, the error is left untagged, as the asynchronous receive's is.
            Fail(call, e);
            throw;
        }
    }

    // SO_SNDTIMEO/SO_RCVTIMEO in whole milliseconds, rounded up: 0 would mean "no limit".
    private static int KernelMilliseconds(TimeSpan timeout)
        => (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 1, int.MaxValue);
}
