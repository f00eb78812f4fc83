using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Proxies;

/// <summary>
/// Connects to a destination through an HTTP CONNECT, SOCKS4/4a or SOCKS5 proxy: <see cref="StreamConnector"/> to the
/// proxy, then the proxy's handshake; the result is a <see cref="DuplexEnd"/> to the destination, which any handler,
/// relay or TLS layer uses as a direct connection.
/// </summary>
/// <example>
/// <code>
/// var proxy = new ProxyClientOptions { Proxy = EndpointSpec.Ip("127.0.0.1", 1080), Kind = ProxyKind.Socks5 };
/// await using DuplexEnd end = await ProxyConnector.ConnectAsync(proxy, EndpointSpec.Ip("example.com", 80));
/// </code>
/// </example>
public static class ProxyConnector
{
    /// <summary>Connects through <paramref name="proxy"/> to <paramref name="target"/> (an IP endpoint; its family applies to local resolution).</summary>
    /// <param name="proxy">Which proxy, its protocol, credentials, and where names are resolved.</param>
    /// <param name="target">The destination.</param>
    /// <param name="options">How the proxy is reached; its <see cref="ConnectOptions.Timeout"/> bounds the handshake too.</param>
    /// <param name="cancel">Cancels the whole attempt.</param>
    /// <exception cref="ProxyException">The proxy is unreachable, refused, or broke its protocol (one line naming it).</exception>
    /// <exception cref="SocketException">The destination's name did not resolve locally (<see cref="ProxyDns.Local"/>).</exception>
    public static async Task<DuplexEnd> ConnectAsync(ProxyClientOptions proxy, EndpointSpec target, ConnectOptions? options = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(target);
        if (target.IsUnix || target.Host is null) throw new ArgumentException("a proxy connects to a host and port", nameof(target));
        options ??= new ConnectOptions();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (options.Timeout is { } timeout) limit.CancelAfter(timeout);

        ProxyTarget destination = await DestinationAsync(proxy, target, options, limit.Token).ConfigureAwait(false);
        DuplexEnd connection;
        try
        {
            connection = await StreamConnector.ConnectAsync(proxy.Proxy, options, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or TimeoutException or IOException && e is not ProxyException)
        {
            throw new ProxyException($"cannot reach proxy {proxy.DisplayName}: {SocketNames.Describe(e)}", null, e);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new ProxyException($"cannot reach proxy {proxy.DisplayName}: no answer within {options.Timeout!.Value.TotalSeconds:0.###} s");
        }
        try
        {
            var reader = new HandshakeReader(connection);
            await ProxyHandshake.RunAsync(proxy, destination, connection, reader, limit.Token).ConfigureAwait(false);
            return new ProxiedEnd(connection, $"{destination} via {proxy.DisplayName}", reader.Leftover);
        }
        catch (Exception e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && !cancel.IsCancellationRequested)
                throw new ProxyException($"{proxy.DisplayName} did not answer the handshake within {options.Timeout!.Value.TotalSeconds:0.###} s", null, e);
            if (e is EndOfStreamException)
                throw new ProxyException($"{proxy.DisplayName} closed the connection during the handshake", null, e);
            if (e is FormatException)
                throw new ProxyException($"{proxy.DisplayName}: {e.Message}", null, e);
            if (e is InvalidDataException)
                throw new ProxyException($"{proxy.DisplayName} does not speak {ProxyKinds.Name(proxy.Kind)}: {e.Message}", null, e);
            if (e is SocketException or IOException && e is not ProxyException)
                throw new ProxyException($"{proxy.DisplayName}: {SocketNames.Describe(e)} during the handshake", null, e);
            throw;
        }
    }

    /// <summary>What the proxy is asked for: an address resolved here, or the name, as <see cref="ProxyClientOptions.Dns"/> says.</summary>
    private static async Task<ProxyTarget> DestinationAsync(ProxyClientOptions proxy, EndpointSpec target, ConnectOptions options, CancellationToken cancel)
    {
        string host = target.Host!.Trim('[', ']');
        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            if (proxy.Kind == ProxyKind.Socks4 && literal.AddressFamily != AddressFamily.InterNetwork)
                throw new ProxyException($"{proxy.DisplayName}: SOCKS4 carries IPv4 addresses only, not {literal} (use socks5 or http)");
            return new ProxyTarget(literal.ToString(), target.Port);
        }
        if (proxy.Dns == ProxyDns.None)
            throw new ProxyException($"--proxy-dns none: the destination must be an IP address, not '{host}'");
        if (proxy.Dns == ProxyDns.Remote) return new ProxyTarget(host, target.Port);
        try
        {
            // SOCKS4 can carry only an IPv4 address.
            EndpointSpec lookup = proxy.Kind == ProxyKind.Socks4 ? target with { Family = IpFamily.IPv4 } : target;
            IReadOnlyList<EndPoint> found = await SocketFactory.ResolveAsync(lookup, SocketCalls.For(options.Trace), cancel, options.Resolver).ConfigureAwait(false);
            return new ProxyTarget(((IPEndPoint)found[0]).Address.ToString(), target.Port);
        }
        catch (SocketException) when (proxy.Dns == ProxyDns.Both)
        {
            return new ProxyTarget(host, target.Port);
        }
    }
}
