using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Connect;

/// <summary>
/// <c>sockit connect</c> over TCP and Unix takes the blocking one-shot path (blocking calls, kernel timeouts) on
/// Linux; <c>SOCKIT_PORTABLE=1</c> keeps the asynchronous one. Every case runs both and wants the same stdout, stderr
/// and exit status from each: successes over every family, each kind of error, both timeouts, replies that are cut,
/// split, missing or reset.
/// </summary>
public sealed partial class OneShotConnectTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ExchangeWithSockitServePrintsTheSameOnBothPaths(string family)
    {
        await using FamilyServer server = await Families.ServeAsync(family);
        Outcome blocking = await ConnectAsync(portable: false, server.ConnectArgs());
        Outcome portable = await ConnectAsync(portable: true, server.ConnectArgs());

        Assert.Equal(0, blocking.Exit);
        Assert.Equal($"CLIENT CONNECTED TO SERVER AT {server.ClientSees}", blocking.Stdout[0]);
        Assert.Equal(portable, blocking);
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task TraceShowsTheSameCallsOnBothPaths(string family)
    {
        await using FamilyServer server = await Families.ServeAsync(family);
        Outcome blocking = await ConnectAsync(portable: false, server.ConnectArgs("--trace"));
        Outcome portable = await ConnectAsync(portable: true, server.ConnectArgs("--trace"));

        Assert.Equal(0, blocking.Exit);
        Assert.Equal(["socket", "connect", "send", "recv", "close"], blocking.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf('(')]));
        Assert.Equal(portable, blocking);
    }

    [Fact]
    public async Task NameWithAnIPv4OnlyServerConnectsOnBothPaths()
    {
        // localhost may list ::1 first; nothing listens there, so that attempt is refused and 127.0.0.1 is tried.
        await using var server = await ServerProcess.StartAsync("-4");
        string[] args = ["connect", "localhost", Port(server.Port), "--trace"];
        Outcome blocking = await ConnectAsync(portable: false, args);
        Outcome portable = await ConnectAsync(portable: true, args);

        Assert.Equal(0, blocking.Exit);
        Assert.Equal($"localhost said: {Grumpy.ServeFamiliesTests.Reply}", blocking.Stdout[^1]);
        Assert.Equal(portable, blocking);
    }

    [Theory]
    [InlineData("refused", "[Client connect error]: Connection refused")]
    [InlineData("refused-traced", "[Client connect error]: Connection refused")]
    [InlineData("no-such-name", "[Client resolve error]: ")]
    [InlineData("no-such-name-traced", "[Client resolve error]: ")]
    [InlineData("missing-unix-path", "[Client connect error]: ")]
    public async Task ErrorsAreTheSameOneLineOnBothPaths(string kind, string expectedStart)
    {
        using var dir = new TempDir();
        string[] args = kind switch
        {
            "refused" or "refused-traced" => ["connect", "127.0.0.1", Port(FreePort.Closed())],
            "no-such-name" or "no-such-name-traced" => ["connect", "nosuch.invalid", "10001"],
            _ => ["connect", "--unix", dir.File("nobody.sock")],
        };
        if (kind.EndsWith("-traced", StringComparison.Ordinal)) args = [.. args, "--trace"];

        Outcome blocking = await ConnectAsync(portable: false, args);
        Outcome portable = await ConnectAsync(portable: true, args);

        Assert.Equal(1, blocking.Exit);
        Assert.Empty(blocking.Stdout);
        Assert.StartsWith(expectedStart, blocking.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
        Assert.Equal(portable, blocking);
    }

    [Fact]
    public async Task SilentServerEndsWithTheConnectTimeoutOnBothPaths()
    {
        using SilentAddress silent = await SilentAddress.OpenAsync(IPAddress.Loopback);
        string[] args = ["connect", "127.0.0.1", Port(silent.EndPoint.Port), "-w", "1"];

        var clock = Stopwatch.StartNew();
        Outcome blocking = await ConnectAsync(portable: false, args);
        TimeSpan took = clock.Elapsed;
        Outcome portable = await ConnectAsync(portable: true, args);

        Assert.Equal(new Outcome(1, [], $"[Client connect error]: no answer from 127.0.0.1:{silent.EndPoint.Port} within 1 s\n"), blocking);
        Assert.Equal(portable, blocking);
        // The kernel's SO_SNDTIMEO ends the wait: one second, not the kernel's own two minutes of SYN retries.
        Assert.InRange(took, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData("silent", 1, "", "[Client connect error]: no reply within 1 s\n")]
    [InlineData("partial", 0, "127.0.0.1 said: half a line", "")]
    [InlineData("split", 0, "127.0.0.1 said: one line in two writes", "")]
    [InlineData("close", 0, "127.0.0.1 said: ", "")]
    [InlineData("two-lines", 0, "127.0.0.1 said: first", "")]
    [InlineData("reset", 1, "", "[Client connect error]: Connection reset by peer\n")]
    public async Task ServersThatMisbehaveGetTheSameAnswerOnBothPaths(string behaviour, int exit, string lastLine, string stderr)
    {
        using Socket listener = LoopbackListener.Tcp4();
        Outcome blocking = await AgainstScriptedServerAsync(listener, portable: false, behaviour);
        Outcome portable = await AgainstScriptedServerAsync(listener, portable: true, behaviour);

        Assert.Equal(exit, blocking.Exit);
        Assert.Equal(stderr, blocking.Stderr);
        if (exit == 0) Assert.Equal(lastLine, blocking.Stdout[^1]);
        Assert.Equal(portable, blocking);
    }

    /// <summary>What one <c>sockit connect</c> run printed; descriptor numbers in trace lines are replaced by <c>FD</c>.</summary>
    private sealed record Outcome(int Exit, IReadOnlyList<string> Stdout, string Stderr)
    {
        public bool Equals(Outcome? other)
            => other is not null && Exit == other.Exit && Stdout.SequenceEqual(other.Stdout) && Stderr == other.Stderr;

        public override int GetHashCode() => HashCode.Combine(Exit, Stderr);

        public override string ToString() => $"exit {Exit}, stdout [{string.Join(" | ", Stdout)}], stderr [{Stderr}]";
    }

    private static async Task<Outcome> ConnectAsync(bool portable, params string[] args)
    {
        await using var sockit = RunningProcess.Start("/usr/bin/env", [$"SOCKIT_PORTABLE={(portable ? "1" : "0")}", Repo.SockitPath, .. args]);
        int exit = await sockit.WaitForExitAsync(Bound);
        return new Outcome(exit, sockit.StdoutLines, Descriptor().Replace(sockit.Stderr, "FD"));
    }

    // "socket(...) = 3", "connect(3, ...", "close(3)": the descriptor the process happened to get.
    [GeneratedRegex(@"(?<=\()\d+(?=[,)])|(?<=^socket\(.*\) = )\d+$", RegexOptions.Multiline)]
    private static partial Regex Descriptor();

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// One <c>sockit connect -w 1</c> against a listener of this test that reads the hello and then behaves as told:
    /// says nothing, says half a line, says a line in two writes, closes, says two lines at once, or resets.
    /// </summary>
    private static async Task<Outcome> AgainstScriptedServerAsync(Socket listener, bool portable, string behaviour)
    {
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        Task<Outcome> client = ConnectAsync(portable, "connect", "127.0.0.1", Port(port), "-w", "1");
        using (Socket accepted = await listener.AcceptAsync().WaitAsync(Bound))
        {
            await ReadHelloAsync(accepted);
            switch (behaviour)
            {
                case "partial":
                    await accepted.SendAsync(Encoding.UTF8.GetBytes("half a line"));
                    break;
                case "split":
                    await accepted.SendAsync(Encoding.UTF8.GetBytes("one line "));
                    await Task.Delay(200);
                    await accepted.SendAsync(Encoding.UTF8.GetBytes("in two writes\n"));
                    break;
                case "two-lines":
                    await accepted.SendAsync(Encoding.UTF8.GetBytes("first\nsecond\n"));
                    break;
                case "reset":
                    accepted.LingerState = new LingerOption(true, 0);
                    break;
            }
            if (behaviour is "silent" or "partial") await client.WaitAsync(Bound);
        }
        return await client.WaitAsync(Bound);
    }

    private static async Task ReadHelloAsync(Socket accepted)
    {
        var hello = new List<byte>();
        var buffer = new byte[256];
        while (!hello.Contains((byte)'\n'))
        {
            int n = await accepted.ReceiveAsync(buffer).WaitAsync(Bound);
            if (n == 0) break;
            hello.AddRange(buffer.AsSpan(0, n));
        }
        Assert.Equal("Hello server, would you like to chat?\n", Encoding.UTF8.GetString(hello.ToArray()));
    }
}
