using System.Net;
using System.Net.Sockets;
using Sockit.Connections;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.Tests;

/// <summary>
/// <see cref="RelayOptions.DedicatedThreads"/> switches an accepted connection to blocking recv/send itself, also
/// under a decorator (<c>cat -l -N</c> wraps it in <see cref="NoHalfCloseEnd"/>), and the bytes still arrive.
/// </summary>
public sealed class DedicatedThreadsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DedicatedThreadsSwitchASocketUnderADecoratorToBlockingCalls(bool dedicated)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!).WaitAsync(Bound);
        var accepted = new SocketEnd(listener.Accept(), SocketCalls.Untraced);
        await using var connection = new NoHalfCloseEnd(accepted);

        byte[] fromClient = "from the client\n"u8.ToArray();
        var received = new MemoryStream();
        var local = new StdioEnd(new MemoryStream("from the listener\n"u8.ToArray()), received);
        Task<RelayResult> relay = DuplexRelay.RunAsync(local, connection,
            new RelayOptions { DedicatedThreads = dedicated, EndAtBEof = true }, CancellationToken.None);

        await client.SendAsync(fromClient);
        byte[] buffer = new byte[64];
        int n = await client.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Bound);
        client.Shutdown(SocketShutdown.Send); // after the answer: the relay ends at this EOF (EndAtBEof)
        RelayResult result = await relay.WaitAsync(Bound);

        Assert.Equal(dedicated, accepted.UsesBlockingCalls);
        Assert.Equal("from the listener\n", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(fromClient, received.ToArray());
        Assert.Equal(RelayEndReason.BothEof, result.Reason);
    }
}
