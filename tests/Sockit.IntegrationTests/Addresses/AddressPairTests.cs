using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Addresses;

/// <summary>The address pairs that matter, each against real peers (socat, nc, python) on the far side and as clients.</summary>
public sealed class AddressPairTests
{
    [Fact]
    public async Task ForkingTcpListenerGivesConcurrentClientsAProgramEach()
    {
        // Three clients connected at once: the last one is answered while the first two still hold their connection,
        // so they are served concurrently, each by a cat of its own (its bytes come back alone, whole).
        const string clients = """
            import socket, sys
            port = int(sys.argv[1])
            socks = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(3)]
            for i in (2, 1, 0):
                s = socks[i]
                s.sendall(f"client {i}\n".encode())
                print(s.recv(100).decode().strip(), flush=True)
            for s in socks:
                s.shutdown(socket.SHUT_WR)
                print("eof" if s.recv(100) == b"" else "more", flush=True)
            """;
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync("tcp-listen:127.0.0.1:0,fork", "exec:cat");
        await using var _ = relay;
        await using var client = RunningProcess.Start(Peers.Python, "-c", clients, RelayProcess.Text(port));
        Assert.Equal(0, await client.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal(["client 2", "client 1", "client 0", "eof", "eof", "eof"], client.StdoutLines);
        await relay.WaitForStderrAsync(e => e.Split('\n').Count(l => l.EndsWith("ended: both directions closed", StringComparison.Ordinal)) == 3);
        string[] programs = relay.Stderr.Split('\n').Where(l => l.EndsWith(": connected", StringComparison.Ordinal))
            .Select(l => l[l.IndexOf("(pid ", StringComparison.Ordinal)..]).Distinct().ToArray();
        Assert.Equal(3, programs.Length);
        relay.Signal(15);
        Assert.Equal(0, await relay.WaitForExitAsync(RelayProcess.Bound));
    }

    [Fact]
    public async Task ProgramThatExitsEarlyEndsItsClientsConnectionCleanly()
    {
        // head exits after 5 bytes while the client still sends: the client's connection ends, and the relay
        // says the program exited (not a reset or write error on its closed stdin, as before).
        const string client = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=60)
            try:
                s.sendall(b"x" * (4 * 1024 * 1024))
            except (BrokenPipeError, ConnectionResetError):
                pass
            data = b""
            try:
                while True:
                    d = s.recv(65536)
                    if not d: break
                    data += d
            except ConnectionResetError:
                pass
            print(data.decode(), flush=True)
            """;
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync("tcp-listen:127.0.0.1:0,fork", "exec:head -c 5");
        await using var _ = relay;
        await using var python = RunningProcess.Start(Peers.Python, "-c", client, RelayProcess.Text(port));
        Assert.Equal(0, await python.WaitForExitAsync(RelayProcess.Bound));
        // What the client had not read when its unread input made our close a reset may be lost on its side
        // (TCP discards it at the RST); the relay itself delivered all 5 bytes and ended for the right reason.
        Assert.Contains(python.StdoutLines.Single(), new[] { "xxxxx", "" });
        // Once head has stopped reading, the client's bytes are dropped rather than failing the relay, so head's output
        // is always delivered; the client then sees EOF, closes, and the relay may end as "both directions closed"
        // before the exit is acted on. Either way it is a clean end with all 5 bytes, never a write error or a reset.
        await relay.WaitForStderrAsync(e => e.Contains("received 5 bytes; ended: program exited", StringComparison.Ordinal)
            || e.Contains("received 5 bytes; ended: both directions closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForkingSocatSpelledListenerRunsAShellPerClientWithNcatVariables()
    {
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync("TCP-LISTEN:0,bind=127.0.0.1,fork,reuseaddr", "SYSTEM:echo $NCAT_REMOTE_ADDR; tr a-z A-Z");
        await using var _ = relay;
        for (int i = 0; i < 2; i++)
        {
            using var dir = new TempDir();
            await File.WriteAllTextAsync(dir.File("in"), $"hello {i}\n");
            await using var nc = Shell.Run($"{Peers.Nc} -N 127.0.0.1 {port}", dir.File("in"), dir.File("out"));
            Assert.Equal(0, await nc.WaitForExitAsync(RelayProcess.Bound));
            Assert.Equal($"127.0.0.1\nHELLO {i}\n", await File.ReadAllTextAsync(dir.File("out")));
        }
        relay.Signal(15);
        Assert.Equal(0, await relay.WaitForExitAsync(RelayProcess.Bound));
    }

    [Fact]
    public async Task TcpListenerToUnixCarriesTheClientsHalfCloseToAFarSideThatAnswersAfterEof()
    {
        using var dir = new TempDir();
        string path = dir.File("far.sock");
        // wc answers only once it has read to EOF: its answer proves the client's shutdown crossed the relay.
        await using var far = await SocatOnUnixAsync(path, "wc -c");
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync("tcp-listen:127.0.0.1:0", $"unix:{path}");
        await using var _ = relay;
        await File.WriteAllTextAsync(dir.File("in"), "twelve bytes");
        await using var client = Shell.Run($"{Peers.Nc} -N 127.0.0.1 {port}", dir.File("in"), dir.File("out"));
        Assert.Equal(0, await client.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal("12", (await File.ReadAllTextAsync(dir.File("out"))).Trim());
        Assert.Equal(0, await relay.WaitForExitAsync(RelayProcess.Bound));
    }

    [Fact]
    public async Task StdioToUnixRelaysBothWaysAndExitsWhenBothEnd()
    {
        using var dir = new TempDir();
        string path = dir.File("far.sock");
        await using var far = await SocatOnUnixAsync(path, "tr a-z A-Z");
        await File.WriteAllTextAsync(dir.File("in"), "from stdin\n");
        await using var relay = Shell.Run($"{Shell.Sockit} relay STDIO UNIX-CONNECT:{Shell.Quote(path)}", dir.File("in"), dir.File("out"));
        Assert.Equal(0, await relay.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal("FROM STDIN\n", await File.ReadAllTextAsync(dir.File("out")));
    }

    [Fact]
    public async Task SocatExecSpellingSplitsItsQuotedCommandIntoArgv()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("in"), "abc\n");
        await using var relay = Shell.Run($"{Shell.Sockit} relay - \"EXEC:'tr a-z A-Z'\"", dir.File("in"), dir.File("out"));
        Assert.Equal(0, await relay.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal("ABC\n", await File.ReadAllTextAsync(dir.File("out")));
    }

    [Fact]
    public async Task UdpListenGivesEachPeerItsOwnTcpConnectionAndEndsIdleSessions()
    {
        // The far side tags every answer with its connection's number: each UDP peer must always see one number,
        // its own, and two peers two different ones.
        const string farCode = """
            import socket, threading
            srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(16)
            print(srv.getsockname()[1], flush=True)
            def serve(c, n):
                while True:
                    d = c.recv(65536)
                    if not d: break
                    c.sendall(f"conn{n}:".encode() + d)
                c.close()
            n = 0
            while True:
                c, _ = srv.accept(); n += 1
                threading.Thread(target=serve, args=(c, n), daemon=True).start()
            """;
        const string peers = """
            import socket, sys
            port = int(sys.argv[1])
            a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for s in (a, b): s.settimeout(30)
            for i in range(3):
                for name, s in (("a", a), ("b", b)):
                    s.sendto(f"{name}{i}".encode(), ("127.0.0.1", port))
                    print(s.recv(100).decode(), flush=True)
            """;
        await using var far = RunningProcess.Start(Peers.Python, "-c", farCode);
        string farPort = await far.WaitForLineAsync(_ => true);
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync("-i", "1", "udp-listen:127.0.0.1:0,fork", $"tcp:127.0.0.1:{farPort}");
        await using var _ = relay;
        await using var client = RunningProcess.Start(Peers.Python, "-c", peers, RelayProcess.Text(port));
        Assert.Equal(0, await client.WaitForExitAsync(RelayProcess.Bound));

        IReadOnlyList<string> answers = client.StdoutLines;
        Assert.Equal(6, answers.Count);
        string[] aConn = answers.Where(l => l.EndsWith(":a0", StringComparison.Ordinal) || l.EndsWith(":a1", StringComparison.Ordinal) || l.EndsWith(":a2", StringComparison.Ordinal)).Select(l => l.Split(':')[0]).Distinct().ToArray();
        string[] bConn = answers.Where(l => l.Contains(":b", StringComparison.Ordinal)).Select(l => l.Split(':')[0]).Distinct().ToArray();
        Assert.Single(aConn);
        Assert.Single(bConn);
        Assert.NotEqual(aConn[0], bConn[0]);

        // -i 1: each session ends a second after its last datagram, with its summary.
        await relay.WaitForStderrAsync(e => e.Split('\n').Count(l => l.EndsWith("ended: idle timeout", StringComparison.Ordinal)) == 2, RelayProcess.Bound);
        Assert.Contains("sent 6 bytes, received 24 bytes; ended: idle timeout", relay.Stderr, StringComparison.Ordinal);
        relay.Signal(15);
        Assert.Equal(0, await relay.WaitForExitAsync(RelayProcess.Bound));
    }

    [Fact]
    public async Task StdioToUdpSendsEachChunkAsADatagramAndEndsAfterTheLinger()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)peer.LocalEndPoint!).Port;
        using var dir = new TempDir();
        // stdin is a FIFO held open until the answer has been written out, so the linger after stdin's EOF
        // (half a second) only has to cover the quiet after the last datagram, however loaded the machine.
        string fifo = dir.File("in");
        Assert.Equal(0, await RunningProcess.Start("mkfifo", fifo).WaitForExitAsync());
        await using var relay = Shell.Run($"{Shell.Sockit} relay - udp:127.0.0.1:{port}", fifo, dir.File("out"));
        await using (var stdin = new FileStream(fifo, FileMode.Open, FileAccess.Write))
        {
            await stdin.WriteAsync(Encoding.ASCII.GetBytes("ping"));
            await stdin.FlushAsync();
            byte[] buffer = new byte[100];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            SocketReceiveFromResult got = await peer.ReceiveFromAsync(buffer, SocketFlags.None, from).WaitAsync(RelayProcess.Bound);
            Assert.Equal("ping", Encoding.ASCII.GetString(buffer, 0, got.ReceivedBytes));
            await peer.SendToAsync(Encoding.ASCII.GetBytes("pong"), SocketFlags.None, got.RemoteEndPoint);
            var deadline = DateTime.UtcNow + RelayProcess.Bound;
            while (new FileInfo(dir.File("out")).Length < 4 && DateTime.UtcNow < deadline) await Task.Delay(20);
        }
        Assert.Equal(0, await relay.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal("pong", await File.ReadAllTextAsync(dir.File("out")));
    }

    /// <summary>socat serving one client of a Unix socket at <paramref name="path"/> with a shell command, once the socket exists.</summary>
    private static async Task<RunningProcess> SocatOnUnixAsync(string path, string command)
    {
        var socat = RunningProcess.Start(Peers.Socat, $"UNIX-LISTEN:{path}", $"SYSTEM:{command}");
        await WaitForFileAsync(path);
        return socat;
    }

    private static async Task WaitForFileAsync(string path)
    {
        var deadline = DateTime.UtcNow + RunningProcess.DefaultWait;
        while (!File.Exists(path))
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"{path} never appeared");
            await Task.Delay(20);
        }
    }
}
