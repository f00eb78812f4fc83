using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Hardening;

/// <summary>
/// A server held at its descriptor cap by silent clients must serve a fresh client promptly once they leave:
/// within well under TCP's 1 s SYN retransmission, which is what a fresh client pays if its SYN meets a full
/// listen queue.
/// </summary>
public sealed partial class DescriptorRecoveryTests
{
    // The descriptor headroom StreamServer keeps for the runtime (DescriptorBudget.Headroom) plus a few slots.
    private const int DescriptorsAboveIdle = 32 + 8;
    private const int Crowd = 120;
    private static readonly TimeSpan Promptly = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task FreshClientIsServedPromptlyAfterDescriptorsFree()
    {
        // The limit is set just above what the idle server holds, measured here rather than assumed: the
        // framework-dependent build holds about 60 descriptors before its first client, a native build far fewer.
        int idle = await IdleDescriptorsAsync();
        int limit = idle + DescriptorsAboveIdle;
        await using var limited = RunningProcess.Start("bash", "-c", $"ulimit -n {limit}; exec '{Repo.SockitPath}' serve 0");
        int port = PortOf(await limited.WaitForLineAsync(l => l.StartsWith("SERVER AT ", StringComparison.Ordinal)));

        var crowd = new List<Socket>();
        var connects = new List<Task>();
        try
        {
            // All at once, as a burst of clients arrives: far more than the slots and the seed's backlog of 5.
            for (int i = 0; i < Crowd; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                crowd.Add(socket);
                connects.Add(socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)));
            }
            await limited.WaitForLineAsync(l => l.StartsWith("RECEIVED CONNECTION FROM ", StringComparison.Ordinal));
            // Long enough for the server to fill its slots and for the clients it could not take to queue.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }
        finally
        {
            foreach (Socket socket in crowd) socket.Dispose();
        }
        await Task.WhenAll(connects).ContinueWith(static _ => { }, TaskScheduler.Default);

        var clock = Stopwatch.StartNew();
        string reply = await AskAsync(port);
        TimeSpan took = clock.Elapsed;

        Assert.Contains("grumpy", reply, StringComparison.Ordinal);
        Assert.True(took < Promptly, $"a fresh client waited {took.TotalMilliseconds:0} ms (limit {limit}, {idle} descriptors idle)");
        Assert.False(limited.Process.HasExited);
        Assert.DoesNotContain("Exception", limited.Stderr, StringComparison.Ordinal);
    }

    private static async Task<int> IdleDescriptorsAsync()
    {
        await using var server = await ServerProcess.StartAsync();
        return Directory.GetFileSystemEntries($"/proc/{server.Process.Id}/fd").Length;
    }

    private static async Task<string> AskAsync(int port)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(RunningProcess.DefaultWait);
        await RawClient.SendAsync(client, "hello\n");
        return await RawClient.ReadToEndAsync(client, RunningProcess.DefaultWait);
    }

    private static int PortOf(string listening) => int.Parse(PortInLine().Match(listening).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(":(\\d+) LISTENING")]
    private static partial Regex PortInLine();
}
