using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary>Half-close both ways, a peer that resets mid-stream, a refused connection.</summary>
public sealed class HalfCloseTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    // Reads everything to EOF, then answers with its length and SHA-256 (so it can only answer after our shutdown).
    private const string ReplyAfterEof = """
        import hashlib, socket, sys
        srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
        print(srv.getsockname()[1], flush=True)
        c, _ = srv.accept()
        h = hashlib.sha256(); n = 0
        while True:
            d = c.recv(65536)
            if not d: break
            h.update(d); n += len(d)
        c.sendall(f"{n} {h.hexdigest().upper()}\n".encode())
        c.close()
        """;

    [Fact]
    public async Task PeerRepliesAfterOurEndOfInput()
    {
        using var dir = new TempDir();
        await using var python = RunningProcess.Start(Peers.Python, "-c", ReplyAfterEof);
        string port = await python.WaitForLineAsync(_ => true);
        string output = dir.File("reply.txt");
        await using var ours = Shell.Run($"{Shell.Sockit} cat -v 127.0.0.1 {port}", BulkData.Sent.Path, output);
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.Equal($"{BulkData.Size} {BulkData.Sent.Hash}\n", await File.ReadAllTextAsync(output));
        Assert.Contains(ours.StdoutLines, l => l.EndsWith("ended: both directions closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WeKeepSendingAfterThePeerHalfCloses()
    {
        // The client says its request and half-closes; sockit prints it, and only then is given its answer.
        const string client = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.sendall(b"request\n"); s.shutdown(socket.SHUT_WR)
            data = b""
            while True:
                d = s.recv(65536)
                if not d: break
                data += d
            sys.stdout.write(data.decode()); sys.stdout.flush()
            """;
        await using var ours = RunningProcess.Sockit("cat", "-l", "0", "-v");
        string listening = await ours.WaitForStderrLineAsync("Listening on ");
        string port = listening[(listening.LastIndexOf(':') + 1)..];
        await using var python = RunningProcess.Start(Peers.Python, "-c", client, port);
        Assert.Equal("request", await ours.WaitForLineAsync(_ => true));
        await ours.Input.WriteAsync("answer after your EOF\n");
        ours.Input.Close();
        Assert.Equal(0, await python.WaitForExitAsync(Bound));
        Assert.Equal(["answer after your EOF"], python.StdoutLines);
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
    }

    [Fact]
    public async Task ListenerSendsAllItsInputAfterTheClientsEof()
    {
        // nc -l and ncat -l stop at the client's EOF and drop what they had not sent yet; sockit finishes.
        const string client = """
            import hashlib, socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            s.sendall(b"send me everything\n"); s.shutdown(socket.SHUT_WR)
            h = hashlib.sha256(); n = 0
            while True:
                d = s.recv(65536)
                if not d: break
                h.update(d); n += len(d)
            print(n, h.hexdigest().upper(), flush=True)
            """;
        using var dir = new TempDir();
        string output = dir.File("request.txt");
        (RunningProcess ours, int port) = await Shell.ListenAsync("", BulkData.Received.Path, output);
        await using var _ = ours;
        await using var python = RunningProcess.Start(Peers.Python, "-c", client, port.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, await python.WaitForExitAsync(Bound));
        Assert.Equal([$"{BulkData.Size} {BulkData.Received.Hash}"], python.StdoutLines);
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.Equal("send me everything\n", await File.ReadAllTextAsync(output));
    }

    [Fact]
    public async Task SessionLogHoldsBothDirections()
    {
        using var dir = new TempDir();
        await using var python = RunningProcess.Start(Peers.Python, "-c", ReplyAfterEof);
        string port = await python.WaitForLineAsync(_ => true);
        string log = dir.File("session.log"), input = dir.File("in.txt");
        await File.WriteAllTextAsync(input, "abc");
        await using var ours = Shell.Run($"{Shell.Sockit} nc -o {Shell.Quote(log)} 127.0.0.1 {port}", input, dir.File("out"));
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.StartsWith("abc3 ", await File.ReadAllTextAsync(log), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeerResetMidStreamIsOneClearErrorAndFailure()
    {
        const string resetter = """
            import socket, struct
            srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
            print(srv.getsockname()[1], flush=True)
            c, _ = srv.accept()
            got = 0
            while got < 1 << 20:
                got += len(c.recv(65536))
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
            """;
        using var dir = new TempDir();
        await using var python = RunningProcess.Start(Peers.Python, "-c", resetter);
        string port = await python.WaitForLineAsync(_ => true);
        await using var ours = Shell.Run($"{Shell.Sockit} cat 127.0.0.1 {port}", BulkData.Sent.Path, dir.File("out"));
        Assert.Equal(1, await ours.WaitForExitAsync(Bound));
        string error = Assert.Single(ours.StdoutLines);
        Assert.Matches("^\\[Relay error\\]: connection reset by peer after \\d+ bytes sent, 0 received$", error);
    }

    [Fact]
    public async Task RefusedConnectionIsOneClearErrorAndFailure()
    {
        await using var ours = RunningProcess.Sockit("cat", "127.0.0.1", FreePort.Closed().ToString(CultureInfo.InvariantCulture));
        ours.Input.Close();
        Assert.Equal(1, await ours.WaitForExitAsync(Bound));
        Assert.Equal("[Client connect error]: Connection refused", ours.Stderr.Trim());
    }
}
