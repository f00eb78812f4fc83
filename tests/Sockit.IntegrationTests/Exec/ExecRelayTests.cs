using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Exec;

/// <summary><c>-e</c>/<c>-c</c>: bytes through a program, half-close both ways, ncat's environment variables.</summary>
public sealed class ExecRelayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task SixtyFourMebibytesThroughCatComeBackByteForByte(string family)
    {
        await using var listener = await ExecListener.StartAsync(family, ["-e", "/bin/cat"]);
        using Socket socket = await listener.ConnectAsync();
        const int size = 64 * 1024 * 1024;
        byte[] chunk = new byte[1024 * 1024];
        new Random(7).NextBytes(chunk); // every byte value, NULs included
        using var sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Task send = Task.Run(async () =>
        {
            for (int sent = 0; sent < size; sent += chunk.Length)
            {
                chunk[0] = (byte)(sent >> 20); // no two chunks alike
                sentHash.AppendData(chunk);
                await socket.SendAsync(chunk);
            }
            socket.Shutdown(SocketShutdown.Send);
        });
        using var receivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long received = 0;
        byte[] buffer = new byte[65536];
        using var deadline = new CancellationTokenSource(Bound);
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
        {
            receivedHash.AppendData(buffer, 0, n);
            received += n;
        }
        await send.WaitAsync(Bound);
        Assert.Equal(size, received);
        Assert.Equal(Convert.ToHexString(sentHash.GetHashAndReset()), Convert.ToHexString(receivedHash.GetHashAndReset()));
        Assert.Equal(0, await listener.Process.WaitForExitAsync(Bound));
        Assert.Contains("exited with status 0", listener.Process.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task PeersHalfCloseGivesTheProgramEofAndItsLaterOutputStillArrives(string family)
    {
        // wc can only answer after its stdin's EOF; the pause shows the peer's direction stays open meanwhile.
        await using var listener = await ExecListener.StartAsync(family, ["-c", "wc -c; sleep 0.3; echo after-eof"]);
        byte[] reply = await listener.ExchangeAsync("twelve bytes"u8.ToArray());
        Assert.Equal("12\nafter-eof\n", Encoding.ASCII.GetString(reply));
        Assert.Equal(0, await listener.Process.WaitForExitAsync(Bound));
        Assert.Contains("sent 13 bytes, received 12 bytes; ended: both directions closed", listener.Process.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ProgramsExitGivesThePeerEofThoughThePeerNeverHalfCloses(string family)
    {
        // head takes 10 of the 30 bytes and exits; the peer, which keeps its sending side open, gets them and EOF.
        await using var listener = await ExecListener.StartAsync(family, ["-e", "head -c 10"]);
        using Socket socket = await listener.ConnectAsync();
        await socket.SendAsync(Encoding.ASCII.GetBytes(new string('x', 30)));
        byte[] reply = await ExecListener.ReadToEndAsync(socket);
        Assert.Equal("xxxxxxxxxx", Encoding.ASCII.GetString(reply));
        Assert.Equal(0, await listener.Process.WaitForExitAsync(Bound));
        Assert.Contains("ended: program exited", listener.Process.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Families.All), MemberType = typeof(Families))]
    public async Task ProgramSeesNcatsVariablesForItsConnection(string family)
    {
        await using var listener = await ExecListener.StartAsync(family, ["-c", "env"]);
        using Socket socket = await listener.ConnectAsync();
        socket.Shutdown(SocketShutdown.Send);
        Dictionary<string, string> env = Variables(await ExecListener.ReadToEndAsync(socket));
        switch (family)
        {
            case Families.Unix:
                Assert.Equal("UNIX", env["NCAT_PROTO"]);
                Assert.Equal(((UnixDomainSocketEndPoint)listener.Target).ToString(), env["NCAT_LOCAL_ADDR"]);
                Assert.Equal("", env["NCAT_LOCAL_PORT"]);
                Assert.Equal("", env["NCAT_REMOTE_PORT"]);
                break;
            default:
                var server = (IPEndPoint)listener.Target;
                var client = (IPEndPoint)socket.LocalEndPoint!;
                Assert.Equal("TCP", env["NCAT_PROTO"]);
                Assert.Equal(server.Address.ToString(), env["NCAT_LOCAL_ADDR"]);
                Assert.Equal(server.Port.ToString(CultureInfo.InvariantCulture), env["NCAT_LOCAL_PORT"]);
                Assert.Equal(client.Address.ToString(), env["NCAT_REMOTE_ADDR"]);
                Assert.Equal(client.Port.ToString(CultureInfo.InvariantCulture), env["NCAT_REMOTE_PORT"]);
                break;
        }
        Assert.Contains("PATH", env.Keys); // added to our environment, not replacing it
    }

    [Fact]
    public async Task ClientRunsItsProgramWithTheConnectionAsStdio()
    {
        using var server = LoopbackListener.Tcp4();
        int port = ((IPEndPoint)server.LocalEndPoint!).Port;
        await using var ours = RunningProcess.Sockit("nc", "-v", "-c", "read line; echo \"got $line\"; env", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        using var deadline = new CancellationTokenSource(Bound);
        using Socket accepted = await server.AcceptAsync(deadline.Token);
        await accepted.SendAsync("$(id)\n"u8.ToArray());
        string reply = Encoding.UTF8.GetString(await ExecListener.ReadToEndAsync(accepted));
        Assert.StartsWith("got $(id)\n", reply, StringComparison.Ordinal);
        Dictionary<string, string> env = Variables(Encoding.UTF8.GetBytes(reply));
        Assert.Equal(port.ToString(CultureInfo.InvariantCulture), env["NCAT_REMOTE_PORT"]);
        Assert.Equal(((IPEndPoint)accepted.RemoteEndPoint!).Port.ToString(CultureInfo.InvariantCulture), env["NCAT_LOCAL_PORT"]);
        Assert.Equal(0, await ours.WaitForExitAsync(Bound));
        Assert.Matches(@"exec: pid \d+ started", ours.Stderr);
        Assert.Matches(@"exec: pid \d+ exited with status 0", ours.Stderr);
    }

    private static Dictionary<string, string> Variables(byte[] envOutput) => Encoding.UTF8.GetString(envOutput)
        .Split('\n').Where(l => l.Contains('=', StringComparison.Ordinal))
        .Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
}
