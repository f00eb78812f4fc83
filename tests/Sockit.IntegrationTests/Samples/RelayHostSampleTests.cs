using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Samples;

/// <summary>
/// samples/RelayHost, a C# program that hosts relays with Sockit's public API alone, built beside these tests and
/// run as a process against a real far side (socat).
/// </summary>
public sealed class RelayHostSampleTests
{
    [Fact]
    public async Task SampleForwarderRelaysToSocatWholeAndHalfClosedAndStopsOnSigterm()
    {
        int echoPort = FreePort.Tcp();
        await using var echo = RunningProcess.Start(Peers.Socat, $"TCP-LISTEN:{echoPort},bind=127.0.0.1,reuseaddr,fork", "EXEC:cat");
        await ListeningPeer.WaitAsync(IPAddress.Loopback, echoPort);
        await using var relay = RunningProcess.Start(Repo.SamplePath("RelayHost"), "forward", "0", "127.0.0.1", Text(echoPort));
        int port = await ListeningPortAsync(relay);

        await RoundTripsThenStopAsync(relay, port, clients: 1, size: 4 * 1024 * 1024);
    }

    [Fact]
    public async Task SampleExecListenerGivesEachClientItsOwnProgram()
    {
        await using var relay = RunningProcess.Start(Repo.SamplePath("RelayHost"), "exec", "0", "cat");
        int port = await ListeningPortAsync(relay);

        // Two clients, one after the other: each gets a cat of its own, whole, and EOF when it exits.
        await RoundTripsThenStopAsync(relay, port, clients: 2, size: 1024 * 1024);
    }

    [Fact]
    public async Task SampleRelaysTwoAddressesAForkingTcpListenerToAUnixSocket()
    {
        using var dir = new TempDir();
        string path = dir.File("echo.sock");
        // EXEC:cat, not PIPE: socat's PIPE echo can block for good writing 8 KiB into its own full pipe under a
        // 4 MiB burst (seen here: the child stuck in anon_pipe_write), which no relay in front of it can undo.
        await using var echo = RunningProcess.Start(Peers.Socat, $"UNIX-LISTEN:{path},fork", "EXEC:cat");
        var deadline = DateTime.UtcNow + RunningProcess.DefaultWait;
        while (!File.Exists(path) && DateTime.UtcNow < deadline) await Task.Delay(20);
        await using var relay = RunningProcess.Start(Repo.SamplePath("RelayHost"), "addresses", "tcp-listen:127.0.0.1:0,fork", $"unix:{path}");
        int port = await ListeningPortAsync(relay);

        await RoundTripsThenStopAsync(relay, port, clients: 2, size: 4 * 1024 * 1024);
    }

    [Fact]
    public async Task SampleRefusesABadAddressInOneLine()
    {
        await using var relay = RunningProcess.Start(Repo.SamplePath("RelayHost"), "addresses", "tcp-listen:0,forkk", "exec:cat");
        Assert.Equal(1, await relay.WaitForExitAsync());
        Assert.Equal("unknown option 'forkk' in address 'tcp-listen:0,forkk'", relay.Stderr.TrimEnd());
    }

    [Fact]
    public async Task SampleWithoutArgumentsPrintsUsage()
    {
        await using var relay = RunningProcess.Start(Repo.SamplePath("RelayHost"));
        Assert.Equal(1, await relay.WaitForExitAsync());
        Assert.Equal("[Usage]: RelayHost forward LISTEN_PORT HOST PORT | RelayHost exec LISTEN_PORT PROGRAM [ARG...] | RelayHost addresses ADDR1 ADDR2", relay.Stderr.TrimEnd());
    }

    private static async Task<int> ListeningPortAsync(RunningProcess relay)
    {
        string listening = await relay.WaitForLineAsync(l => l.StartsWith("Listening on 127.0.0.1:", StringComparison.Ordinal));
        return int.Parse(listening["Listening on 127.0.0.1:".Length..listening.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    // Clients one after the other, each a whole round trip that the sample logs as ended; then SIGTERM stops it cleanly.
    private static async Task RoundTripsThenStopAsync(RunningProcess relay, int port, int clients, int size)
    {
        for (int i = 0; i < clients; i++)
        {
            byte[] payload = RandomNumberGenerator.GetBytes(size);
            Assert.Equal(SHA256.HashData(payload), SHA256.HashData(await RoundTripAsync(port, payload)));
        }
        await relay.WaitForLineAsync(_ => relay.StdoutLines.Count(l => l.EndsWith("ended: both directions closed", StringComparison.Ordinal)) == clients);
        relay.Signal(15);
        Assert.Equal(0, await relay.WaitForExitAsync());
        Assert.Equal("", relay.Stderr);
    }

    // Sends the payload and half-closes while reading everything back until EOF.
    private static async Task<byte[]> RoundTripAsync(int port, byte[] payload)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port);
        Task send = Task.Run(async () =>
        {
            await client.SendAsync(payload);
            client.Shutdown(SocketShutdown.Send);
        });
        var back = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = await client.ReceiveAsync(buffer).WaitAsync(RunningProcess.DefaultWait)) > 0) back.Write(buffer, 0, n);
        await send;
        return back.ToArray();
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
