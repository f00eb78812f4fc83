using System.Globalization;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Datagrams;

/// <summary><c>sockit connect --udp</c> against Python and socat responders, silent peers and closed ports.</summary>
public sealed class DatagramConnectTests
{
    private const string Hello = "Hello server, would you like to chat?";

    [Theory]
    [MemberData(nameof(DatagramTransport.All), MemberType = typeof(DatagramTransport))]
    public async Task ClientPrintsTheAnswerOfAPythonResponder(string transportName)
    {
        var transport = DatagramTransport.Parse(transportName);
        using var dir = new TempDir();
        string path = dir.File("responder.sock");
        await using var responder = RunningProcess.Start(Peers.Python, "-c", PythonDatagrams.Responder, transport.Name, transport.IsUnix ? path : "0");
        string ready = await responder.WaitForLineAsync(l => l.StartsWith("READY ", StringComparison.Ordinal));
        string port = ready["READY ".Length..];

        string[] args = transport.IsUnix
            ? ["connect", "--unix", path, "--udp"]
            : ["connect", transport.Loopback, port, "-u"];
        await using var client = RunningProcess.Sockit(args);
        Assert.Equal(0, await client.WaitForExitAsync());

        string where = transport.IsUnix ? path : $"{transport.Loopback}:{port}";
        string host = transport.IsUnix ? path : transport.Loopback;
        Assert.Equal([$"CLIENT CONNECTED TO SERVER AT {where}", $"{host} said: Go away, you said: {Hello}"], client.StdoutLines);
        await responder.WaitForLineAsync($"GOT {Hello}");
    }

    [Theory]
    [MemberData(nameof(DatagramTransport.Udp), MemberType = typeof(DatagramTransport))]
    public async Task ClientPrintsTheAnswerOfASocatResponder(string transportName)
    {
        var transport = DatagramTransport.Parse(transportName);
        var family = transport == DatagramTransport.Udp4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        int port = FreePort.Udp(family);
        string address = transport == DatagramTransport.Udp4 ? $"UDP4-RECVFROM:{port},bind=127.0.0.1" : $"UDP6-RECVFROM:{port},bind=[::1]";
        // The shell reads the datagram before it answers: a child that exits unread makes socat fail with EPIPE.
        await using var socat = RunningProcess.Start(Peers.Socat, "-d", "-d", address, "SYSTEM:read line; echo \"grumpy, you said: $line\"");
        await WaitUntilSocatHoldsAsync(socat, transport, port);

        await using var client = RunningProcess.Sockit("connect", transport.Loopback, port.ToString(CultureInfo.InvariantCulture), "--udp", "--timeout", "10");
        Assert.True(0 == await client.WaitForExitAsync(), $"client failed: {client.Stderr}\nsocat: {socat.Stderr}");
        Assert.Equal($"{transport.Loopback} said: grumpy, you said: {Hello}", client.StdoutLines[^1]);
    }

    [Theory]
    [MemberData(nameof(DatagramTransport.All), MemberType = typeof(DatagramTransport))]
    public async Task ClientGivesUpWhenNobodyAnswers(string transportName)
    {
        var transport = DatagramTransport.Parse(transportName);
        using var dir = new TempDir();
        using Socket silent = transport.BindSilent(dir);

        await using var client = RunningProcess.Sockit(transport.ConnectArgs(silent.LocalEndPoint!, "--timeout", "1"));
        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Equal("[Client recv error]: no reply within 1 s", client.Stderr.Trim());

        // The hello did arrive: the silence was the peer's, not a lost send.
        var buffer = new byte[1024];
        using var received = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int n = await silent.ReceiveAsync(buffer, SocketFlags.None, received.Token);
        Assert.Equal(Hello + "\n", System.Text.Encoding.UTF8.GetString(buffer, 0, n));
    }

    [Theory]
    [MemberData(nameof(DatagramTransport.Udp), MemberType = typeof(DatagramTransport))]
    public async Task ClientReportsARefusedUdpPortInsteadOfWaiting(string transportName)
    {
        var transport = DatagramTransport.Parse(transportName);
        int port = FreePort.Udp(transport == DatagramTransport.Udp4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6);

        // The ICMP "port unreachable" reaches a connected UDP socket as ECONNREFUSED, long before the timeout.
        await using var client = RunningProcess.Sockit("connect", transport.Loopback, port.ToString(CultureInfo.InvariantCulture), "--udp", "--timeout", "60");
        Assert.Equal(1, await client.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("[Client recv error]: Connection refused", client.Stderr.Trim());
    }

    [Fact]
    public async Task ClientReportsAUnixPathNobodyHolds()
    {
        using var dir = new TempDir();
        string path = dir.File("dead.sock");
        await PythonDatagrams.LeaveStaleSocketFileAsync(path);

        await using var client = RunningProcess.Sockit("connect", "--unix", path, "--udp");
        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Equal("[Client connect error]: Connection refused", client.Stderr.Trim());
    }

    [Fact]
    public async Task ClientTracesItsDatagramCalls()
    {
        using var dir = new TempDir();
        await using var server = await DatagramTransport.Udp4.StartServerAsync(dir);
        await using var client = RunningProcess.Sockit("connect", "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture), "--udp", "--trace");
        Assert.Equal(0, await client.WaitForExitAsync());
        string[] calls = client.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^socket\(AF_INET, SOCK_DGRAM, 0\) = \d+$", calls[0]);
        Assert.StartsWith("connect(", calls[1], StringComparison.Ordinal);
        Assert.StartsWith("send(", calls[2], StringComparison.Ordinal);
        Assert.StartsWith("recv(", calls[3], StringComparison.Ordinal);
    }

    /// <summary>
    /// socat prints no readiness line (nor the port when given 0), so the test picks a free port and waits
    /// until socat's own socket shows in /proc/net/udp[6] bound to it: the table row's inode must be one of
    /// socat's file descriptors, so a stranger that grabbed the port in between cannot pass for socat.
    /// </summary>
    private static async Task WaitUntilSocatHoldsAsync(RunningProcess socat, DatagramTransport transport, int port)
    {
        string table = transport == DatagramTransport.Udp4 ? "/proc/net/udp" : "/proc/net/udp6";
        string localPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        using var deadline = new CancellationTokenSource(RunningProcess.DefaultWait);
        while (true)
        {
            if (socat.Process.HasExited)
                throw new Xunit.Sdk.XunitException($"socat exited ({socat.Process.ExitCode}) before binding port {port}:\n{socat.Stderr}");
            var inodes = File.ReadLines(table).Skip(1)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields[1].EndsWith(localPort, StringComparison.Ordinal))
                .Select(fields => $"socket:[{fields[9]}]")
                .ToHashSet();
            if (inodes.Count > 0 && SocketsOf(socat.Id).Any(inodes.Contains)) return;
            // A bounded poll for the peer's bind, not a sleep for correctness: the test fails at the deadline.
            await Task.Delay(50, deadline.Token);
        }
    }

    private static IEnumerable<string> SocketsOf(int pid)
    {
        try
        {
            return Directory.GetFiles($"/proc/{pid}/fd").Select(fd => new FileInfo(fd).LinkTarget ?? "").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
