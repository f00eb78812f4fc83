using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary><c>sockit relay -l ADDR:PORT HOST PORT</c>: bulk both ways, half-close carried across, a refused upstream, many clients.</summary>
public sealed class ForwarderTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>Starts the forwarder towards <paramref name="upstreamPort"/> and returns it with its listen port.</summary>
    private static async Task<(RunningProcess Relay, int Port)> StartRelayAsync(int upstreamPort)
    {
        var relay = RunningProcess.Sockit("relay", "-l", "127.0.0.1:0", "-v", "127.0.0.1", upstreamPort.ToString(CultureInfo.InvariantCulture));
        string line = await relay.WaitForStderrLineAsync("Listening on ");
        string address = line["Listening on ".Length..line.IndexOf(',', StringComparison.Ordinal)];
        return (relay, int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task BulkDataCrossesTheForwarderIntactBothWays()
    {
        using var dir = new TempDir();
        string atUpstream = dir.File("at-upstream.bin"), atClient = dir.File("at-client.bin");
        (RunningProcess upstream, int upstreamPort) = await Shell.ListenAsync("", BulkData.Received.Path, atUpstream);
        await using var _ = upstream;
        (RunningProcess relay, int port) = await StartRelayAsync(upstreamPort);
        await using var __ = relay;

        await using var client = Shell.Run($"{Shell.Sockit} cat 127.0.0.1 {port}", BulkData.Sent.Path, atClient);
        Assert.Equal(0, await client.WaitForExitAsync(Bound));
        Assert.Equal(0, await upstream.WaitForExitAsync(Bound));
        Assert.Equal(BulkData.Sent.Hash, BulkData.Hash(atUpstream));
        Assert.Equal(BulkData.Received.Hash, BulkData.Hash(atClient));

        string summary = await relay.WaitForStderrLineAsync("127.0.0.1:");
        Assert.Contains($"sent {BulkData.Size} bytes, received {BulkData.Size} bytes; ended: both directions closed", relay.Stderr, StringComparison.Ordinal);
        Assert.NotEmpty(summary);
        relay.Signal(15);
        Assert.Equal(0, await relay.WaitForExitAsync(Bound));
    }

    [Fact]
    public async Task ClientsHalfCloseReachesTheUpstreamWhichThenAnswers()
    {
        // The upstream answers only after it has read to EOF, so the answer proves the shutdown crossed the relay;
        // the client, half-closed, must still receive it. Three clients at once, each on its own upstream connection.
        const string upstreamCode = """
            import hashlib, socket, threading
            srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(16)
            print(srv.getsockname()[1], flush=True)
            def serve(c):
                h = hashlib.sha256(); n = 0
                while True:
                    d = c.recv(65536)
                    if not d: break
                    h.update(d); n += len(d)
                c.sendall(f"{n} {h.hexdigest()}\n".encode()); c.close()
            while True:
                c, _ = srv.accept()
                threading.Thread(target=serve, args=(c,), daemon=True).start()
            """;
        const string clientCode = """
            import socket, sys
            socks = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(3)]
            for i, s in enumerate(socks):
                s.sendall(b"x" * (1000 * (i + 1))); s.shutdown(socket.SHUT_WR)
            for s in socks:
                s.settimeout(60)
                data = b""
                while True:
                    d = s.recv(65536)
                    if not d: break
                    data += d
                print(data.decode().split()[0], flush=True)
            """;
        await using var upstream = RunningProcess.Start(Peers.Python, "-c", upstreamCode);
        int upstreamPort = int.Parse(await upstream.WaitForLineAsync(_ => true), CultureInfo.InvariantCulture);
        (RunningProcess relay, int port) = await StartRelayAsync(upstreamPort);
        await using var _ = relay;
        await using var client = RunningProcess.Start(Peers.Python, "-c", clientCode, port.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, await client.WaitForExitAsync(Bound));
        Assert.Equal(["1000", "2000", "3000"], client.StdoutLines);
    }

    [Fact]
    public async Task RefusedUpstreamClosesTheClientWithOneLogLine()
    {
        const string clientCode = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.settimeout(60)
            try:
                print("closed" if s.recv(1) == b"" else "data", flush=True)
            except ConnectionResetError:
                print("closed", flush=True)
            """;
        int nothing = FreePort.Closed();
        (RunningProcess relay, int port) = await StartRelayAsync(nothing);
        await using var _ = relay;
        await using var client = RunningProcess.Start(Peers.Python, "-c", clientCode, port.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, await client.WaitForExitAsync(Bound));
        Assert.Equal(["closed"], client.StdoutLines);
        string line = await relay.WaitForStderrLineAsync("[Relay connect error]");
        Assert.Contains("refused", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"127.0.0.1:{nothing}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", relay.Stderr, StringComparison.Ordinal);
        Assert.False(relay.Process.HasExited); // still serving
    }
}
