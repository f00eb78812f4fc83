using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Addresses;

/// <summary>
/// 64 MiB each way through <c>sockit relay ADDR1 ADDR2</c>, with a real client and a real far side that half-close (never `nc -l`, which stops sending at EOF):
/// every byte arrives (SHA-256), and each side's EOF reaches the other (else nc and socat would never exit).
/// </summary>
public sealed class AddressBulkTests
{
    private const long Size = 64L * 1024 * 1024;

    [Fact]
    public Task TcpListenToTcpCarries64MiBEachWayIntactAndHalfClosed()
    {
        // The far side is socat, not `nc -l`: Debian's nc as a listener stops sending once it reads EOF, so when the
        // client's upload finished first, nc's download was cut short (about 1 run in 15) and the test blamed us.
        int farPort = FreePort.Tcp();
        return RelayBothWaysAsync($"{Peers.Socat} -t 60 TCP-LISTEN:{farPort},bind=127.0.0.1,reuseaddr -", farPort,
            ["tcp-listen:127.0.0.1:0", $"tcp:127.0.0.1:{farPort}"], (_, port) => $"{Peers.Nc} -N 127.0.0.1 {port}");
    }

    [Fact]
    public Task UnixListenToTcpCarries64MiBEachWayIntactAndHalfClosed()
    {
        int farPort = FreePort.Tcp();
        return RelayBothWaysAsync($"{Peers.Socat} -t 60 TCP-LISTEN:{farPort},bind=127.0.0.1,reuseaddr -", farPort,
            ["UNIX-LISTEN:{dir}/relay.sock", $"TCP:127.0.0.1:{farPort}"], (dir, _) => $"{Peers.Nc} -N -U {Shell.Quote(dir + "/relay.sock")}");
    }

    /// <summary>
    /// Far side (<paramref name="far"/>, listening on <paramref name="farPort"/>) sends one file and keeps what it
    /// gets; the relay (without fork) joins it to one client, which does the same from the other side.
    /// <c>{dir}</c> in an address is the test's temp directory.
    /// </summary>
    private static async Task RelayBothWaysAsync(string far, int farPort, string[] addresses, Func<string, int, string> client)
    {
        using var dir = new TempDir();
        string up = RelayProcess.RandomFile(dir.File("up"), Size), down = RelayProcess.RandomFile(dir.File("down"), Size);
        await using var farSide = Shell.Run(far, dir.File("down"), dir.File("at-far"));
        await Shell.WaitForListenerAsync(farPort);
        (RunningProcess relay, int port) = await RelayProcess.ListenAsync([.. addresses.Select(a => a.Replace("{dir}", dir.Path, StringComparison.Ordinal))]);
        await using var _ = relay;

        await using var clientSide = Shell.Run(client(dir.Path, port), dir.File("up"), dir.File("at-client"));
        Assert.Equal(0, await clientSide.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal(0, await farSide.WaitForExitAsync(RelayProcess.Bound));
        Assert.Equal(up, BulkData.Hash(dir.File("at-far")));
        Assert.Equal(down, BulkData.Hash(dir.File("at-client")));

        // Without fork the relay served one client and ends with it, cleanly; a Unix listener's file is gone.
        Assert.Equal(0, await relay.WaitForExitAsync(RelayProcess.Bound));
        Assert.Contains($"sent {Size} bytes, received {Size} bytes; ended: both directions closed", relay.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("relay.sock")));
    }
}
