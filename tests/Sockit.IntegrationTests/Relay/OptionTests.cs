using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary>-w, -s/-p, -6, -U against other programs, -C.</summary>
public sealed class OptionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConnectTimeoutIsOneClearError()
    {
        // A listener whose backlog is full: the kernel drops further SYNs, so connect() hangs.
        const string full = """
            import socket, sys, time
            s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)
            port = s.getsockname()[1]
            held = []
            for _ in range(3):
                c = socket.socket(); c.setblocking(False)
                try: c.connect(("127.0.0.1", port))
                except BlockingIOError: pass
                held.append(c)
            print(port, flush=True)
            sys.stdin.read()
            """;
        await using var python = RunningProcess.Start(Peers.Python, "-c", full);
        string port = await python.WaitForLineAsync(_ => true);
        await using var ours = RunningProcess.Sockit("cat", "-w", "1", "127.0.0.1", port);
        Assert.Equal(1, await ours.WaitForExitAsync(Bound));
        Assert.Equal($"[Client connect error]: no answer from 127.0.0.1:{port} within 1 s", ours.Stderr.Trim());
    }

    [Fact]
    public async Task SourceAddressAndPortAreBound()
    {
        using var listener = LoopbackListener.Tcp4();
        int sourcePort = FreePort.Tcp();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await using var ours = RunningProcess.Sockit("nc", "-s", "127.0.0.1", "-p", sourcePort.ToString(CultureInfo.InvariantCulture),
            "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        using Socket accepted = await listener.AcceptAsync().WaitAsync(Bound);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, sourcePort), accepted.RemoteEndPoint);
        ours.Input.Close();
    }

    [Fact]
    public async Task RelayRunsOverIPv6()
    {
        await using var listener = RunningProcess.Sockit("cat", "-6", "-l", "-v", "::1", "0");
        string listening = await listener.WaitForStderrLineAsync("Listening on ");
        string port = listening[(listening.LastIndexOf(':') + 1)..];
        Assert.StartsWith("Listening on [::1]:", listening, StringComparison.Ordinal);
        await using var connector = RunningProcess.Sockit("cat", "-6", "::1", port);
        await connector.Input.WriteAsync("over six\n");
        connector.Input.Close();
        Assert.Equal("over six", await listener.WaitForLineAsync(_ => true, Bound));
        await listener.Input.WriteAsync("and back\n");
        listener.Input.Close();
        Assert.Equal("and back", await connector.WaitForLineAsync(_ => true, Bound));
        Assert.Equal(0, await connector.WaitForExitAsync(Bound));
        Assert.Equal(0, await listener.WaitForExitAsync(Bound));
    }

    /// <summary><c>sockit cat -l -U PATH</c> (the path is -U's value) and <c>sockit nc -U -l PATH</c> (nc's flag, the path a positional).</summary>
    [Theory]
    [InlineData("cat", "ncat")]
    [InlineData("nc", "nc")]
    public async Task UnixListenerTalksToNcAndNcat(string command, string peer)
    {
        using var dir = new TempDir();
        string path = dir.File("n.sock");
        await using var ours = command == "cat" ? RunningProcess.Sockit("cat", "-l", "-v", "-U", path) : RunningProcess.Sockit("nc", "-U", "-l", "-v", path);
        await ours.WaitForStderrLineAsync("Listening on ");
        await using var other = peer == "ncat" ? RunningProcess.Start(Peers.Ncat, "-U", path) : RunningProcess.Start(Peers.Nc, "-N", "-U", path);
        await other.Input.WriteAsync($"from {peer}\n");
        other.Input.Close();
        Assert.Equal($"from {peer}", await ours.WaitForLineAsync(_ => true, Bound));
        await ours.Input.WriteAsync("from sockit\n");
        ours.Input.Close();
        Assert.Equal("from sockit", await other.WaitForLineAsync(_ => true, Bound));
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
    }

    [Fact]
    public async Task CrlfFlagSendsNetworkLineEndings()
    {
        using var listener = LoopbackListener.Tcp4();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await using var ours = RunningProcess.Sockit("cat", "-C", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        await ours.Input.WriteAsync("GET / HTTP/1.0\n\n");
        ours.Input.Close();
        using Socket accepted = await listener.AcceptAsync().WaitAsync(Bound);
        var got = new MemoryStream();
        byte[] buffer = new byte[256];
        using var deadline = new CancellationTokenSource(Bound);
        int n;
        while ((n = await accepted.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0) got.Write(buffer, 0, n);
        Assert.Equal("GET / HTTP/1.0\r\n\r\n", System.Text.Encoding.ASCII.GetString(got.ToArray()));
    }
}
