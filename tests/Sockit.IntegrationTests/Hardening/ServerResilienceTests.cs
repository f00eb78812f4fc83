using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Hardening;

/// <summary>Failures in the middle of a run: the server logs at most one line about them and keeps serving.</summary>
public sealed partial class ServerResilienceTests
{
    [Fact]
    public async Task ClientThatResetsMidMessageIsOneLogLineAndServingGoesOn()
    {
        await using var server = await ServerProcess.StartAsync();
        using (var rude = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await rude.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port));
            await RawClient.SendAsync(rude, "half a messa");
            await server.Process.WaitForLineAsync(l => l.StartsWith("RECEIVED CONNECTION FROM ", StringComparison.Ordinal));
            rude.LingerState = new LingerOption(true, 0); // close sends RST
        }
        string failed = await server.Process.WaitForLineAsync(l => l.Contains("FAILED", StringComparison.Ordinal));
        Assert.EndsWith("FAILED: Connection reset by peer", failed, StringComparison.Ordinal);

        Assert.Contains("grumpy", await AskAsync(server.Port), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", server.Process.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerKeepsServingWhenItsStdoutIsClosed()
    {
        // 'sockit serve 0 | head -1': head exits after the first line and every later log write hits EPIPE.
        await using var pipeline = RunningProcess.Start("bash", "-c", $"'{Repo.SockitPath}' serve 0 | head -1");
        string listening = await pipeline.WaitForLineAsync(l => l.StartsWith("SERVER AT ", StringComparison.Ordinal));
        int port = int.Parse(PortInLine().Match(listening).Groups[1].Value, CultureInfo.InvariantCulture);
        for (int i = 0; i < 3; i++)
            Assert.Contains("grumpy", await AskAsync(port), StringComparison.Ordinal);
        Assert.Equal("", pipeline.Stderr);
    }

    [Fact]
    public async Task ServerOutOfDescriptorsKeepsServingOnceTheyFree()
    {
        // The .NET runtime itself holds ~60 descriptors (each loaded assembly twice); 128 leaves room for ~60
        // clients, and 150 connections push accept into EMFILE. Connections past the limit wait in the backlog.
        await using var limited = RunningProcess.Start("bash", "-c", $"ulimit -n 128; exec '{Repo.SockitPath}' serve 0 --timeout 2s --backlog 200");
        string listening = await limited.WaitForLineAsync(l => l.StartsWith("SERVER AT ", StringComparison.Ordinal));
        int port = int.Parse(PortInLine().Match(listening).Groups[1].Value, CultureInfo.InvariantCulture);

        var crowd = new List<Socket>();
        try
        {
            for (int i = 0; i < 150; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                crowd.Add(socket);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(RunningProcess.DefaultWait);
            }
        }
        finally
        {
            foreach (Socket socket in crowd) socket.Dispose();
        }

        Assert.Contains("grumpy", await AskAsync(port), StringComparison.Ordinal);
        Assert.False(limited.Process.HasExited);
        Assert.DoesNotContain("Exception", limited.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanWithMoreConcurrencyThanDescriptorsStillCompletes()
    {
        // -c 1000 under a 128-descriptor limit used to fail every probe with EMFILE ("TooManyOpenSockets").
        await using var scan = RunningProcess.Start("bash", "-c", $"ulimit -n 128; exec '{Repo.SockitPath}' scan 127.0.0.1 1-3000 -c 1000 -w 5s");
        Assert.Equal(0, await scan.WaitForExitAsync());
        Assert.StartsWith("scanned 3000 ports on 127.0.0.1", scan.StdoutLines[^1], StringComparison.Ordinal);
        Assert.Equal("", scan.Stderr);
    }

    private static async Task<string> AskAsync(int port)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(RunningProcess.DefaultWait);
        await RawClient.SendAsync(client, "hello\n");
        return await RawClient.ReadToEndAsync(client, RunningProcess.DefaultWait);
    }

    [GeneratedRegex(":(\\d+) LISTENING")]
    private static partial Regex PortInLine();
}
