using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Exec;

/// <summary>
/// <c>sockit nc -l -v ... -e/-c ...</c> over one family (IPv4 127.0.0.1, IPv6 ::1, or a Unix path), with raw
/// client sockets of the test process and the pids of the programs it started (from its <c>-v</c> lines).
/// </summary>
public sealed partial class ExecListener : IAsyncDisposable
{
    private readonly TempDir? _dir;

    private ExecListener(RunningProcess process, EndPoint target, TempDir? dir)
    {
        Process = process;
        Target = target;
        _dir = dir;
    }

    public RunningProcess Process { get; }

    public EndPoint Target { get; }

    /// <summary>Starts the listener; <paramref name="exec"/> is e.g. <c>["-e", "/bin/cat"]</c>, <paramref name="extra"/> more flags (-k).</summary>
    public static Task<ExecListener> StartAsync(string family, string[] exec, params string[] extra)
        => StartAsync(family, RunningProcess.Sockit, exec, extra);

    /// <summary>As <see cref="StartAsync(string, string[], string[])"/>, but sockit starts with only descriptors 0, 1 and 2 open.</summary>
    public static Task<ExecListener> StartWithoutInheritedDescriptorsAsync(string family, string[] exec, params string[] extra)
        => StartAsync(family, args => RunningProcess.Start(Peers.Python, ["-c", CloseAllButStdio, Repo.SockitPath, .. args]), exec, extra);

    // The test host may itself have inherited descriptors from whatever started it; sockit must not see them.
    private const string CloseAllButStdio = "import os, sys; os.closerange(3, 65536); os.execv(sys.argv[1], sys.argv[1:])";

    private static async Task<ExecListener> StartAsync(string family, Func<string[], RunningProcess> start, string[] exec, string[] extra)
    {
        TempDir? dir = family == Families.Unix ? new TempDir() : null;
        string[] where = family switch
        {
            Families.IPv4 => ["127.0.0.1", "0"],
            Families.IPv6 => ["-6", "::1", "0"],
            _ => ["-U", dir!.File("x.sock")],
        };
        var process = start(["nc", "-l", "-v", .. extra, .. exec, .. where]);
        string listening = await process.WaitForStderrLineAsync("Listening on ");
        EndPoint target = family switch
        {
            Families.IPv4 => new IPEndPoint(IPAddress.Loopback, PortOf(listening)),
            Families.IPv6 => new IPEndPoint(IPAddress.IPv6Loopback, PortOf(listening)),
            _ => new UnixDomainSocketEndPoint(dir!.File("x.sock")),
        };
        return new ExecListener(process, target, dir);
    }

    /// <summary>Connects; a <paramref name="receiveBuffer"/> (bytes) set before connecting keeps the window small.</summary>
    public async Task<Socket> ConnectAsync(int? receiveBuffer = null)
    {
        var socket = new Socket(Target.AddressFamily, SocketType.Stream, Target is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        if (receiveBuffer is { } bytes) socket.ReceiveBufferSize = bytes;
        using var deadline = new CancellationTokenSource(RunningProcess.DefaultWait);
        await socket.ConnectAsync(Target, deadline.Token);
        return socket;
    }

    /// <summary>Connects, sends <paramref name="request"/>, half-closes, and returns everything the program answered, to EOF.</summary>
    public async Task<byte[]> ExchangeAsync(byte[] request)
    {
        using Socket socket = await ConnectAsync();
        Task send = Task.Run(async () =>
        {
            await socket.SendAsync(request);
            socket.Shutdown(SocketShutdown.Send);
        });
        byte[] reply = await ReadToEndAsync(socket);
        await send.WaitAsync(RunningProcess.DefaultWait);
        return reply;
    }

    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var deadline = new CancellationTokenSource(RunningProcess.DefaultWait);
        var all = new MemoryStream();
        byte[] buffer = new byte[65536];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }

    /// <summary>The pids of the programs started so far (<c>exec: pid N started</c>).</summary>
    public IReadOnlyList<int> StartedPids => Pids("started");

    /// <summary>The pids whose end was logged (<c>exec: pid N exited with status S</c> / <c>killed by signal N</c>).</summary>
    public IReadOnlyList<int> EndedPids => Process.Stderr.Split('\n')
        .Select(l => ExecLine().Match(l)).Where(m => m.Success && m.Groups[2].Value != "started")
        .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    private List<int> Pids(string what) => Process.Stderr.Split('\n')
        .Select(l => ExecLine().Match(l)).Where(m => m.Success && m.Groups[2].Value == what)
        .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    /// <summary>Waits (bounded) until <paramref name="count"/> programs have been logged as ended.</summary>
    public async Task WaitForEndedAsync(int count, TimeSpan? timeout = null)
        => await Process.WaitForStderrAsync(_ => EndedPids.Count >= count, timeout);

    public async Task WaitForStartedAsync(int count, TimeSpan? timeout = null)
        => await Process.WaitForStderrAsync(_ => StartedPids.Count >= count, timeout);

    /// <summary>Processes whose parent is sockit (zombies included), from /proc.</summary>
    public IReadOnlyList<(int Pid, char State)> Children()
    {
        var children = new List<(int, char)>();
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // exited meanwhile
            }
            string[] rest = ProcStat.FieldsAfterName(stat); // state ppid ...
            if (int.Parse(rest[1], CultureInfo.InvariantCulture) == Process.Id) children.Add((pid, rest[0][0]));
        }
        return children;
    }

    /// <summary>
    /// Sockit's open descriptors that a leak would be: sockets, pipes, files and the like. Assemblies the
    /// runtime maps on first use of a code path (*.dll, *.so) are not counted.
    /// </summary>
    public int DescriptorCount => Directory.GetFileSystemEntries($"/proc/{Process.Id}/fd")
        .Select(LinkTarget)
        .Count(target => !target.EndsWith(".dll", StringComparison.Ordinal) && !target.Contains(".so", StringComparison.Ordinal));

    private static string LinkTarget(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget ?? "";
        }
        catch (IOException)
        {
            return ""; // closed between the listing and the readlink: counted as it was listed
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _dir?.Dispose();
    }

    private static int PortOf(string listening) => int.Parse(listening[(listening.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^exec: pid (\d+) (started|exited|killed)")]
    private static partial Regex ExecLine();
}
