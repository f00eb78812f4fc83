using System.Net;
using System.Net.Sockets;
using Sockit.Endpoints;

namespace Sockit.Transports;

/// <summary>
/// The one place sockets are created. Family and type are settings of an <see cref="EndpointSpec"/>, so a
/// Unix, IPv6 or datagram variant of any command needs no new class.
/// </summary>
internal static class SocketFactory
{
    /// <summary>
    /// socket + setsockopt + bind (+ listen for streams). The wildcard address with no family preference
    /// binds [::] with IPV6_V6ONLY off, so IPv4 and IPv6 clients both arrive; where the kernel has no IPv6
    /// it falls back to 0.0.0.0.
    /// </summary>
    public static Socket Bind(EndpointSpec spec, int backlog, SocketCalls calls)
    {
        if (spec.IsUnix) return BindUnix(spec, backlog, calls);

        IPAddress address = BindAddress(spec);
        bool dualStack = spec.Host is null && spec.Family == IpFamily.Any && Socket.OSSupportsIPv6;
        if (dualStack) address = IPAddress.IPv6Any;

        Socket socket = calls.Create(address.AddressFamily, spec.Type, ProtocolFor(spec.Type));
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
                calls.SetV6Only(socket, !dualStack);
            if (spec.Type == SocketType.Stream)
                calls.SetReuseAddress(socket);
            calls.Bind(socket, new IPEndPoint(address, spec.Port));
            if (spec.Type == SocketType.Stream)
                calls.Listen(socket, backlog);
            return socket;
        }
        catch
        {
            calls.Close(socket);
            throw;
        }
    }

    /// <summary>
    /// Resolves a remote endpoint to every address it may be reached at, in resolver order (getaddrinfo, or
    /// <paramref name="resolver"/> when given; literals and Unix paths are never looked up).
    /// </summary>
    public static async Task<IReadOnlyList<EndPoint>> ResolveAsync(EndpointSpec spec, SocketCalls calls, CancellationToken cancel, HostResolver? resolver = null)
    {
        if (WithoutLookup(spec) is { } known) return known;
        AddressFamily family = FamilyFilter(spec.Family);
        IPAddress[] found = resolver is null
            ? await calls.ResolveAsync(spec.Host!, family, cancel).ConfigureAwait(false)
            : OfFamily(await resolver(spec.Host!, family, cancel).ConfigureAwait(false), family);
        return Targets(found, spec.Port);
    }

    /// <summary>
    /// <see cref="ResolveAsync"/> on the caller's thread: getaddrinfo blocks it (a <paramref name="resolver"/> given
    /// is waited for), and no thread or timer is started for the lookup.
    /// </summary>
    public static IReadOnlyList<EndPoint> Resolve(EndpointSpec spec, SocketCalls calls, HostResolver? resolver = null)
    {
        if (WithoutLookup(spec) is { } known) return known;
        AddressFamily family = FamilyFilter(spec.Family);
        IPAddress[] found = resolver is null
            ? calls.Resolve(spec.Host!, family)
            : OfFamily(resolver(spec.Host!, family, CancellationToken.None).GetAwaiter().GetResult(), family);
        return Targets(found, spec.Port);
    }

    // A Unix path or an IP literal: the endpoint itself, checked, with no lookup; null for a name to look up.
    private static EndPoint[]? WithoutLookup(EndpointSpec spec)
    {
        if (spec.IsUnix) return [EndpointSpec.UnixEndPoint(spec.UnixPath!)];
        string host = spec.Host ?? throw new ArgumentException("a remote endpoint needs a host", nameof(spec));
        // getaddrinfo("") would be this machine's own addresses in .NET: an empty name is a mistake, not a host.
        if (string.IsNullOrWhiteSpace(host)) throw new FormatException("empty host name: give a host name or an IP address");
        if (!IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? literal)) return null;
        CheckFamily(literal, spec.Family, host);
        return [new IPEndPoint(literal, spec.Port)];
    }

    private static IPAddress[] OfFamily(IPAddress[] addresses, AddressFamily family)
        => addresses.Where(a => family == AddressFamily.Unspecified || a.AddressFamily == family).ToArray();

    private static EndPoint[] Targets(IPAddress[] found, int port)
    {
        if (found.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        return found.Select(a => (EndPoint)new IPEndPoint(a, port)).ToArray();
    }

    /// <summary>
    /// socket + (bind) + connect to exactly one address, no resolving and no fallback; the socket is closed when
    /// any step fails. <paramref name="source"/>, when given, binds the local end first (nc's <c>-s ADDR</c> /
    /// <c>-p PORT</c>); a Unix datagram client without one binds an autobound name so that it can be answered.
    /// </summary>
    public static async Task<Socket> ConnectOneAsync(EndPoint target, SocketType type, SocketCalls calls, CancellationToken cancel, EndpointSpec? source = null)
    {
        Socket socket = OpenForConnect(target, type, calls, source);
        try
        {
            await calls.ConnectAsync(socket, target, cancel).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            calls.Close(socket);
            throw;
        }
    }

    /// <summary>
    /// The socket a connect to <paramref name="target"/> starts from: socket, then bind when <paramref name="source"/>
    /// asks for it (or when a Unix datagram client needs a name to be answered at); closed again if a step fails.
    /// </summary>
    public static Socket OpenForConnect(EndPoint target, SocketType type, SocketCalls calls, EndpointSpec? source = null)
    {
        Socket socket = calls.Create(target.AddressFamily, type, ProtocolFor(type, target));
        try
        {
            if (source is not null)
                calls.Bind(socket, SourceEndPoint(source, target.AddressFamily));
            else if (type == SocketType.Dgram && target is UnixDomainSocketEndPoint)
                calls.Bind(socket, UnixSocketPath.ClientEndPoint());
            return socket;
        }
        catch
        {
            calls.Close(socket);
            throw;
        }
    }

    /// <summary>
    /// An ICMP (or ICMPv6) socket for echo requests, bound to the wildcard address. A raw socket first: it needs
    /// CAP_NET_RAW, and for IPv4 it hands us the IP header too (so we learn the TTL). Without that privilege,
    /// Linux's ping socket (SOCK_DGRAM + IPPROTO_ICMP[V6]), which it allows for groups in
    /// net.ipv4.ping_group_range; the kernel then owns the echo identifier and delivers the ICMP message alone.
    /// </summary>
    /// <exception cref="IcmpPermissionException">Neither kind is permitted.</exception>
    /// <exception cref="SocketException">Another failure (e.g. no IPv6 in this kernel).</exception>
    public static IcmpChannel OpenIcmp(AddressFamily family, SocketCalls calls)
    {
        ProtocolType protocol = family == AddressFamily.InterNetworkV6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp;
        Socket socket;
        bool raw = true;
        try
        {
            socket = calls.Create(family, SocketType.Raw, protocol);
        }
        catch (SocketException rawError)
        {
            raw = false;
            try
            {
                socket = calls.Create(family, SocketType.Dgram, protocol);
            }
            catch (SocketException e) when (IsPermission(rawError) && IsPermission(e))
            {
                throw new IcmpPermissionException(e);
            }
        }
        var channel = new IcmpChannel(socket, raw, calls);
        try
        {
            channel.BindAny();
            return channel;
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A bound socket's address as the seed prints it: <c>0.0.0.0:PORT</c> for the default wildcard (dual-stack
    /// underneath), <c>[::]:PORT</c> when IPv6 was asked for, the address given to --bind, or the Unix path.
    /// </summary>
    public static string DisplayName(EndpointSpec spec, Socket bound) => spec switch
    {
        { IsUnix: true } => spec.UnixPath!,
        { Host: null, Family: IpFamily.Any } => $"0.0.0.0:{((IPEndPoint)bound.LocalEndPoint!).Port}",
        _ => Diagnostics.SocketNames.EndPoint(bound.LocalEndPoint),
    };

    // EPERM (raw without CAP_NET_RAW) and EACCES (ping socket outside ping_group_range) both arrive as AccessDenied.
    private static bool IsPermission(SocketException e) => e.SocketErrorCode == SocketError.AccessDenied;

    /// <summary>The local address to bind before connecting to a target of <paramref name="family"/>.</summary>
    internal static EndPoint SourceEndPoint(EndpointSpec source, AddressFamily family)
    {
        if (family == AddressFamily.Unix)
            return source.IsUnix ? EndpointSpec.UnixEndPoint(source.UnixPath!) : throw new FormatException("a Unix socket can only be bound to a Unix path");
        if (source.Host is null)
            return new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, source.Port);
        if (!IPAddress.TryParse(source.Host.Trim('[', ']'), out IPAddress? address))
            throw new FormatException($"cannot parse source address '{source.Host}': give an IPv4 or IPv6 literal");
        if (address.AddressFamily != family)
            throw new FormatException($"source address '{source.Host}' is not of the target's family ({(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")})");
        return new IPEndPoint(address, source.Port);
    }

    internal static ProtocolType ProtocolFor(SocketType type, EndPoint? target = null)
        => target is UnixDomainSocketEndPoint ? ProtocolType.Unspecified
            : type == SocketType.Dgram ? ProtocolType.Udp
            : ProtocolType.Tcp;

    private static Socket BindUnix(EndpointSpec spec, int backlog, SocketCalls calls)
    {
        UnixDomainSocketEndPoint endPoint = EndpointSpec.UnixEndPoint(spec.UnixPath!);
        Socket socket = calls.Create(AddressFamily.Unix, spec.Type, ProtocolType.Unspecified);
        try
        {
            calls.Bind(socket, endPoint);
            if (spec.Type == SocketType.Stream) calls.Listen(socket, backlog);
            return socket;
        }
        catch
        {
            calls.Close(socket);
            throw;
        }
    }

    private static IPAddress BindAddress(EndpointSpec spec)
    {
        if (spec.Host is null)
            return spec.Family == IpFamily.IPv6 ? IPAddress.IPv6Any : IPAddress.Any;
        if (!IPAddress.TryParse(spec.Host.Trim('[', ']'), out IPAddress? address))
            throw new FormatException($"cannot parse bind address '{spec.Host}': give an IPv4 or IPv6 literal");
        CheckFamily(address, spec.Family, spec.Host);
        return address;
    }

    private static void CheckFamily(IPAddress address, IpFamily family, string text)
    {
        if ((family == IpFamily.IPv4 && address.AddressFamily != AddressFamily.InterNetwork)
            || (family == IpFamily.IPv6 && address.AddressFamily != AddressFamily.InterNetworkV6))
            throw new FormatException($"address '{text}' is not {(family == IpFamily.IPv4 ? "IPv4" : "IPv6")}");
    }

    private static AddressFamily FamilyFilter(IpFamily family) => family switch
    {
        IpFamily.IPv4 => AddressFamily.InterNetwork,
        IpFamily.IPv6 => AddressFamily.InterNetworkV6,
        _ => AddressFamily.Unspecified,
    };
}
