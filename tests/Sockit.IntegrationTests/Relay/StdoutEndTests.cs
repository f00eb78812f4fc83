using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary>
/// When the peer's data ends, a reader of our stdout sees EOF at once, while sockit still runs (its stdin is
/// still open); and a listener whose stdin is a terminal exits at the peer's EOF.
/// </summary>
public sealed class StdoutEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ConnectModeStdoutEndsAtThePeersEofWhileStdinIsOpen()
    {
        using var listener = LoopbackListener.Tcp4();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await using var ours = RunningProcess.Sockit("nc", "-v", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        using Socket peer = await listener.AcceptAsync().WaitAsync(Bound);
        await PeerSaysItsPartAndHalfClosesAsync(peer, ours);
    }

    [Fact]
    public async Task ListenModeStdoutEndsAtThePeersEofWhileStdinIsOpen()
    {
        await using var ours = RunningProcess.Sockit("cat", "-l", "-v", "127.0.0.1", "0");
        int port = await KeepOpenSlotTests.ListeningPortAsync(ours);
        using Socket peer = await KeepOpenSlotTests.ConnectAsync(port);
        await PeerSaysItsPartAndHalfClosesAsync(peer, ours);
    }

    private static async Task PeerSaysItsPartAndHalfClosesAsync(Socket peer, RunningProcess ours)
    {
        await peer.SendAsync("the whole payload\n"u8.ToArray());
        peer.Shutdown(SocketShutdown.Send);
        await ours.WaitForStdoutEndAsync(Bound);
        Assert.Equal(["the whole payload"], ours.StdoutLines);
        Assert.False(ours.Process.HasExited, "sockit exited; stdout must end while it still runs");

        // Its stdin still goes to the peer afterwards; then both ends are done.
        await ours.Input.WriteAsync("late reply\n");
        ours.Input.Close();
        byte[] buffer = new byte[64];
        int n = await peer.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Bound);
        Assert.Equal("late reply\n", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
    }

    // Runs `sockit nc -l` with a pseudo-terminal as stdin (idle: nothing typed) and stdout to a file; a client
    // sends one line and half-closes. Prints "exit RC" or "still running".
    private const string ListenerOnATerminal = """
        import os, pty, socket, subprocess, sys
        master, slave = pty.openpty()
        with open(sys.argv[2], "wb") as out:
            p = subprocess.Popen([sys.argv[1], "nc", "-l", "-v", "127.0.0.1", "0"], stdin=slave, stdout=out, stderr=subprocess.PIPE)
        os.close(slave)
        line = p.stderr.readline().decode().strip()
        s = socket.create_connection(("127.0.0.1", int(line.rsplit(":", 1)[1])))
        s.sendall(b"typed elsewhere\n"); s.shutdown(socket.SHUT_WR)
        try:
            print("exit", p.wait(timeout=float(sys.argv[3])), flush=True)
        except subprocess.TimeoutExpired:
            p.kill(); p.wait()
            print("still running", flush=True)
        os.close(master)
        """;

    [Fact]
    public async Task ListenerWithATerminalStdinExitsAtThePeersEof()
    {
        using var dir = new TempDir();
        string output = dir.File("out.txt");
        await using var python = RunningProcess.Start(Peers.Python, "-c", ListenerOnATerminal, Repo.SockitPath, output, "8");
        Assert.Equal(0, await python.WaitForExitAsync(Bound));
        Assert.Equal(["exit 0"], python.StdoutLines);
        Assert.Equal("typed elsewhere\n", await File.ReadAllTextAsync(output));
    }
}
