using System.Globalization;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Broker;

/// <summary>A running <c>sockit nc -l -v ...</c> (broker or chat) over one family, and how each kind of peer reaches it.</summary>
internal sealed class BrokerProcess : IAsyncDisposable
{
    private readonly TempDir? _dir;

    private BrokerProcess(string family, RunningProcess process, int port, TempDir? dir, string? unixPath)
    {
        Family = family;
        Process = process;
        Port = port;
        _dir = dir;
        UnixPath = unixPath;
    }

    public string Family { get; }

    public RunningProcess Process { get; }

    public int Port { get; }

    public string? UnixPath { get; }

    private string PortText => Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts <c>sockit nc -l -v EXTRA</c> on 127.0.0.1, ::1 or a Unix path, port 0, and reads its port back.</summary>
    public static async Task<BrokerProcess> StartAsync(string family, params string[] extra)
    {
        TempDir? dir = family == Families.Unix ? new TempDir() : null;
        string? path = dir?.File("b.sock");
        string[] where = family switch
        {
            Families.IPv4 => ["127.0.0.1", "0"],
            Families.IPv6 => ["-6", "::1", "0"],
            _ => ["-U", path!],
        };
        RunningProcess process = RunningProcess.Sockit(["nc", "-l", "-v", .. extra, .. where]);
        try
        {
            string listening = await process.WaitForStderrLineAsync("Listening on ");
            int port = path is null ? int.Parse(listening[(listening.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture) : 0;
            return new BrokerProcess(family, process, port, dir, path);
        }
        catch
        {
            await process.DisposeAsync();
            dir?.Dispose();
            throw;
        }
    }

    /// <summary>OpenBSD nc as a member: sends its stdin, prints what it receives.</summary>
    public string[] NcArgs => Family switch
    {
        Families.IPv4 => ["127.0.0.1", PortText],
        Families.IPv6 => ["-6", "::1", PortText],
        _ => ["-U", UnixPath!],
    };

    /// <summary>ncat as a member (ncat's -U is its Unix socket flag too).</summary>
    public string[] NcatArgs => NcArgs;

    /// <summary>Arguments for <see cref="PythonMember.Script"/>.</summary>
    public string[] PythonArgs => Family switch
    {
        Families.IPv4 => ["ip", "127.0.0.1", PortText],
        Families.IPv6 => ["ip", "::1", PortText],
        _ => ["unix", UnixPath!, "0"],
    };

    public Task<Socket> ConnectAsync() => Families.ConnectRawAsync(Family, Port, UnixPath);

    /// <summary>Waits until the broker has logged <paramref name="count"/> <c>Connection from</c> lines.</summary>
    public Task WaitForConnectionsAsync(int count, TimeSpan timeout)
        => Process.WaitForStderrAsync(stderr => Occurrences(stderr, "Connection from ") >= count, timeout);

    public static int Occurrences(string text, string what) => text.Split(what).Length - 1;

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _dir?.Dispose();
    }
}

/// <summary>A Python 3 member: sends each line of its stdin as it comes, prints what it receives, never half-closes.</summary>
internal static class PythonMember
{
    public const string Script = """
        import os, socket, sys, threading
        kind, where, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
        if kind == 'unix':
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(where)
        else:
            s = socket.create_connection((where, port))
        def pump():
            while True:
                data = s.recv(65536)
                if not data:
                    os._exit(0)
                os.write(1, data)
        threading.Thread(target=pump, daemon=True).start()
        while True:
            line = sys.stdin.buffer.readline()
            if not line:
                break
            s.sendall(line)
        threading.Event().wait()
        """;
}
