using System.Net;
using System.Net.Sockets;
using System.Text;
using Sockit.Addresses;
using Sockit.Relay;

namespace Sockit.Tests;

/// <summary>The address opener and the pair rules of <see cref="AddressRelay"/>, over loopback and temp files.</summary>
public sealed class AddressOpenerTests
{
    private static AddressSpec P(string text) => AddressSpec.Parse(text);

    [Theory]
    [InlineData("tcp-listen:0", "tcp:127.0.0.1:1")]
    [InlineData("unix-listen:/tmp/x", "exec:cat")]
    [InlineData("udp-listen:0,fork", "tcp:127.0.0.1:1")]
    [InlineData("tcp-listen:0,fork", "sh:cat")]
    [InlineData("-", "tcp-listen:0")]
    [InlineData("tcp-listen:0", "tcp-listen:0")]
    [InlineData("exec:cat", "file:/tmp/x")]
    public void PairsThatCanBeRelayedPass(string first, string second) => AddressRelay.Check(P(first), P(second));

    [Theory]
    [InlineData("tcp-listen:0,fork", "tcp-listen:0", "cannot listen behind")]
    [InlineData("udp-listen:0", "unix-listen:/tmp/x", "cannot listen behind")]
    [InlineData("tcp:127.0.0.1:1", "tcp-listen:0,fork", "fork applies to the first address only")]
    [InlineData("tcp-listen:0", "udp-listen:0", "udp-listen: can only be the first address")]
    [InlineData("tcp-listen:0,fork", "stdio", "stdio cannot serve every client")]
    [InlineData("udp-listen:0", "-", "stdio cannot serve every client")]
    [InlineData("-", "-", "stdio cannot be both addresses")]
    public void PairsThatCannotBeRelayedAreOneLine(string first, string second, string expected)
    {
        var e = Assert.Throws<AddressException>(() => AddressRelay.Check(P(first), P(second)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task ListenerIsNotOpenedButAccepted()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => AddressOpener.OpenAsync(P("tcp-listen:0")));
        Assert.StartsWith("tcp-listen: is a listener", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileIsReadToItsLengthAtOpenThenAppendedTo()
    {
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "before");
            await using (DuplexEnd file = await AddressOpener.OpenAsync(P($"file:{path}")))
            {
                await file.WriteAsync(Encoding.ASCII.GetBytes("+after"), default);
                byte[] buffer = new byte[64];
                int n = await file.ReadAsync(buffer, default);
                Assert.Equal("before", Encoding.ASCII.GetString(buffer, 0, n));
                Assert.Equal(0, await file.ReadAsync(buffer, default)); // what we appended is not read back
            }
            Assert.Equal("before+after", await File.ReadAllTextAsync(path));

            await using (DuplexEnd readOnly = await AddressOpener.OpenAsync(P($"file:{path},rdonly")))
                await Assert.ThrowsAsync<IOException>(async () => await readOnly.WriteAsync(new byte[1], default));
            await using (DuplexEnd truncated = await AddressOpener.OpenAsync(P($"file:{path},trunc")))
                Assert.Equal(0, await truncated.ReadAsync(new byte[8], default));
            Assert.Equal("", await File.ReadAllTextAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task UdpAddressIsOneDatagramPerWriteAndPerRead()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)peer.LocalEndPoint!).Port;
        await using DuplexEnd udp = await AddressOpener.OpenAsync(P($"udp:127.0.0.1:{port}"));

        await udp.WriteAsync(Encoding.ASCII.GetBytes("one"), default);
        await udp.WriteAsync(Encoding.ASCII.GetBytes("two"), default);
        byte[] buffer = new byte[100];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        SocketReceiveFromResult first = await peer.ReceiveFromAsync(buffer, SocketFlags.None, any);
        Assert.Equal("one", Encoding.ASCII.GetString(buffer, 0, first.ReceivedBytes));
        Assert.Equal("two", Encoding.ASCII.GetString(buffer, 0, (await peer.ReceiveFromAsync(buffer, SocketFlags.None, any)).ReceivedBytes));

        await peer.SendToAsync(Encoding.ASCII.GetBytes("a"), SocketFlags.None, first.RemoteEndPoint);
        await peer.SendToAsync(Encoding.ASCII.GetBytes("bc"), SocketFlags.None, first.RemoteEndPoint);
        Assert.Equal(1, await udp.ReadAsync(buffer, default));
        Assert.Equal(2, await udp.ReadAsync(buffer, default));

        // Datagrams have no EOF: once our writes are complete, reads end after the linger's quiet.
        await udp.CompleteWritesAsync();
        Assert.Equal(0, await udp.ReadAsync(buffer, default).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task ExecOpenedForAClientSeesItsAddressesInNcatVariables()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        await using DuplexEnd client = await Transports.StreamConnector.ConnectAsync(Endpoints.EndpointSpec.Ip("127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port));
        await using DuplexEnd program = await AddressOpener.OpenAsync(P("sh:echo $NCAT_PROTO $NCAT_LOCAL_ADDR $NCAT_REMOTE_PORT"), null, client);
        byte[] buffer = new byte[200];
        var text = new StringBuilder();
        int n;
        while ((n = await program.ReadAsync(buffer, default)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal($"TCP 127.0.0.1 {((IPEndPoint)listener.LocalEndPoint!).Port}\n", text.ToString());
    }
}
