using System.Net.Sockets;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary>
/// nc and ncat command lines that work unchanged under <c>sockit nc</c>: <c>-U</c> is a flag and the
/// positional is the path, <c>-s PATH</c> names a Unix client's own socket, no port means 31337.
/// </summary>
public sealed class NcHabitTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>The same argv for ncat and for sockit nc: the datagram must come from the -s path, and the answer sent there arrives.</summary>
    [Theory]
    [InlineData("sockit")]
    [InlineData("ncat")]
    public async Task UnixDatagramClientSendsFromItsDashSPath(string program)
    {
        using var dir = new TempDir();
        string serverPath = dir.File("server.sock"), clientPath = dir.File("client.sock");
        using var server = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(serverPath));
        string[] argv = ["-U", "--udp", "-s", clientPath, serverPath];
        await using var client = program == "sockit" ? RunningProcess.Sockit(["nc", .. argv]) : RunningProcess.Start(Peers.Ncat, argv);
        await client.Input.WriteAsync("ping\n");
        await client.Input.FlushAsync();

        byte[] buffer = new byte[64];
        using var deadline = new CancellationTokenSource(Bound);
        SocketReceiveFromResult got = await server.ReceiveFromAsync(buffer, SocketFlags.None, new UnixDomainSocketEndPoint(serverPath), deadline.Token);
        Assert.Equal("ping\n", Encoding.ASCII.GetString(buffer, 0, got.ReceivedBytes));
        Assert.Equal(clientPath, got.RemoteEndPoint.ToString());

        await server.SendToAsync("pong\n"u8.ToArray(), SocketFlags.None, got.RemoteEndPoint, deadline.Token);
        Assert.Equal("pong", await client.WaitForLineAsync(_ => true, Bound));
    }

    [Fact]
    public async Task NoPortMeansNcatsDefaultAndDashVSaysSo()
    {
        // Connects to 127.0.0.1:31337 (whether anything answers there does not matter); nothing binds that port.
        await using var ours = RunningProcess.Sockit("nc", "-v", "-w", "5", "127.0.0.1");
        ours.Input.Close();
        await ours.WaitForExitAsync(Bound);
        Assert.StartsWith("No port given: using 31337, ncat's default\n", ours.Stderr, StringComparison.Ordinal);
    }
}
