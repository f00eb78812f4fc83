using System.Globalization;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary>
/// 256 MiB of random bytes each way at once between <c>sockit cat</c> and nc, ncat, socat or itself, in both
/// roles; SHA-256 compared on both ends. The bytes go file -&gt; process -&gt; socket -&gt; process -&gt; file.
/// </summary>
public sealed class BulkInteropTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    public static TheoryData<string> Listeners => ["socat", "sockit"];

    public static TheoryData<string> QuittingListeners => ["nc", "ncat"];

    public static TheoryData<string> Connectors => ["nc", "ncat", "socat"];

    [Theory]
    [MemberData(nameof(Listeners))]
    public async Task SockitConnectingMovesEveryByteBothWays(string peer)
    {
        using var dir = new TempDir();
        string peerOut = dir.File("peer.out"), ourOut = dir.File("ours.out");
        int port = FreePort.Tcp();
        await using RunningProcess listener = peer switch
        {
            "socat" => Shell.Run($"{Peers.Socat} -t 60 -b 65536 TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr STDIO", BulkData.Received.Path, peerOut),
            _ => Shell.Run($"{Shell.Sockit} cat -l 127.0.0.1 {port}", BulkData.Received.Path, peerOut),
        };
        await Shell.WaitForListenerAsync(port);

        await using var ours = Shell.Run($"{Shell.Sockit} cat 127.0.0.1 {port}", BulkData.Sent.Path, ourOut);
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.Equal(0, await listener.WaitForExitAsync(Bound));
        Assert.Equal(BulkData.Sent.Hash, BulkData.Hash(peerOut));
        Assert.Equal(BulkData.Received.Hash, BulkData.Hash(ourOut));
    }

    [Theory]
    [MemberData(nameof(Connectors))]
    public async Task SockitListeningMovesEveryByteBothWays(string peer)
    {
        using var dir = new TempDir();
        string peerOut = dir.File("peer.out"), ourOut = dir.File("ours.out");
        (RunningProcess ours, int port) = await Shell.ListenAsync("", BulkData.Received.Path, ourOut);
        await using var _ = ours;
        string p = port.ToString(CultureInfo.InvariantCulture);
        await using RunningProcess connector = peer switch
        {
            "nc" => Shell.Run($"{Peers.Nc} -N 127.0.0.1 {p}", BulkData.Sent.Path, peerOut),
            "ncat" => Shell.Run($"{Peers.Ncat} 127.0.0.1 {p}", BulkData.Sent.Path, peerOut),
            _ => Shell.Run($"{Peers.Socat} -t 60 -b 65536 STDIO TCP:127.0.0.1:{p}", BulkData.Sent.Path, peerOut),
        };
        Assert.Equal(0, await connector.WaitForExitAsync(Bound));
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.Equal(BulkData.Sent.Hash, BulkData.Hash(ourOut));
        Assert.Equal(BulkData.Received.Hash, BulkData.Hash(peerOut));
        Assert.Contains(ours.StdoutLines, l => l.EndsWith($"sent {BulkData.Size} bytes, received {BulkData.Size} bytes; ended: both directions closed", StringComparison.Ordinal));
    }

    // nc -l and ncat -l quit as soon as the network side ends, even with their own stdin unsent, so with
    // them as the listener the bytes go one way at a time (see docs/nc-compat.md).
    [Theory]
    [MemberData(nameof(QuittingListeners))]
    public async Task QuittingListenerReceivesEveryByte(string peer)
    {
        using var dir = new TempDir();
        string peerOut = dir.File("peer.out"), ourOut = dir.File("ours.out");
        int port = FreePort.Tcp();
        await using var nc = Shell.Run($"{Peers.Require(peer)} -l 127.0.0.1 {port}", "/dev/null", peerOut);
        await Shell.WaitForListenerAsync(port);
        await using var ours = Shell.Run($"{Shell.Sockit} cat 127.0.0.1 {port}", BulkData.Sent.Path, ourOut);
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.Equal(0, await nc.WaitForExitAsync(Bound));
        Assert.Equal(BulkData.Sent.Hash, BulkData.Hash(peerOut));
    }

    [Theory]
    [MemberData(nameof(QuittingListeners))]
    public async Task QuittingListenerSendsEveryByte(string peer)
    {
        using var dir = new TempDir();
        string peerOut = dir.File("peer.out"), ourOut = dir.File("ours.out");
        int port = FreePort.Tcp();
        string shutdown = peer == "nc" ? "-N " : "";
        await using var nc = Shell.Run($"{Peers.Require(peer)} {shutdown}-l 127.0.0.1 {port}", BulkData.Received.Path, peerOut);
        await Shell.WaitForListenerAsync(port);
        await using var ours = Shell.Run($"{Shell.Sockit} nc --recv-only 127.0.0.1 {port}", "/dev/null", ourOut);
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.Equal(0, await nc.WaitForExitAsync(Bound));
        Assert.Equal(BulkData.Received.Hash, BulkData.Hash(ourOut));
    }

    [Fact]
    public async Task UnixSocketRelayMovesEveryByteBothWays()
    {
        using var dir = new TempDir();
        string path = dir.File("s.sock"), listenOut = dir.File("l.out"), connectOut = dir.File("c.out");
        await using var listener = Shell.Run($"{Shell.Sockit} cat -l -v -U {Shell.Quote(path)}", BulkData.Received.Path, listenOut);
        await listener.WaitForLineAsync(l => l.StartsWith("Listening on ", StringComparison.Ordinal));
        await using var connector = Shell.Run($"{Shell.Sockit} cat -U {Shell.Quote(path)}", BulkData.Sent.Path, connectOut);
        Assert.Equal(0, await connector.WaitForExitAsync(Bound));
        Assert.Equal(0, await listener.WaitForExitAsync(Bound));
        Assert.Equal(BulkData.Sent.Hash, BulkData.Hash(listenOut));
        Assert.Equal(BulkData.Received.Hash, BulkData.Hash(connectOut));
    }
}
