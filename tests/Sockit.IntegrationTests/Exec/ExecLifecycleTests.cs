using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Exec;

/// <summary>Programs started for connections: what they inherit, that they are reaped, and that a signal ends them all.</summary>
public sealed class ExecLifecycleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task ProgramInheritsOnlyDescriptorsZeroOneTwoAndSigtermEndsIt()
    {
        await using var listener = await ExecListener.StartWithoutInheritedDescriptorsAsync(Families.IPv4, ["-e", "sleep 30"]);
        using var client = await listener.ConnectAsync();
        await listener.WaitForStartedAsync(1);
        int pid = listener.StartedPids[0];
        string[] fds = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Select(Path.GetFileName).Order().ToArray()!;
        Assert.Equal(["0", "1", "2"], fds);
        Assert.StartsWith("pipe:", new FileInfo($"/proc/{pid}/fd/0").LinkTarget, StringComparison.Ordinal);
        Assert.StartsWith("pipe:", new FileInfo($"/proc/{pid}/fd/1").LinkTarget, StringComparison.Ordinal);
        Assert.Equal(new FileInfo($"/proc/{listener.Process.Id}/fd/2").LinkTarget, new FileInfo($"/proc/{pid}/fd/2").LinkTarget);

        // sleep ignores its stdin's EOF: after the grace it gets SIGTERM, which ends it.
        listener.Process.Signal(15);
        await listener.Process.WaitForExitAsync(Bound);
        Assert.Contains($"exec: pid {pid} killed by signal 15", listener.Process.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"pid {pid} still exists");
    }

    [Fact]
    public async Task SigtermEndsEveryProgramEvenOnesThatIgnoreIt()
    {
        // The ignored SIGTERM survives exec, so only SIGKILL (after two graces) ends these.
        await using var listener = await ExecListener.StartAsync(Families.IPv4, ["-c", "trap '' TERM; exec sleep 30"], "-k");
        var clients = new List<System.Net.Sockets.Socket>();
        for (int i = 0; i < 3; i++) clients.Add(await listener.ConnectAsync());
        await listener.WaitForStartedAsync(3);
        IReadOnlyList<int> pids = listener.StartedPids;

        listener.Process.Signal(15);
        Assert.Equal(0, await listener.Process.WaitForExitAsync(Bound));
        foreach (int pid in pids)
        {
            Assert.Contains($"exec: pid {pid} killed by signal 9", listener.Process.Stderr, StringComparison.Ordinal);
            Assert.False(Directory.Exists($"/proc/{pid}"), $"pid {pid} still exists");
        }
        foreach (var client in clients) client.Dispose();
    }

    [Fact]
    public async Task ClientsBeyondMaxConnsAreClosedWithoutAProgram()
    {
        await using var listener = await ExecListener.StartAsync(Families.IPv4, ["-e", "/bin/cat"], "-k", "--max-conns", "1");
        using var first = await listener.ConnectAsync();
        await listener.WaitForStartedAsync(1);
        using (var second = await listener.ConnectAsync())
            Assert.Empty(await ExecListener.ReadToEndAsync(second));
        await listener.Process.WaitForStderrAsync(e => e.Contains("refused: --max-conns 1 reached", StringComparison.Ordinal));
        Assert.Single(listener.StartedPids);

        await first.SendAsync("still served\n"u8.ToArray());
        first.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Assert.Equal("still served\n", Encoding.ASCII.GetString(await ExecListener.ReadToEndAsync(first)));
    }

    [Fact]
    public async Task TwoHundredClientsLeaveNoZombieAndNoDescriptor()
    {
        await using var listener = await ExecListener.StartAsync(Families.IPv4, ["-e", "/bin/cat"], "-k");
        // Warm up first: the runtime opens descriptors of its own on first use (event loops, the SIGCHLD pipe).
        for (int i = 0; i < 5; i++) await listener.ExchangeAsync("warm-up"u8.ToArray());
        await listener.WaitForEndedAsync(5);
        int before = listener.DescriptorCount;

        using var deadline = new CancellationTokenSource(Bound);
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 10, CancellationToken = deadline.Token }, async (i, _) =>
        {
            byte[] request = Encoding.ASCII.GetBytes($"client {i}\n");
            Assert.Equal(request, await listener.ExchangeAsync(request));
        });
        await listener.WaitForEndedAsync(205, Bound);

        Assert.Empty(listener.Children());
        Assert.Equal(205, listener.EndedPids.Distinct().Count());
        // The last connections are closed by the server right after their handler: give it a moment, bounded.
        for (int tries = 0; listener.DescriptorCount > before && tries < 100; tries++) await Task.Delay(50);
        Assert.Equal(before, listener.DescriptorCount);
    }
}
