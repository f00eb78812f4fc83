using System.Net;
using System.Net.Sockets;
using Sockit.Connections;
using Sockit.Relay;
using Sockit.Endpoints;

namespace Sockit.Transports;

/// <summary>
/// The one way Sockit connects: resolve, then race the addresses (Happy Eyeballs, RFC 8305), binding a source
/// address first when asked, all within one timeout. Every client (connect, cat, relay's far end, grumpy) comes here.
/// </summary>
/// <example>
/// <code>
/// await using DuplexEnd server = await StreamConnector.ConnectAsync(EndpointSpec.Ip("localhost", 10001),
///     new ConnectOptions { Timeout = TimeSpan.FromSeconds(5) });
/// </code>
/// </example>
public static class StreamConnector
{
    /// <summary>Connects a stream (TCP or Unix SOCK_STREAM) to <paramref name="remote"/>.</summary>
    /// <exception cref="SocketException">No address answered (the last attempt's error), or the name did not resolve.</exception>
    /// <exception cref="TimeoutException">Nothing connected within <see cref="ConnectOptions.Timeout"/>.</exception>
    /// <exception cref="FormatException">The host, source address or Unix path is not usable.</exception>
    public static async Task<DuplexEnd> ConnectAsync(EndpointSpec remote, ConnectOptions? options = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(remote);
        options ??= new ConnectOptions();
        var calls = SocketCalls.For(options.Trace);
        Socket socket = await ConnectSocketAsync(remote with { Type = SocketType.Stream }, options, calls, cancel).ConfigureAwait(false);
        return new SocketEnd(socket, calls);
    }

    /// <summary>
    /// Connects a socket of <paramref name="remote"/>'s type. For a datagram socket connect only fixes the peer:
    /// sends go there, only its datagrams are received, and an ICMP "port unreachable" comes back as ECONNREFUSED.
    /// A Unix datagram client first binds an address of its own (see <see cref="UnixSocketPath.ClientEndPoint"/>).
    /// </summary>
    internal static async Task<Socket> ConnectSocketAsync(EndpointSpec remote, ConnectOptions options, SocketCalls calls, CancellationToken cancel)
    {
        using var limit = options.Timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit?.CancelAfter(options.Timeout!.Value);
        CancellationToken token = limit?.Token ?? cancel;
        try
        {
            // A Unix client's own socket file (nc -U -s PATH) left by an earlier run is replaced (.NET unlinks it on close).
            if (options.LocalEndPoint?.UnixPath is { } ownPath) UnixSocketPath.ClearStale(ownPath, calls);
            IReadOnlyList<EndPoint> targets = await SocketFactory.ResolveAsync(remote, calls, token, options.Resolver).ConfigureAwait(false);
            targets = AttemptOrder(targets, options.LocalEndPoint);
            return await HappyEyeballs.RaceAsync(targets, options.AttemptDelay,
                (target, attemptCancel) => SocketFactory.ConnectOneAsync(target, remote.Type, calls, attemptCancel, options.LocalEndPoint),
                calls.Close, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit is not null && !cancel.IsCancellationRequested)
        {
            throw NoAnswer(remote, options.Timeout!.Value);
        }
    }

    /// <summary>The resolved targets in Happy Eyeballs order, only those of the source address's family when one is bound.</summary>
    internal static IReadOnlyList<EndPoint> AttemptOrder(IReadOnlyList<EndPoint> targets, EndpointSpec? source)
        => HappyEyeballs.Interleave(OfSourceFamily(targets, source));

    /// <summary>The error when nothing connected within the timeout.</summary>
    internal static TimeoutException NoAnswer(EndpointSpec remote, TimeSpan timeout)
        => new($"no answer from {remote} within {timeout.TotalSeconds:0.###} s");

    // A source address pins the family: targets of the other family could never be reached from it.
    private static IReadOnlyList<EndPoint> OfSourceFamily(IReadOnlyList<EndPoint> targets, EndpointSpec? source)
    {
        if (source?.Host is not { } host || !IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address)) return targets;
        EndPoint[] matching = targets.Where(t => t.AddressFamily == address.AddressFamily).ToArray();
        // None left: try them all anyway, so the user sees why (the source family error) rather than "no address".
        return matching.Length > 0 ? matching : targets;
    }
}
