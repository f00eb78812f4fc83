using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Sockit.Access;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Addresses;

/// <summary>
/// <c>udp-listen</c> as a first address: one bound socket whose every peer (source address) is a session with a
/// second address of its own, as socat's <c>udp-listen,fork</c>: the peer's datagrams are written to it, each of its
/// reads goes back to that peer as one datagram. A session ends when it has been idle too long, or when its far end
/// has closed and the linger has passed. Without <c>fork</c> only the first peer is served and the relay ends with it.
/// </summary>
internal sealed class DatagramSessions : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SocketCalls _calls;
    private readonly AddressSpec _first, _second;
    private readonly AddressRelayOptions _options;
    private readonly Action<EndPoint, AccessDecision>? _onRefused;
    private readonly ConcurrentDictionary<EndPoint, DatagramSession> _sessions = new();
    private readonly ConcurrentDictionary<DatagramSession, Task<RelayResult?>> _running = new();
    private readonly int _maxSessions;
    private int _closed, _capTold;
    private long _refused;

    private DatagramSessions(Socket socket, SocketCalls calls, AddressSpec first, AddressSpec second, AddressRelayOptions options, string displayName)
    {
        _socket = socket;
        _calls = calls;
        _first = first;
        _second = second;
        _options = options;
        _onRefused = AccessText.RefusalLog(options.OnRefused, options.Log);
        DisplayName = displayName;
        LocalEndPoint = socket.LocalEndPoint!;
        _maxSessions = first.Options.MaxConns ?? options.MaxConnections;
    }

    public EndPoint LocalEndPoint { get; }

    public string DisplayName { get; }

    internal Socket Socket => _socket;

    internal SocketCalls Calls => _calls;

    internal AddressRelayOptions Options => _options;

    public static DatagramSessions Bind(AddressSpec first, AddressSpec second, AddressRelayOptions options)
    {
        var calls = SocketCalls.For(options.Trace);
        EndpointSpec endpoint = first.ToEndpoint()!;
        Socket socket = SocketFactory.Bind(endpoint, backlog: 0, calls);
        return new DatagramSessions(socket, calls, first, second, options, SocketFactory.DisplayName(endpoint, socket) + " (UDP)");
    }

    /// <summary>Receives until stopped (or, without fork, until the one session ends); returns that session's result.</summary>
    public async Task<RelayResult?> RunAsync(CancellationToken stop)
    {
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(stop);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        // recvfrom needs an address of the socket's family to fill in; the bound one serves as that template.
        EndPoint anySender = _socket.LocalEndPoint!;
        DatagramSession? only = null;
        try
        {
            while (!receiving.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await _calls.ReceiveFromAsync(_socket, buffer, anySender, receiving.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (receiving.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
                {
                    continue; // an ICMP error for a datagram we sent a peer: it concerns that peer only
                }
                EndPoint peer = received.RemoteEndPoint;
                if (!_sessions.TryGetValue(peer, out DatagramSession? session))
                {
                    if (_options.Access is { IsOpen: false } access && !access.Admits(peer, _onRefused)) continue;
                    if (only is not null) continue; // without fork, socat's socket is connected to its first peer: others go unheard
                    session = StartSession(peer, stop);
                    if (session is null) continue;
                    if (!_first.Options.Fork)
                    {
                        only = session;
                        _ = _running[session].ContinueWith(_ => StopReceiving(receiving), CancellationToken.None,
                            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }
                }
                session.Offer(buffer.AsSpan(0, received.ReceivedBytes));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        await Task.WhenAll(_running.Values).ConfigureAwait(false);
        TellRefused();
        return only is null ? null : await _running.GetValueOrDefault(only, Task.FromResult<RelayResult?>(null)).ConfigureAwait(false);
    }

    // The one session may end after a stop has already ended (and disposed) the receive loop's source.
    private static void StopReceiving(CancellationTokenSource receiving)
    {
        try
        {
            receiving.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private DatagramSession? StartSession(EndPoint peer, CancellationToken stop)
    {
        if (_sessions.Count >= _maxSessions)
        {
            Interlocked.Increment(ref _refused);
            if (Interlocked.Exchange(ref _capTold, 1) == 0)
                _options.Log?.Invoke($"Datagrams from {SocketNames.EndPoint(peer)} dropped: {_maxSessions} sessions already (max-conns)");
            return null;
        }
        var session = new DatagramSession(this, peer);
        _sessions[peer] = session;
        _running[session] = RunSessionAsync(session, stop);
        return session;
    }

    private async Task<RelayResult?> RunSessionAsync(DatagramSession session, CancellationToken stop)
    {
        await Task.Yield(); // off the receive loop
        try
        {
            return await session.RunAsync(_second, stop).ConfigureAwait(false);
        }
        finally
        {
            _sessions.TryRemove(new KeyValuePair<EndPoint, DatagramSession>(session.Peer, session));
            Volatile.Write(ref _capTold, 0);
            if (_first.Options.Fork) _running.TryRemove(session, out _);
        }
    }

    private void TellRefused()
    {
        long refused = Interlocked.Read(ref _refused);
        if (refused > 0) _options.Log?.Invoke($"{refused} datagrams from new peers dropped at the session cap");
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0) _calls.Close(_socket);
        return ValueTask.CompletedTask;
    }
}
