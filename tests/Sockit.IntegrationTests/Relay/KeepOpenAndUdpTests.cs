using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary><c>-k</c> with many clients at once, UDP listening for several peers, and the nc spellings.</summary>
public sealed class KeepOpenAndUdpTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task KeepOpenServesTwentyClientsAndBroadcastsStdinToAll()
    {
        await using var ours = RunningProcess.Sockit("cat", "-l", "-k", "-v", "127.0.0.1", "0");
        string listening = await ours.WaitForStderrLineAsync("Listening on ");
        int port = int.Parse(listening[(listening.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        var clients = new List<Socket>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(s);
                await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Bound);
            }
            // Every client says one line (one chunk); all 20 lines must arrive whole, in some order.
            await Task.WhenAll(clients.Select((s, i) => s.SendAsync(Encoding.ASCII.GetBytes($"client {i} says hello {new string('x', 1000)}\n"))));
            for (int i = 0; i < 20; i++)
            {
                string expected = $"client {i} says hello {new string('x', 1000)}";
                await ours.WaitForLineAsync(expected, Bound);
            }
            Assert.Equal(20, ours.StdoutLines.Count);

            await ours.Input.WriteAsync("to everyone\n");
            ours.Input.Close();
            string[] heard = await Task.WhenAll(clients.Select(ReadToEndAsync));
            Assert.All(heard, h => Assert.Equal("to everyone\n", h));
        }
        finally
        {
            foreach (Socket s in clients) s.Dispose();
        }
    }

    [Fact]
    public async Task KeepOpenRefusesClientsBeyondMaxConns()
    {
        await using var ours = RunningProcess.Sockit("nc", "-l", "-k", "-v", "--max-conns", "1", "127.0.0.1", "0");
        string listening = await ours.WaitForStderrLineAsync("Listening on ");
        int port = int.Parse(listening[(listening.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await first.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Bound);
        await first.SendAsync("first\n"u8.ToArray());
        await ours.WaitForLineAsync("first", Bound);
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await second.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Bound);
        Assert.Equal("", await ReadToEndAsync(second));
        await ours.WaitForStderrLineAsync("Connection from 127.0.0.1");
    }

    [Fact]
    public async Task UdpListenerAnswersEveryPeer()
    {
        await using var ours = RunningProcess.Sockit("cat", "-u", "-l", "-v", "-4", "0");
        string listening = await ours.WaitForStderrLineAsync("Listening on ");
        int port = int.Parse(listening.Split(':')[^1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        var peers = Enumerable.Range(0, 3).Select(_ => new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))).ToList();
        try
        {
            for (int i = 0; i < peers.Count; i++)
            {
                byte[] hello = Encoding.ASCII.GetBytes($"peer {i}\n");
                await peers[i].SendAsync(hello, new IPEndPoint(IPAddress.Loopback, port));
                await ours.WaitForLineAsync($"peer {i}", Bound);
            }
            await ours.Input.WriteAsync("hello all\n");
            await ours.Input.FlushAsync();
            foreach (UdpClient peer in peers)
            {
                UdpReceiveResult got = await peer.ReceiveAsync().WaitAsync(Bound);
                Assert.Equal("hello all\n", Encoding.ASCII.GetString(got.Buffer));
            }
        }
        finally
        {
            foreach (UdpClient peer in peers) peer.Dispose();
        }
    }

    [Fact]
    public async Task UdpClientSendsLinesAndPrintsReplies()
    {
        using var echo = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)echo.Client.LocalEndPoint!).Port;
        await using var ours = RunningProcess.Sockit("nc", "-u", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ours.Input.WriteAsync("ping\n");
        await ours.Input.FlushAsync();
        UdpReceiveResult got = await echo.ReceiveAsync().WaitAsync(Bound);
        Assert.Equal("ping\n", Encoding.ASCII.GetString(got.Buffer));
        await echo.SendAsync("pong\n"u8.ToArray(), got.RemoteEndPoint);
        Assert.Equal("pong", await ours.WaitForLineAsync(_ => true, Bound));
    }

    [Fact]
    public async Task NcSpellingListensWithDashP()
    {
        int port = FreePort.Tcp();
        await using var ours = RunningProcess.Sockit("nc", "-l", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-s", "127.0.0.1");
        await Shell.WaitForListenerAsync(port);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Bound);
        await client.SendAsync("over nc flags\n"u8.ToArray());
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal("over nc flags", await ours.WaitForLineAsync(_ => true, Bound));
        ours.Input.Close();
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
    }

    [Fact]
    public async Task NumericOnlyRejectsAHostName()
    {
        await using var ours = RunningProcess.Sockit("cat", "-n", "localhost", "80");
        Assert.Equal(1, await ours.WaitForExitAsync(Bound));
        Assert.Equal("[Client resolve error]: -n given and 'localhost' is not a numeric address", ours.Stderr.Trim());
    }

    private static async Task<string> ReadToEndAsync(Socket s)
    {
        var all = new MemoryStream();
        byte[] buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(Bound);
        int n;
        while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0) all.Write(buffer, 0, n);
        return Encoding.ASCII.GetString(all.ToArray());
    }
}
