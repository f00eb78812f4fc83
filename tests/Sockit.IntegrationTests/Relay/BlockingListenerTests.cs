using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary>
/// <c>cat -l</c> relays its one connection with two threads blocked in recv/send: the ways out of a blocked
/// recv (idle timeout, -q after stdin's EOF, SIGINT) must still end it as before.
/// </summary>
public sealed class BlockingListenerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static async Task<(RunningProcess Ours, int Port)> ListenAsync(params string[] extra)
    {
        var ours = RunningProcess.Sockit(["cat", "-l", "127.0.0.1", "0", "-v", .. extra]);
        string listening = await ours.WaitForStderrLineAsync("Listening on ");
        return (ours, int.Parse(listening[(listening.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task IdleTimeoutEndsASilentConnection()
    {
        (RunningProcess ours, int port) = await ListenAsync("-i", "1");
        await using var _ = ours;
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        await client.GetStream().WriteAsync("hello\n"u8.ToArray());
        Assert.Equal("hello", await ours.WaitForLineAsync(_ => true));
        // Both directions now wait (sockit's stdin stays open): only the idle timeout can end it.
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.Contains("idle", ours.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task QuitAfterInputEofEndsWhileThePeerIsStillOpen()
    {
        (RunningProcess ours, int port) = await ListenAsync("-q", "0.5");
        await using var _ = ours;
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        await client.GetStream().WriteAsync("first\n"u8.ToArray());
        Assert.Equal("first", await ours.WaitForLineAsync(_ => true));
        await ours.Input.WriteAsync("bye\n");
        ours.Input.Close();
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        // The peer got our line and then the end of the stream.
        var buffer = new byte[64];
        int total = 0, n;
        using var read = new CancellationTokenSource(Bound);
        while ((n = await client.GetStream().ReadAsync(buffer.AsMemory(total), read.Token)) > 0) total += n;
        Assert.Equal("bye\n", System.Text.Encoding.ASCII.GetString(buffer, 0, total));
    }

    [Fact]
    public async Task SigintWakesABlockedReceiveAndExits130()
    {
        (RunningProcess ours, int port) = await ListenAsync();
        await using var _ = ours;
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        await client.GetStream().WriteAsync("ping\n"u8.ToArray());
        Assert.Equal("ping", await ours.WaitForLineAsync(_ => true));
        ours.Signal(2);
        Assert.Equal(130, await ours.WaitForExitAsync(Bound));
    }
}
