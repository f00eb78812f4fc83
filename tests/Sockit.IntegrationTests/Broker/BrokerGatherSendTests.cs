using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Connections;
using Sockit.Protocols.Broker;
using Sockit.Relay;
using Sockit.Transports;

namespace Sockit.IntegrationTests.Broker;

/// <summary>
/// A member's queued chunks go out in one gathering sendmsg(2) straight from their buffers, and what does not fit in
/// the socket's buffer goes the waiting way from where that call stopped, mid-chunk as often as not: a member that
/// reads late, through a small receive buffer, still gets every byte once and in order.
/// </summary>
public sealed class BrokerGatherSendTests
{
    private const int Total = 8 << 20;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task LateReaderGetsEveryByteInOrderAfterPartialSends()
    {
        // A queue limit above what is sent: this test is about order, not about dropping.
        await using var hub = new BrokerHub(new BrokerOptions { SendQueueLimit = 4L * Total });
        using var listener = LoopbackListener.Tcp4(2);
        var speaker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        // Small before connecting (set after, Linux's TCP crawls at tens of KB/s into the shrunken buffer).
        var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        var serving = new List<Task<RelayResult>>();
        try
        {
            foreach (Socket client in (Socket[])[speaker, late])
            {
                await client.ConnectAsync(listener.LocalEndPoint!);
                serving.Add(hub.ServeAsync(new SocketEnd(await listener.AcceptAsync(), SocketCalls.Untraced), CancellationToken.None));
            }
            while (hub.Count < 2) await Task.Delay(10);

            byte[] sent = Pattern(Total);
            Task speaking = Task.Run(() => Speak(speaker, sent));
            await Task.Delay(1000); // the broker's socket buffer to this member fills: sends stop part-way through a batch
            byte[] received = await Task.Run(() => Receive(late, Total)).WaitAsync(Bound);
            await speaking.WaitAsync(Bound);

            Assert.Equal(Total, received.Length);
            int first = received.AsSpan().CommonPrefixLength(sent);
            Assert.True(first == Total, $"the bytes differ from offset {first} on");
        }
        finally
        {
            speaker.Dispose();
            late.Dispose();
            await Task.WhenAll(serving).WaitAsync(Bound);
        }
    }

    // Writes of uneven sizes, so the broker's reads (its chunks) end at uneven places.
    private static void Speak(Socket speaker, byte[] data)
    {
        int at = 0;
        for (int i = 0; at < data.Length; i++)
        {
            int n = Math.Min(data.Length - at, 1000 + i * 7919 % 20000);
            at += speaker.Send(data.AsSpan(at, n));
        }
    }

    private static byte[] Receive(Socket late, int total)
    {
        late.ReceiveTimeout = (int)Bound.TotalMilliseconds;
        byte[] received = new byte[total];
        int at = 0, n;
        while (at < total && (n = late.Receive(received.AsSpan(at))) > 0) at += n;
        return received[..at];
    }

    // Not periodic at any chunk size: a byte sent twice or skipped shows.
    private static byte[] Pattern(int length)
    {
        byte[] data = new byte[length];
        uint x = 2463534242;
        for (int i = 0; i < length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            data[i] = (byte)x;
        }
        return data;
    }
}
