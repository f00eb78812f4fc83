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

    /// <summary>Resolves a remote endpoint to every address it may be reached at, in resolver order.</summary>
    public static async Task<IReadOnlyList<EndPoint>> ResolveAsync(EndpointSpec spec, SocketCalls calls, CancellationToken cancel)
    {
        if (spec.IsUnix) return [UnixEndPoint(spec.UnixPath!)];
        string host = spec.Host ?? throw new ArgumentException("a remote endpoint needs a host", nameof(spec));
        if (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? literal))
        {
            CheckFamily(literal, spec.Family, host);
            return [new IPEndPoint(literal, spec.Port)];
        }
        IPAddress[] found = await calls.ResolveAsync(host, FamilyFilter(spec.Family), cancel).ConfigureAwait(false);
        if (found.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        return found.Select(a => (EndPoint)new IPEndPoint(a, spec.Port)).ToArray();
    }

    /// <summary>
    /// Connects a stream socket to the first address that answers, trying each in turn
    /// (the error of the last one is what the caller sees when none does). <paramref name="source"/>, when
    /// given, binds the local end first (nc's <c>-s ADDR</c> / <c>-p PORT</c>).
    /// </summary>
    public static async Task<Socket> ConnectAsync(EndpointSpec spec, SocketCalls calls, CancellationToken cancel, EndpointSpec? source = null)
    {
        IReadOnlyList<EndPoint> targets = await ResolveAsync(spec, calls, cancel).ConfigureAwait(false);
        Exception? last = null;
        foreach (EndPoint target in targets)
        {
            Socket socket = calls.Create(target.AddressFamily, spec.Type, ProtocolFor(spec.Type, target));
            try
            {
                if (source is not null) calls.Bind(socket, SourceEndPoint(source, target.AddressFamily));
                await calls.ConnectAsync(socket, target, cancel).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                calls.Close(socket);
                last = e;
            }
            catch
            {
                calls.Close(socket);
                throw;
            }
        }
        throw last!;
    }

    /// <summary>The local address to bind before connecting to a target of <paramref name="family"/>.</summary>
    internal static EndPoint SourceEndPoint(EndpointSpec source, AddressFamily family)
    {
        if (family == AddressFamily.Unix)
            return source.IsUnix ? UnixEndPoint(source.UnixPath!) : throw new FormatException("a Unix socket can only be bound to a Unix path");
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

    internal static UnixDomainSocketEndPoint UnixEndPoint(string path)
        => new(path.StartsWith('@') ? "\0" + path[1..] : path);

    private static Socket BindUnix(EndpointSpec spec, int backlog, SocketCalls calls)
    {
        UnixDomainSocketEndPoint endPoint = UnixEndPoint(spec.UnixPath!);
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
