using System.Net.Sockets;

namespace Sockit.Endpoints;

/// <summary>Which IP family a host name or wildcard may use (the seed's AF_INET / AF_INET6 choice).</summary>
public enum IpFamily
{
    /// <summary>Either family: listeners are dual-stack, clients try every resolved address in order.</summary>
    Any,
    /// <summary>AF_INET only (<c>-4</c>).</summary>
    IPv4,
    /// <summary>AF_INET6 only (<c>-6</c>); a wildcard listener is IPv6-only.</summary>
    IPv6,
}

/// <summary>
/// Where bytes arrive or leave: an IP host and port, or a Unix socket path, plus the socket type.
/// Immutable; every command turns its arguments into one of these and hands it to the transports.
/// </summary>
/// <param name="Host">Host name or IP literal; <c>null</c> means the wildcard address (INADDR_ANY).</param>
/// <param name="Port">TCP/UDP port, 0 to let the kernel choose (listeners only).</param>
/// <param name="UnixPath">Unix domain socket path; a leading <c>@</c> names a Linux abstract socket.</param>
/// <param name="Type">SOCK_STREAM or SOCK_DGRAM.</param>
/// <param name="Family">Restricts name resolution and wildcard binding to one IP family.</param>
public sealed record EndpointSpec(
    string? Host,
    int Port,
    string? UnixPath = null,
    SocketType Type = SocketType.Stream,
    IpFamily Family = IpFamily.Any)
{
    /// <summary>True when this endpoint is a Unix domain socket rather than IP.</summary>
    public bool IsUnix => UnixPath is not null;

    /// <summary>An IP endpoint (host may be <c>null</c> for the wildcard address).</summary>
    public static EndpointSpec Ip(string? host, int port, SocketType type = SocketType.Stream, IpFamily family = IpFamily.Any)
        => new(host, port, null, type, family);

    /// <summary>A Unix domain socket endpoint at <paramref name="path"/> (<c>@name</c> for an abstract name).</summary>
    public static EndpointSpec Unix(string path, SocketType type = SocketType.Stream)
        => new(null, 0, path, type);

    /// <summary>
    /// The socket address of a Unix path as Sockit spells it: <c>@name</c> is a Linux abstract name (a leading
    /// NUL in sun_path), anything else a filesystem path. Checks the path fits before anything is bound.
    /// </summary>
    /// <exception cref="FormatException">The path is empty or longer than sun_path holds.</exception>
    public static UnixDomainSocketEndPoint UnixEndPoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Abstract names are a Linux feature; elsewhere "\0name" would reach bind() and fail obscurely.
        if (path.StartsWith('@') && !OperatingSystem.IsLinux())
            throw new FormatException($"abstract socket names ({path}) exist only on Linux; give a file path");
        try
        {
            return new(path.StartsWith('@') ? "\0" + path[1..] : path);
        }
        catch (ArgumentException)
        {
            // .NET's own message is two lines long and names a parameter; say what the kernel's limit is.
            throw new FormatException(
                $"Unix socket path is {System.Text.Encoding.UTF8.GetByteCount(path)} bytes; sun_path holds at most 108: use a shorter path");
        }
    }

    /// <inheritdoc />
    public override string ToString() => IsUnix ? UnixPath! : $"{Host ?? "*"}:{Port}";
}
