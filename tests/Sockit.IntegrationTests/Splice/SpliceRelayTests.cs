using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Splice;

/// <summary>
/// <c>sockit relay tcp-listen:... tcp:...</c> with the splice(2) fast path on and off (SOCKIT_SPLICE=0): the same
/// bytes arrive (SHA-256), each side's half-close crosses while the other direction keeps flowing, and a peer
/// reset mid-transfer ends the relay the same way. The trace proves which path moved the bytes.
/// </summary>
public sealed class SpliceRelayTests
{
    private const long Size = 64L * 1024 * 1024;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RelayCarries64MiBEachWayIdenticallyWithSpliceOnAndOff(bool splice)
    {
        using var dir = new TempDir();
        string up = SplicePeers.RandomFile(dir.File("up"), Size), down = SplicePeers.RandomFile(dir.File("down"), Size);
        int farPort = FreePort.Tcp();
        await using var far = Shell.Run($"{Peers.Socat} -t 60 TCP-LISTEN:{farPort},bind=127.0.0.1,reuseaddr -", dir.File("down"), dir.File("at-far"));
        await Shell.WaitForListenerAsync(farPort);
        (RunningProcess relay, int port) = await SplicePeers.RelayAsync(splice, farPort);
        await using var _ = relay;

        await using var client = Shell.Run($"{Peers.Nc} -N 127.0.0.1 {port}", dir.File("up"), dir.File("at-client"));
        await AssertCarriedAsync(splice, (client, far, relay), dir, (up, down), Size);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task EitherSidesHalfCloseCrossesWhileTheOtherDirectionKeepsFlowing(bool splice, bool clientClosesFirst)
    {
        // The side that sends first shuts its sending side and only then reads; the other reads to EOF and only
        // then answers. The answer arriving whole proves the EOF crossed the relay and the other direction went on.
        const long size = 16L * 1024 * 1024;
        using var dir = new TempDir();
        string up = SplicePeers.RandomFile(dir.File("up"), size), down = SplicePeers.RandomFile(dir.File("down"), size);
        (string clientOrder, string farOrder) = clientClosesFirst ? ("send-first", "read-first") : ("read-first", "send-first");
        (RunningProcess far, int farPort) = await SplicePeers.ListenAsync(farOrder, dir.File("down"), dir.File("at-far"));
        await using var _ = far;
        (RunningProcess relay, int port) = await SplicePeers.RelayAsync(splice, farPort);
        await using var __ = relay;

        await using var client = SplicePeers.Python(RelayTextPort(port), clientOrder, dir.File("up"), dir.File("at-client"));
        await AssertCarriedAsync(splice, (client, far, relay), dir, (up, down), size);
    }

    [Fact]
    public async Task PeerResetMidTransferEndsTheRelayAsThePortablePathDoes()
    {
        // The far side reads 1 MiB of a 64 MiB upload, then resets (SO_LINGER 0). Both paths must end the relay
        // promptly with the same reason and exit code, and neither may claim more than was sent.
        (string Summary, int ExitCode) spliced = await ResetRunAsync(splice: true);
        (string Summary, int ExitCode) portable = await ResetRunAsync(splice: false);
        Assert.Contains("ended: connection reset by peer", portable.Summary, StringComparison.Ordinal);
        Assert.Contains("ended: connection reset by peer", spliced.Summary, StringComparison.Ordinal);
        Assert.Equal(portable.ExitCode, spliced.ExitCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task IdleTimeoutEndsARelayThatWentQuietAfterABulkUpload(bool splice)
    {
        // 4 MiB up (the upload switches to splice), then nobody sends or closes: only -i 1 can end the relay,
        // and it must, with every byte delivered and counted as on the portable path.
        const long size = 4L * 1024 * 1024;
        const string clientCode = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(100)
            s.sendall(b"i" * (4 << 20))
            while s.recv(65536): pass
            """;
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.File("nothing"), []);
        (RunningProcess far, int farPort) = await SplicePeers.ListenAsync("read-first", dir.File("nothing"), dir.File("at-far"));
        await using var _ = far;
        (RunningProcess relay, int port) = await SplicePeers.RelayAsync(splice, farPort, "-i", "1");
        await using var __ = relay;
        await using var client = RunningProcess.Start(Peers.Python, "-c", clientCode, RelayTextPort(port));

        Assert.Equal(0, await relay.WaitForExitAsync(SplicePeers.Bound));
        Assert.Contains($"sent {size} bytes, received 0 bytes; ended: idle timeout", relay.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await client.WaitForExitAsync(SplicePeers.Bound));
        Assert.Equal(0, await far.WaitForExitAsync(SplicePeers.Bound));
        Assert.Equal(size, new FileInfo(dir.File("at-far")).Length);
        AssertPath(splice, relay.Stderr);
    }

    private static async Task<(string Summary, int ExitCode)> ResetRunAsync(bool splice)
    {
        const string farCode = """
            import socket, struct
            srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
            print(srv.getsockname()[1], flush=True)
            c, _ = srv.accept(); got = 0
            while got < (1 << 20):
                d = c.recv(65536)
                if not d: break
                got += len(d)
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); c.close()
            print("reset", flush=True)
            """;
        const string clientCode = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(60)
            try:
                for _ in range(64): s.sendall(b"r" * (1 << 20))
                s.recv(1)
            except OSError:
                pass
            """;
        await using var far = RunningProcess.Start(Peers.Python, "-c", farCode);
        int farPort = int.Parse(await far.WaitForLineAsync(_ => true), System.Globalization.CultureInfo.InvariantCulture);
        (RunningProcess relay, int port) = await SplicePeers.RelayAsync(splice, farPort);
        await using var _ = relay;
        await using var client = RunningProcess.Start(Peers.Python, "-c", clientCode, RelayTextPort(port));
        await far.WaitForLineAsync("reset", SplicePeers.Bound);
        int exitCode = await relay.WaitForExitAsync(SplicePeers.Bound);
        Assert.Equal(0, await client.WaitForExitAsync(SplicePeers.Bound));
        string summary = relay.Stderr.Split('\n').Single(l => l.Contains("; ended: ", StringComparison.Ordinal));
        long sent = long.Parse(summary[(summary.IndexOf(": sent ", StringComparison.Ordinal) + 7)..summary.IndexOf(" bytes,", StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(sent, 1L << 20, 64L << 20);
        if (splice) Assert.True(SplicePeers.SpliceCalls(relay.Stderr) > 0, "the upload never switched to splice(2)");
        return (summary, exitCode);
    }

    /// <summary>Client and far side exit cleanly with each other's file whole (at-far, at-client); the relay ends clean and counted both ways.</summary>
    private static async Task AssertCarriedAsync(bool splice, (RunningProcess Client, RunningProcess Far, RunningProcess Relay) p, TempDir dir, (string Up, string Down) hashes, long size)
    {
        Assert.Equal(0, await p.Client.WaitForExitAsync(SplicePeers.Bound));
        Assert.Equal(0, await p.Far.WaitForExitAsync(SplicePeers.Bound));
        Assert.Equal(hashes.Up, BulkData.Hash(dir.File("at-far")));
        Assert.Equal(hashes.Down, BulkData.Hash(dir.File("at-client")));
        Assert.Equal(0, await p.Relay.WaitForExitAsync(SplicePeers.Bound));
        Assert.Contains($"sent {size} bytes, received {size} bytes; ended: both directions closed", p.Relay.Stderr, StringComparison.Ordinal);
        AssertPath(splice, p.Relay.Stderr);
    }

    private static string RelayTextPort(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertPath(bool splice, string trace)
    {
        int calls = SplicePeers.SpliceCalls(trace);
        if (splice) Assert.True(calls > 0, "no splice(2) call in the trace: the fast path did not run");
        else Assert.Equal(0, calls);
    }
}
