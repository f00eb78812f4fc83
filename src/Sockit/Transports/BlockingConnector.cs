using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Sockit.Endpoints;

namespace Sockit.Transports;

/// <summary>
/// <see cref="StreamConnector"/>'s blocking twin for one-shot programs: the same resolve-then-race (RFC 8305) within
/// one timeout, done with blocking calls on the caller's thread and kernel timeouts, so it starts no thread, timer or
/// socket event loop, and the socket it returns stays blocking for the sends and receives that follow. Linux only:
/// elsewhere a blocking connect need not honour SO_SNDTIMEO.
/// </summary>
/// <remarks>
/// Each attempt's connect is bounded by the attempt delay (the last one's by what is left of the timeout). One that
/// has not finished by then goes on in the kernel while the next starts; attempts left in progress are polled after
/// every attempt and, once all have started, until the deadline. The first to connect wins and the rest are closed.
/// Unlike the asynchronous race, an earlier attempt that connects while a later one is blocked in connect is noticed
/// when that call returns, at most one attempt delay later. A name lookup cannot be interrupted: one that outlasts
/// the timeout ends in the same error, only when getaddrinfo returns.
/// </remarks>
internal static class BlockingConnector
{
    /// <summary>Connects a stream socket to <paramref name="remote"/>; the errors are <see cref="StreamConnector.ConnectAsync"/>'s.</summary>
    public static Socket Connect(EndpointSpec remote, ConnectOptions options, SocketCalls calls)
    {
        remote = remote with { Type = SocketType.Stream };
        long started = Stopwatch.GetTimestamp();
        if (options.LocalEndPoint?.UnixPath is { } ownPath) UnixSocketPath.ClearStale(ownPath, calls);
        IReadOnlyList<EndPoint> targets = StreamConnector.AttemptOrder(SocketFactory.Resolve(remote, calls, options.Resolver), options.LocalEndPoint);

        var pending = new List<(Socket Socket, EndPoint Target)>();
        Socket? won = null;
        Exception? last = null;
        try
        {
            for (int i = 0; i < targets.Count && won is null; i++)
            {
                TimeSpan? left = Left(remote, options.Timeout, started);
                TimeSpan? window = i == targets.Count - 1 ? left
                    : left is { } l && l < options.AttemptDelay ? l : options.AttemptDelay;
                Socket socket = SocketFactory.OpenForConnect(targets[i], SocketType.Stream, calls, options.LocalEndPoint);
                try
                {
                    if (calls.ConnectWithin(socket, targets[i], window)) won = socket;
                    else pending.Add((socket, targets[i]));
                }
                catch (SocketException e)
                {
                    calls.Close(socket);
                    last = e;
                }
                won ??= FirstConnected(pending, TimeSpan.Zero, calls, ref last);
            }
            while (won is null && pending.Count > 0)
                won = FirstConnected(pending, Left(remote, options.Timeout, started), calls, ref last);
            if (won is null) ExceptionDispatchInfo.Throw(last ?? new SocketException((int)SocketError.HostNotFound));
            if (options.Timeout is not null || targets.Count > 1) SocketCalls.ClearSendTimeout(won);
            return won;
        }
        finally
        {
            foreach ((Socket socket, _) in pending)
                if (socket != won) calls.Close(socket);
        }
    }

    // What is left of the timeout (null: none was given); the timeout's error once nothing is.
    private static TimeSpan? Left(EndpointSpec remote, TimeSpan? timeout, long started)
    {
        if (timeout is not { } limit) return null;
        TimeSpan left = limit - Stopwatch.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : throw StreamConnector.NoAnswer(remote, limit);
    }

    // Waits up to `wait` (null: no limit) for an attempt in progress to end (poll for writable). Returns the first that
    // connected, taken out of `pending`; the ones that failed are closed and taken out, the last error kept.
    private static Socket? FirstConnected(List<(Socket Socket, EndPoint Target)> pending, TimeSpan? wait, SocketCalls calls, ref Exception? last)
    {
        if (pending.Count == 0) return null;
        var ready = pending.ConvertAll(p => p.Socket);
        int microseconds = wait is { } w ? (int)Math.Min(Math.Ceiling(w.TotalMicroseconds), int.MaxValue) : -1;
        Socket.Select(null, ready, null, microseconds);
        foreach (Socket socket in ready)
        {
            int index = pending.FindIndex(p => p.Socket == socket);
            EndPoint target = pending[index].Target;
            pending.RemoveAt(index);
            if (calls.PendingConnectError(socket, target) is not { } error) return socket;
            calls.Close(socket);
            last = error;
        }
        return null;
    }
}
