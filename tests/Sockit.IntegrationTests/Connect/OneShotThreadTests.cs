using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Connect;

/// <summary>
/// A one-shot <c>sockit connect</c> starts no thread-pool or timer thread: looked at in /proc while it waits for the
/// reply, held back by a listener of the test. The portable path (<c>SOCKIT_PORTABLE=1</c>) is the control that shows
/// the check can see them. (Two runtime threads remain on both paths: .NET 10 starts its socket event thread in the
/// Socket constructor, SafeSocketHandle's field initializer reading SocketAsyncEngine's settings, where it then idles
/// unused; and the first console write starts the signal-handling thread.)
/// </summary>
public sealed class OneShotThreadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // The names the runtime gives the pool's and timer's threads (/proc/PID/task/TID/comm, cut at 15 bytes).
    private static readonly string[] PoolAndTimer = [".NET TP Worker", ".NET TP Gate", ".NET TP Wait", ".NET Timer", ".NET Long Runni"];

    [Fact]
    public async Task ConnectWaitingForTheReplyRunsNoThreadPoolOrTimerThread()
    {
        IReadOnlyList<string> threads = await ThreadsWhileWaitingAsync(portable: false);
        Assert.DoesNotContain(threads, PoolAndTimer.Contains);
    }

    [Fact]
    public async Task PortableConnectWaitingForTheReplyRunsATimerThread()
    {
        // The reply's deadline is a CancelAfter timer there.
        IReadOnlyList<string> threads = await ThreadsWhileWaitingAsync(portable: true);
        Assert.Contains(".NET Timer", threads);
    }

    /// <summary>The thread names of <c>sockit connect</c> while it waits for a reply that comes only after they are read.</summary>
    private static async Task<IReadOnlyList<string>> ThreadsWhileWaitingAsync(bool portable)
    {
        using Socket listener = LoopbackListener.Tcp4();
        string port = ((IPEndPoint)listener.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        // env execs sockit, so the process id is sockit's.
        await using var sockit = RunningProcess.Start("/usr/bin/env", [$"SOCKIT_PORTABLE={(portable ? "1" : "0")}", Repo.SockitPath, "connect", "127.0.0.1", port]);
        using Socket accepted = await listener.AcceptAsync().WaitAsync(Bound);
        var hello = new byte[256];
        int got = 0;
        while (got == 0 || hello[got - 1] != (byte)'\n')
        {
            int n = await accepted.ReceiveAsync(hello.AsMemory(got)).AsTask().WaitAsync(Bound);
            Assert.NotEqual(0, n);
            got += n;
        }
        await sockit.WaitForLineAsync(l => l.StartsWith("CLIENT CONNECTED", StringComparison.Ordinal));

        var names = Directory.GetDirectories($"/proc/{sockit.Id}/task")
            .Select(task => File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'))
            .ToList();

        await accepted.SendAsync(Encoding.UTF8.GetBytes("not now\n"));
        Assert.Equal(0, await sockit.WaitForExitAsync(Bound));
        Assert.Equal("127.0.0.1 said: not now", sockit.StdoutLines[^1]);
        return names;
    }
}
