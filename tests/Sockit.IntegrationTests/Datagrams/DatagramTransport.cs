using System.Net;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Datagrams;

/// <summary>
/// One datagram transport a test runs over: UDP over IPv4, UDP over IPv6, or Unix SOCK_DGRAM. Each knows how
/// to start our server on it, how to address it, and the host our logs print for a peer on it.
/// </summary>
public sealed class DatagramTransport
{
    private DatagramTransport(string name) => Name = name;

    public static DatagramTransport Udp4 { get; } = new("udp4");
    public static DatagramTransport Udp6 { get; } = new("udp6");
    public static DatagramTransport Unix { get; } = new("unix");

    public static TheoryData<string> All => ["udp4", "udp6", "unix"];

    public static TheoryData<string> Udp => ["udp4", "udp6"];

    public string Name { get; }

    public bool IsUnix => this == Unix;

    /// <summary>The loopback address peers send to (empty for Unix).</summary>
    public string Loopback => this == Udp4 ? "127.0.0.1" : this == Udp6 ? "::1" : "";

    public static DatagramTransport Parse(string name) => name switch
    {
        "udp4" => Udp4,
        "udp6" => Udp6,
        "unix" => Unix,
        _ => throw new ArgumentException(name),
    };

    /// <summary>Starts <c>sockit serve --udp</c> on this transport (port 0, or a Unix path in <paramref name="dir"/>).</summary>
    public Task<ServerProcess> StartServerAsync(TempDir dir, params string[] extra)
        => IsUnix
            ? ServerProcess.StartAsync(["--unix", dir.File("server.sock"), "--udp", .. extra])
            : ServerProcess.StartAsync(["--udp", .. extra]);

    /// <summary>The server's address in Python's terms: <c>("127.0.0.1", port)</c> or the path, as a literal.</summary>
    public string PythonAddress(TempDir dir, int port)
        => IsUnix ? $"'{dir.File("server.sock")}'" : $"('{Loopback}', {port})";

    public string PythonFamily => this == Udp4 ? "socket.AF_INET" : this == Udp6 ? "socket.AF_INET6" : "socket.AF_UNIX";

    /// <summary>A socket in this test process, bound on this transport, that nobody reads (for timeouts).</summary>
    public Socket BindSilent(TempDir dir)
    {
        if (IsUnix)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            unix.Bind(new UnixDomainSocketEndPoint(dir.File("silent.sock")));
            return unix;
        }
        IPAddress address = this == Udp4 ? IPAddress.Loopback : IPAddress.IPv6Loopback;
        var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(address, 0));
        return udp;
    }

    /// <summary><c>sockit connect</c> arguments that reach <paramref name="target"/> over datagrams.</summary>
    public string[] ConnectArgs(EndPoint target, params string[] extra) => target switch
    {
        UnixDomainSocketEndPoint unix => ["connect", "--unix", unix.ToString(), "--udp", .. extra],
        IPEndPoint ip => ["connect", ip.Address.ToString(), ip.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--udp", .. extra],
        _ => throw new ArgumentException("unexpected endpoint", nameof(target)),
    };

    public override string ToString() => Name;
}
