using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Access;

/// <summary>
/// <c>--max-conns</c> is exact on every stream listener: with more clients than the cap connected at once, exactly the
/// cap is served. nc -k, -e and the relay refuse the rest at once (ncat's behaviour); <c>serve</c> lets them wait in
/// the backlog and serves them in turn. The CI size is 300 clients against 100; <c>SOCKIT_MAXCONNS_FULL=1</c> runs
/// issue 11's 2,000 against 1,000 (needs <c>ulimit -n</c> above 4,500 and about a thousand /bin/cat processes).
/// Measured at full size on the 2-core CI machine: nc -k, relay and serve pass (about 15 s each); the exec test
/// fails there, and not from the cap: 1,000 clients are refused as they should be, but some served sessions end "program exited" with
/// the program's output not yet delivered (ExecRelay stops 2 s after the exit, ExecOptions.Grace, and a thousand
/// exits at once delay the pipe reads past that). See the report of branch acl.
/// </summary>
public sealed class MaxConnsTests
{
    private static readonly bool Full = Environment.GetEnvironmentVariable("SOCKIT_MAXCONNS_FULL") == "1";
    private static readonly int Clients = Full ? 2000 : 300;
    private static readonly int Cap = Full ? 1000 : 100;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(Full ? 300 : 120);

    private static string CapText => Cap.ToString(CultureInfo.InvariantCulture);

    private static async Task<List<Socket>> ConnectAllAsync(int port)
    {
        var clients = new List<Socket>(Clients);
        try
        {
            for (int i = 0; i < Clients; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(socket);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Bound);
            }
            return clients;
        }
        catch
        {
            Dispose(clients);
            throw;
        }
    }

    private static void Dispose(List<Socket> clients)
    {
        foreach (Socket socket in clients) socket.Dispose();
    }

    private static int Count(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static string Unusual(string stderr) => string.Join('\n', stderr.Split('\n')
        .Where(l => !l.StartsWith("Connection from", StringComparison.Ordinal) && !l.StartsWith("exec: ", StringComparison.Ordinal)
            && !l.StartsWith("peer: ", StringComparison.Ordinal) && !l.EndsWith("ended: both directions closed", StringComparison.Ordinal))
        .Take(20));

    private static Task WaitForRefusalsAsync(RunningProcess process)
        => process.WaitForStderrAsync(e => Count(e, $"refused: --max-conns {CapText} reached") >= Clients - Cap, Bound);

    /// <summary>Each client sends a line and half-closes; what each got back, until EOF or reset.</summary>
    private static Task<string[]> PingAllAsync(List<Socket> clients) => Task.WhenAll(clients.Select(async socket =>
    {
        try
        {
            await RawClient.SendAsync(socket, "ping\n");
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Refused and reset already: it received nothing, which is what is counted.
        }
        return await AccessClient.ReceivedAsync(socket);
    }));

    /// <summary>Connects every client, waits for the listener's refusals, lets <paramref name="exchange"/> run, and counts who got <paramref name="served"/>.</summary>
    private static async Task AssertExactlyTheCapIsServedAsync(RunningProcess listener, int port, Func<List<Socket>, Task<string[]>> exchange, string served)
    {
        List<Socket> clients = await ConnectAllAsync(port);
        try
        {
            await WaitForRefusalsAsync(listener);
            string[] got = await exchange(clients).WaitAsync(Bound);
            int count = got.Count(g => g == served);
            Assert.True(count == Cap, $"{count} of {Clients} served, {Cap} expected; stderr, unusual lines:\n{Unusual(listener.Stderr)}");
            Assert.Equal(Clients - Cap, got.Count(g => g.Length == 0));
        }
        finally
        {
            Dispose(clients);
        }
    }

    [Fact]
    public async Task KeepOpenServesExactlyMaxConnsAndRefusesTheRest()
    {
        await using var nc = RunningProcess.Sockit("nc", "-lk", "-v", "127.0.0.1", "0", "--max-conns", CapText);
        int port = AccessClient.PortIn(await nc.WaitForStderrLineAsync("Listening on "));
        await AssertExactlyTheCapIsServedAsync(nc, port, async clients =>
        {
            await nc.Input.WriteAsync("to the served\n");
            nc.Input.Close();
            return await Task.WhenAll(clients.Select(AccessClient.ReceivedAsync));
        }, "to the served\n");
    }

    [Fact]
    public async Task ExecListenerRunsExactlyMaxConnsProgramsAndRefusesTheRest()
    {
        await using var nc = RunningProcess.Sockit("nc", "-lk", "-v", "127.0.0.1", "0", "-e", "/bin/cat", "--max-conns", CapText);
        int port = AccessClient.PortIn(await nc.WaitForStderrLineAsync("Listening on "));
        await AssertExactlyTheCapIsServedAsync(nc, port, PingAllAsync, "ping\n");
        Assert.Equal(Cap, Count(nc.Stderr, " started"));
    }

    [Fact]
    public async Task RelayRelaysExactlyMaxConnsAndRefusesTheRest()
    {
        await using ServerProcess upstream = await ServerProcess.StartAsync("--echo", "--backlog", "4096");
        await using var relay = RunningProcess.Sockit("relay", "-l", "127.0.0.1:0", "-v", "--max-conns", CapText, "127.0.0.1", upstream.Port.ToString(CultureInfo.InvariantCulture));
        string listening = await relay.WaitForStderrLineAsync("Listening on ");
        int port = AccessClient.PortIn(listening[..listening.IndexOf(", relaying", StringComparison.Ordinal)]);
        await AssertExactlyTheCapIsServedAsync(relay, port, PingAllAsync, "ping\n");
    }

    [Fact]
    public async Task ServeHoldsExactlyMaxConnsAtOnceAndServesTheRestInTurn()
    {
        await using ServerProcess server = await ServerProcess.StartAsync("--max-conns", CapText, "--timeout", "5m");
        List<Socket> clients = await ConnectAllAsync(server.Port);
        try
        {
            static int Received(ServerProcess s) => s.Process.StdoutLines.Count(l => l.StartsWith("RECEIVED CONNECTION FROM", StringComparison.Ordinal));
            using (var deadline = new CancellationTokenSource(Bound))
                while (Received(server) < Cap) await Task.Delay(50, deadline.Token);
            // Every client is connected and silent: none can finish, so a 101st accepted would show within this pause.
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(Cap, Received(server));

            string[] got = await PingAllAsync(clients).WaitAsync(Bound);
            Assert.All(got, g => Assert.StartsWith("I'm a grumpy server", g, StringComparison.Ordinal));
            // The log is written by its own thread: its last lines may follow the last reply.
            using (var deadline = new CancellationTokenSource(Bound))
                while (Received(server) < Clients) await Task.Delay(50, deadline.Token);
            Assert.Equal(Clients, Received(server));
        }
        finally
        {
            Dispose(clients);
        }
    }
}
