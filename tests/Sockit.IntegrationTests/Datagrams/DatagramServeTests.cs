using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Datagrams;

/// <summary><c>sockit serve --udp</c> over UDP/IPv4, UDP/IPv6 and Unix SOCK_DGRAM, against nc, socat and Python 3.</summary>
public sealed class DatagramServeTests
{
    private const string Reply = "I'm a grumpy server, don't connect, I don't want no friends!";

    public static TheoryData<string, string> PeersAndTransports()
    {
        var data = new TheoryData<string, string>();
        foreach (string peer in new[] { "nc", "socat", "python" })
            foreach (string transport in new[] { "udp4", "udp6", "unix" })
                data.Add(peer, transport);
        return data;
    }

    [Theory]
    [MemberData(nameof(PeersAndTransports))]
    public async Task ServerAnswersADatagramFromARealPeer(string peer, string transportName)
    {
        var transport = DatagramTransport.Parse(transportName);
        using var dir = new TempDir();
        await using var server = await transport.StartServerAsync(dir);
        string expectedListening = transport.IsUnix
            ? $"SERVER AT {dir.File("server.sock")} LISTENING FOR DATAGRAMS"
            : $"SERVER AT 0.0.0.0:{server.Port} LISTENING FOR DATAGRAMS";
        Assert.Equal(expectedListening, server.ListeningLine);

        string message = peer == "python" ? "Hello from python 0" : $"Hello from {peer}";
        await using var client = StartPeer(peer, transport, dir, server.Port);
        if (peer != "python")
        {
            // stdin stays open: nc and socat send each line as one datagram and print what comes back.
            await client.Input.WriteAsync(message + "\n");
            await client.Input.FlushAsync();
        }

        Assert.Equal(peer == "python" ? $"0: {Reply}" : Reply, await client.WaitForLineAsync(_ => true));
        string said = await server.Process.WaitForLineAsync(l => l.EndsWith(" said: " + message, StringComparison.Ordinal));
        string received = await server.Process.WaitForLineAsync(l => l.StartsWith("RECEIVED DATAGRAM FROM ", StringComparison.Ordinal));
        if (transport.IsUnix)
        {
            // Each peer binds its own address so the answer can reach it; the log shows that address.
            string sender = received["RECEIVED DATAGRAM FROM ".Length..];
            Assert.NotEqual("unnamed", sender);
            Assert.Equal($"{sender} said: {message}", said);
        }
        else
        {
            string host = transport.Loopback;
            string peerPattern = transport == DatagramTransport.Udp4 ? @"127\.0\.0\.1:\d+" : @"\[::1\]:\d+";
            Assert.Matches($"^RECEIVED DATAGRAM FROM {peerPattern}$", received);
            Assert.Equal($"{host} said: {message}", said);
        }
    }

    [Theory]
    [MemberData(nameof(DatagramTransport.All), MemberType = typeof(DatagramTransport))]
    public async Task ServerAnswersTenPeersSendingAtOnce(string transportName)
    {
        var transport = DatagramTransport.Parse(transportName);
        using var dir = new TempDir();
        await using var server = await transport.StartServerAsync(dir);
        string where = transport.IsUnix ? dir.File("server.sock") : server.Port.ToString(CultureInfo.InvariantCulture);

        // Ten sockets send before any of them reads, so all ten are in the server's hands at once.
        await using var senders = RunningProcess.Start(Peers.Python, "-c", PythonDatagrams.Senders, transport.Name, where, "10", dir.Path);
        Assert.Equal(0, await senders.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{i}: {Reply}"), senders.StdoutLines);

        for (int i = 0; i < 10; i++)
            await server.Process.WaitForLineAsync(l => l.EndsWith($" said: Hello from python {i}", StringComparison.Ordinal));
        var received = server.Process.StdoutLines.Where(l => l.StartsWith("RECEIVED DATAGRAM FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, received.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(DatagramTransport.All), MemberType = typeof(DatagramTransport))]
    public async Task ServerReportsADatagramLongerThanTheLimitAndStillAnswers(string transportName)
    {
        var transport = DatagramTransport.Parse(transportName);
        using var dir = new TempDir();
        await using var server = await transport.StartServerAsync(dir, "--max-message", "16");

        await using var client = RunningProcess.Sockit(ConnectArgs(transport, dir, server.Port, "--message", "this message is longer than sixteen bytes"));
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.EndsWith($" said: {Reply}", client.StdoutLines[1], StringComparison.Ordinal);

        await server.Process.WaitForLineAsync(l => l.EndsWith(" said: this message is ", StringComparison.Ordinal));
        await server.Process.WaitForLineAsync(l => l.StartsWith("DATAGRAM FROM ", StringComparison.Ordinal) && l.EndsWith(" CUT AT 16 BYTES", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerLogsThatAnUnboundUnixSenderCannotBeAnswered()
    {
        using var dir = new TempDir();
        await using var server = await DatagramTransport.Unix.StartServerAsync(dir);

        await using var sender = RunningProcess.Start(Peers.Python, "-c", PythonDatagrams.Unbound, "unix", dir.File("server.sock"));
        Assert.Equal(0, await sender.WaitForExitAsync());

        await server.Process.WaitForLineAsync("unnamed said: Hello from nowhere");
        await server.Process.WaitForLineAsync("CANNOT ANSWER unnamed: THE SENDER HAS NO ADDRESS (BIND THE CLIENT SOCKET)");
    }

    [Fact]
    public async Task UnixDatagramServerReplacesAStaleSocketFileButNotALiveOne()
    {
        using var dir = new TempDir();
        string path = dir.File("server.sock");
        // A socket file nobody holds any more: what a killed server leaves behind.
        await PythonDatagrams.LeaveStaleSocketFileAsync(path);

        await using var server = await DatagramTransport.Unix.StartServerAsync(dir);
        Assert.Equal($"SERVER AT {path} LISTENING FOR DATAGRAMS", server.ListeningLine);

        await using var second = RunningProcess.Sockit("serve", "--unix", path, "--udp");
        Assert.Equal(1, await second.WaitForExitAsync());
        Assert.Equal($"[Server bind error]: {path}: Address already in use (a server is listening there)", second.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(DatagramTransport.All), MemberType = typeof(DatagramTransport))]
    public async Task ServerStopsCleanlyOnSigterm(string transportName)
    {
        var transport = DatagramTransport.Parse(transportName);
        using var dir = new TempDir();
        await using var server = await transport.StartServerAsync(dir);
        server.Process.Signal(15);
        Assert.Equal(0, await server.Process.WaitForExitAsync());
        Assert.Equal("SERVER STOPPED", server.Process.StdoutLines[^1]);
        if (transport.IsUnix) Assert.False(File.Exists(dir.File("server.sock")));
    }

    [Fact]
    public async Task SecondUdpServerOnTheSamePortFailsWithOneLine()
    {
        await using var first = await ServerProcess.StartAsync("--udp");
        await using var second = RunningProcess.Sockit("serve", first.Port.ToString(CultureInfo.InvariantCulture), "--udp");
        Assert.Equal(1, await second.WaitForExitAsync());
        Assert.Equal("[Server bind error]: Address already in use", second.Stderr.Trim());
    }

    private static string[] ConnectArgs(DatagramTransport transport, TempDir dir, int port, params string[] extra)
        => transport.IsUnix
            ? ["connect", "--unix", dir.File("server.sock"), "--udp", .. extra]
            : ["connect", transport.Loopback, port.ToString(CultureInfo.InvariantCulture), "--udp", .. extra];

    private static RunningProcess StartPeer(string peer, DatagramTransport transport, TempDir dir, int port)
    {
        string portText = port.ToString(CultureInfo.InvariantCulture);
        string path = dir.File("server.sock");
        return (peer, transport.Name) switch
        {
            ("nc", "unix") => RunningProcess.Start(Peers.Nc, "-u", "-U", path),
            ("nc", _) => RunningProcess.Start(Peers.Nc, "-u", transport.Loopback, portText),
            ("socat", "udp4") => RunningProcess.Start(Peers.Socat, "-", $"UDP4:127.0.0.1:{portText}"),
            ("socat", "udp6") => RunningProcess.Start(Peers.Socat, "-", $"UDP6:[::1]:{portText}"),
            ("socat", _) => RunningProcess.Start(Peers.Socat, "-", $"UNIX-SENDTO:{path},bind={dir.File("socat.sock")}"),
            _ => RunningProcess.Start(Peers.Python, "-c", PythonDatagrams.Senders, transport.Name, transport.IsUnix ? path : portText, "1", dir.Path),
        };
    }
}
