using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Echo;

/// <summary><c>sockit serve PORT --echo</c> against nc and Python: bytes come back whole, half-close is honoured.</summary>
public sealed class EchoServeTests
{
    [Fact]
    public async Task EchoServerReturnsAnNcClientsLineAndHalfClosesAfterIt()
    {
        await using var server = await ServerProcess.StartAsync("--echo");
        Assert.Equal($"SERVER AT 0.0.0.0:{server.Port} LISTENING FOR CONNECTIONS", server.ListeningLine);

        // -N: shutdown(SHUT_WR) when stdin ends; nc then exits only once the server half-closes in turn.
        await using var nc = RunningProcess.Start(Peers.Nc, "-N", "127.0.0.1", server.Port.ToString());
        await nc.Input.WriteAsync("echo me, please\n");
        nc.Input.Close();

        Assert.Equal(0, await nc.WaitForExitAsync());
        Assert.Equal(["echo me, please"], nc.StdoutLines);
        await server.Process.WaitForLineAsync(l => l.StartsWith("RECEIVED CONNECTION FROM 127.0.0.1:", StringComparison.Ordinal));
        await server.Process.WaitForLineAsync(l => l.StartsWith("ECHOED 16 BYTES TO 127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EchoServerReturnsOneMebibyteIntactToAPythonClient()
    {
        await using var server = await ServerProcess.StartAsync("--echo");
        // Sends 1 MiB of random bytes from a thread while reading the echo, half-closes, reads to EOF, and
        // compares SHA-256 digests: any lost, duplicated or reordered byte changes the digest.
        const string script = """
            import hashlib, os, socket, sys, threading
            data = os.urandom(1 << 20)
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=60)
            def send():
                s.sendall(data)
                s.shutdown(socket.SHUT_WR)
            t = threading.Thread(target=send)
            t.start()
            got = bytearray()
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
            t.join()
            print(len(got), hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest())
            """;
        await using var python = RunningProcess.Start(Peers.Python, "-c", script, server.Port.ToString());
        Assert.Equal(0, await python.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(["1048576 True"], python.StdoutLines);
        await server.Process.WaitForLineAsync(l => l.StartsWith("ECHOED 1048576 BYTES TO ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EchoServerKeepsEchoingUntilTheClientHalfCloses()
    {
        await using var server = await ServerProcess.StartAsync("--echo");
        // Several turns on one connection; EOF arrives only after our own shutdown(SHUT_WR), and the
        // server's side still delivers the last turn's echo before it.
        const string script = """
            import socket, sys
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
            def read(n):
                got = b""
                while len(got) < n:
                    chunk = s.recv(n - len(got))
                    if not chunk:
                        raise SystemExit("EOF before the echo")
                    got += chunk
                return got
            for word in (b"ping", b"pong", b"last"):
                s.sendall(word)
                assert read(len(word)) == word, word
            s.sendall(b"tail")
            s.shutdown(socket.SHUT_WR)
            rest = b""
            while True:
                chunk = s.recv(100)
                if not chunk:
                    break
                rest += chunk
            print(rest.decode())
            """;
        await using var python = RunningProcess.Start(Peers.Python, "-c", script, server.Port.ToString());
        Assert.Equal(0, await python.WaitForExitAsync(TimeSpan.FromSeconds(40)));
        Assert.Equal(["tail"], python.StdoutLines);
        await server.Process.WaitForLineAsync(l => l.StartsWith("ECHOED 16 BYTES TO ", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Process.StdoutLines, l => l.Contains("said:", StringComparison.Ordinal));
    }
}
