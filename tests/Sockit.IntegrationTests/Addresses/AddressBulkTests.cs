using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Addresses;

/// <summary>
/// 64 MiB each way through <c>sockit relay ADDR1 ADDR2</c>, with a real client and a real far side that half-close:
/// every byte arrives (SHA-256), and each side's EOF reaches the other (else nc and socat would never exit).
/// </summary>
public sealed class AddressBulkTests
{
    private const long Size = 64L * 1024 * 1024;

    [Fact]
    public async Task TcpListenToTcpCarries64MiBEachWayIntactAndHalfClosed()
    {
        using var dir = new TempDir();
        string up = RelayProcess.RandomFile(dir.File("up"), Size), down = RelayProcess.RandomFile(dir.File("down"), Size);
        int farPort = FreePort.Tcp();
        await using var far = Shell.Run($"{Peers.Nc} -N -l 127.0.0.1 {farPort}", dir.File("down"), dir.File("at-far"));
        await Shell.WaitForListenerAsync(farPort);
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync("tcp-listen:127.0.0.1:0", $"tcp:127.0.0.1:{farPort}");
        await using var _ = relay;

        await using var client = Shell.Run($"{Peers.Socat} -t 60 - TCP:127.0.0.1:{port}", dir.File("up"), dir.File("at-client"));
        Assert.Equal(0, await client.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal(0, await far.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal(up, BulkData.Hash(dir.File("at-far")));
        Assert.Equal(down, BulkData.Hash(dir.File("at-client")));

        // Without fork the relay served one client and ends with it, cleanly.
        Assert.Equal(0, await relay.WaitForExitAsync(RelayProcess.Bound));
        Assert.Contains($"sent {Size} bytes, received {Size} bytes; ended: both directions closed", relay.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnixListenToTcpCarries64MiBEachWayIntactAndHalfClosed()
    {
        using var dir = new TempDir();
        string up = RelayProcess.RandomFile(dir.File("up"), Size), down = RelayProcess.RandomFile(dir.File("down"), Size);
        int farPort = FreePort.Tcp();
        await using var far = Shell.Run($"{Peers.Socat} -t 60 TCP-LISTEN:{farPort},bind=127.0.0.1,reuseaddr -", dir.File("down"), dir.File("at-far"));
        await Shell.WaitForListenerAsync(farPort);
        string path = dir.File("relay.sock");
        (RunningProcess relayProcess, int _) = await RelayProcess.ListenAsync($"UNIX-LISTEN:{path}", $"TCP:127.0.0.1:{farPort}");
        await using var relayGuard = relayProcess;

        await using var client = Shell.Run($"{Peers.Nc} -N -U {Shell.Quote(path)}", dir.File("up"), dir.File("at-client"));
        Assert.Equal(0, await client.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal(0, await far.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal(up, BulkData.Hash(dir.File("at-far")));
        Assert.Equal(down, BulkData.Hash(dir.File("at-client")));
        Assert.Equal(0, await relayProcess.WaitForExitAsync(RelayProcess.Bound));
        Assert.Contains($"sent {Size} bytes, received {Size} bytes; ended: both directions closed", relayProcess.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(path)); // the listener's socket file is removed once it has served its client
    }
}
