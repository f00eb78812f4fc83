using System.Net;
using System.Net.Sockets;
using Sockit.Diagnostics;
using Sockit.Endpoints;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Proxies;

/// <summary>
/// The far-end factory of a <see cref="ProxyServer"/>: reads one client's request in whichever protocol its first
/// byte names, connects onward (within the allow-list), answers, and returns the onward connection for the relay.
/// A refusal is answered in the client's protocol and becomes one log line.
/// </summary>
internal sealed class ProxyServerHandshake(ProxyServerOptions options, SocketTrace? trace)
{
    private readonly SocketCalls _calls = SocketCalls.For(trace);

    public async ValueTask<DuplexEnd> AcceptAsync(DuplexEnd client, CancellationToken abort)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(abort);
        deadline.CancelAfter(options.HandshakeTimeout);
        var reader = new HandshakeReader(client);
        ServerDialect? dialect = null;
        ProxyTarget target;
        try
        {
            byte first = await reader.PeekAsync(deadline.Token).ConfigureAwait(false);
            dialect = Pick(first) ?? throw new RequestRefused($"first byte 0x{first:x2} names a protocol not served here");
            target = await dialect.ReadRequestAsync(reader, client, deadline.Token).ConfigureAwait(false);
        }
        catch (RequestRefused r)
        {
            throw Refused(client, dialect, null, r.Message);
        }
        catch (OperationCanceledException) when (!abort.IsCancellationRequested)
        {
            throw Refused(client, dialect, null, $"no complete request within {options.HandshakeTimeout.TotalSeconds:0.###} s");
        }
        catch (EndOfStreamException)
        {
            throw Refused(client, dialect, null, "closed the connection during the handshake");
        }
        catch (InvalidDataException e)
        {
            if (dialect is not null) await dialect.RefuseAsync(client, Refusal.BadRequest, abort).ConfigureAwait(false);
            throw Refused(client, dialect, null, $"malformed request: {e.Message}");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw Refused(client, dialect, null, $"handshake failed: {SocketNames.Describe(e)}");
        }

        DuplexEnd far;
        try
        {
            far = await ConnectAsync(target, abort).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e) is { } why)
        {
            await dialect.RefuseAsync(client, why, abort).ConfigureAwait(false);
            throw Refused(client, dialect, target, why == Refusal.NotAllowed ? "not in the destination allow-list" : $"connect failed: {SocketNames.Describe(e)}");
        }
        try
        {
            await dialect.GrantAsync(client, far, abort).ConfigureAwait(false);
            // Bytes the client sent right behind its request belong to the destination.
            if (!reader.Leftover.IsEmpty) await far.WriteAsync(reader.Leftover, abort).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            await far.DisposeAsync().ConfigureAwait(false);
            throw Refused(client, dialect, target, $"client gone before the relay: {SocketNames.Describe(e)}");
        }
        return new ProxiedEnd(far, $"{target} ({dialect.Name})", ReadOnlyMemory<byte>.Empty);
    }

    private ServerDialect? Pick(byte first) => first switch
    {
        Socks5Codec.Version => options.Protocols.HasFlag(ProxyProtocols.Socks5) ? new Socks5Dialect(options.Credentials) : null,
        Socks4Codec.Version => options.Protocols.HasFlag(ProxyProtocols.Socks4) ? new Socks4Dialect(options.Credentials) : null,
        _ => options.Protocols.HasFlag(ProxyProtocols.Http) ? new HttpDialect(options.Credentials) : null,
    };

    private async Task<DuplexEnd> ConnectAsync(ProxyTarget target, CancellationToken abort)
    {
        if (target.Port == 0) throw new DestinationNotAllowedException();
        DestinationAllowList? allowed = options.AllowedDestinations;
        HostResolver? resolver = options.Resolver;
        if (allowed is not null)
        {
            if (target.Address is { } address)
            {
                if (!allowed.AllowsAddress(address, target.Port)) throw new DestinationNotAllowedException();
            }
            else if (!allowed.AllowsName(target.Host, target.Port))
            {
                // Admitted by address only: connect to the addresses the list admits, never to the others.
                HostResolver lookup = resolver ?? _calls.ResolveAsync;
                resolver = async (host, family, cancel) =>
                {
                    IPAddress[] all = await lookup(host, family, cancel).ConfigureAwait(false);
                    IPAddress[] admitted = all.Where(a => allowed.AllowsAddress(a, target.Port)).ToArray();
                    return admitted.Length == 0 && all.Length > 0 ? throw new DestinationNotAllowedException() : admitted;
                };
            }
        }
        var connect = new ConnectOptions { Timeout = options.ConnectTimeout, Trace = trace, Resolver = resolver };
        return await StreamConnector.ConnectAsync(EndpointSpec.Ip(target.Host, target.Port), connect, abort).ConfigureAwait(false);
    }

    private static Refusal? Classify(Exception e) => e switch
    {
        DestinationNotAllowedException => Refusal.NotAllowed,
        TimeoutException => Refusal.TimedOut,
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => Refusal.ConnectionRefused,
        SocketException { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.NetworkDown } => Refusal.NetworkUnreachable,
        SocketException => Refusal.HostUnreachable,
        FormatException => Refusal.HostUnreachable,
        _ => null,
    };

    private static FarEndRefusedException Refused(DuplexEnd client, ServerDialect? dialect, ProxyTarget? target, string why)
    {
        string who = dialect is null ? client.Name : $"{client.Name} ({dialect.Name})";
        return new FarEndRefusedException(target is null ? $"{who}: refused: {why}" : $"{who} -> {target}: refused: {why}");
    }

    private sealed class DestinationNotAllowedException : Exception;
}
