using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sockit.IntegrationTests.Infrastructure;

/// <summary>
/// The socket families a stream test runs over, as theory data: <c>"ipv4"</c> (127.0.0.1), <c>"ipv6"</c>
/// (<c>-6</c>, ::1) and <c>"unix"</c> (a path in a private temp dir). One test body, three runs.
/// </summary>
public static class Families
{
    public const string IPv4 = "ipv4", IPv6 = "ipv6", Unix = "unix";

    /// <summary>Every stream family: <c>[MemberData(nameof(Families.All), MemberType = typeof(Families))]</c>.</summary>
    public static TheoryData<string> All => new(IPv4, IPv6, Unix);

    /// <summary>Starts <c>sockit serve</c> over <paramref name="family"/> with <paramref name="extra"/> options.</summary>
    public static async Task<FamilyServer> ServeAsync(string family, params string[] extra)
    {
        var dir = family == Unix ? new TempDir() : null;
        string? path = dir?.File("g.sock");
        string[] args = family switch
        {
            IPv4 => extra,
            IPv6 => ["-6", .. extra],
            Unix => ["--unix", path!, .. extra],
            _ => throw new ArgumentException($"unknown family '{family}'", nameof(family)),
        };
        try
        {
            var server = await ServerProcess.StartAsync(args);
            return new FamilyServer(family, server, dir, path);
        }
        catch
        {
            dir?.Dispose();
            throw;
        }
    }

    /// <summary>A raw client socket of the test process connected over <paramref name="family"/> (loopback or a Unix path).</summary>
    public static async Task<Socket> ConnectRawAsync(string family, int port, string? unixPath)
    {
        EndPoint target = family switch
        {
            IPv4 => new IPEndPoint(IPAddress.Loopback, port),
            IPv6 => new IPEndPoint(IPAddress.IPv6Loopback, port),
            _ => new UnixDomainSocketEndPoint(unixPath!),
        };
        var socket = new Socket(target.AddressFamily, SocketType.Stream, family == Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            using var deadline = new CancellationTokenSource(RunningProcess.DefaultWait);
            await socket.ConnectAsync(target, deadline.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A running <c>sockit serve</c> plus how each kind of peer reaches it over its family.</summary>
public sealed class FamilyServer : IAsyncDisposable
{
    private readonly TempDir? _dir;

    internal FamilyServer(string family, ServerProcess server, TempDir? dir, string? unixPath)
    {
        Family = family;
        Server = server;
        _dir = dir;
        UnixPath = unixPath;
    }

    public string Family { get; }

    public ServerProcess Server { get; }

    public RunningProcess Process => Server.Process;

    /// <summary>The socket file, for <c>"unix"</c> only.</summary>
    public string? UnixPath { get; }

    private string Port => Server.Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>What <c>SERVER AT ... LISTENING FOR CONNECTIONS</c> must name.</summary>
    public string ListeningAt => Family switch
    {
        Families.IPv4 => $"0.0.0.0:{Port}",
        Families.IPv6 => $"[::]:{Port}",
        _ => UnixPath!,
    };

    /// <summary>The host the server prints before <c>said:</c> for a client of ours (Unix clients never bind: unnamed).</summary>
    public string PeerHost => Family switch
    {
        Families.IPv4 => "127.0.0.1",
        Families.IPv6 => "::1",
        _ => "unnamed",
    };

    /// <summary>A regex for the peer in <c>RECEIVED CONNECTION FROM ...</c>.</summary>
    public string PeerPattern => Family switch
    {
        Families.IPv4 => @"127\.0\.0\.1:\d+",
        Families.IPv6 => @"\[::1\]:\d+",
        _ => "unnamed",
    };

    /// <summary>Where our client says it connected: <c>127.0.0.1:PORT</c>, <c>[::1]:PORT</c> or the path.</summary>
    public string ClientSees => Family switch
    {
        Families.IPv4 => $"127.0.0.1:{Port}",
        Families.IPv6 => $"[::1]:{Port}",
        _ => UnixPath!,
    };

    /// <summary>The host our client prints before <c>said:</c>.</summary>
    public string ClientHost => Family switch
    {
        Families.IPv4 => "127.0.0.1",
        Families.IPv6 => "::1",
        _ => UnixPath!,
    };

    /// <summary>Arguments for <c>sockit connect</c> to this server (options such as -m may follow).</summary>
    public string[] ConnectArgs(params string[] extra) => Family switch
    {
        Families.IPv4 => ["connect", "127.0.0.1", Port, .. extra],
        Families.IPv6 => ["connect", "-6", "::1", Port, .. extra],
        _ => ["connect", "--unix", UnixPath!, .. extra],
    };

    /// <summary>Arguments for OpenBSD nc that sends its stdin and half-closes at its end (-N).</summary>
    public string[] NcArgs => Family switch
    {
        Families.IPv4 => ["-N", "127.0.0.1", Port],
        Families.IPv6 => ["-6", "-N", "::1", Port],
        _ => ["-N", "-U", UnixPath!],
    };

    /// <summary>A Python 3 expression that yields a connected socket.</summary>
    public string PythonConnect => Family switch
    {
        Families.IPv4 => $"socket.create_connection(('127.0.0.1', {Port}))",
        Families.IPv6 => $"socket.create_connection(('::1', {Port}))",
        _ => $"(lambda s: (s.connect({PythonString(UnixPath!)}), s)[1])(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM))",
    };

    /// <summary>A raw client socket of this test process, connected (the peer under the test's full control).</summary>
    public Task<Socket> ConnectRawAsync() => Families.ConnectRawAsync(Family, Server.Port, UnixPath);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir?.Dispose();
    }

    private static string PythonString(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
