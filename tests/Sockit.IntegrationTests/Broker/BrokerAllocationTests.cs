using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;
using Sockit.Protocols.Broker;
using Sockit.Relay;
using Xunit.Abstractions;

namespace Sockit.IntegrationTests.Broker;

/// <summary>
/// The broker's fan-out allocates nothing per message (issue 11): every member of an in-process <see cref="BrokerHub"/>
/// talks at once over real loopback sockets, and what the broker allocated in a long run less a short one, divided by
/// the extra messages, stays under a few bytes. The members' clients are blocking sockets on threads of their own,
/// whose allocations are subtracted, so the figure is the broker's (the hub's work runs on the thread pool).
/// </summary>
[Collection(nameof(AllocationMeasurement))]
public sealed class BrokerAllocationTests(ITestOutputHelper output)
{
    private const int Members = 4;
    // One message is one read of the broker's (its buffer less the byte it keeps free), so a message is one chunk.
    private const int MessageSize = 16 * 1024 - 1;
    private const int Short = 64;
    private const int Long = 64 + 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task FourMembersTalkingAtOnceAllocateNothingPerMessage()
    {
        double perMessage = await AllocatedPerMessageAsync(end => end);
        Assert.True(perMessage < 64, $"{perMessage:0.0} bytes allocated by the broker per message fanned out");
    }

    [Fact]
    public async Task AllocationFigureCountsWhatTheBrokerAllocates()
    {
        // The check above is only worth something if the figure moves: here each of the broker's reads allocates 1 KiB.
        double perMessage = await AllocatedPerMessageAsync(end => new AllocatingEnd(end));
        Assert.True(perMessage > 512, $"{perMessage:0.0} bytes per message with 1 KiB allocated per read");
    }

    // One hub for every run, as a server has: its chunk pools grow to the deepest queues seen and are then reused.
    // A hub per run counted that growth (bounded by the queue limit) as if it were per message; and as a run may still
    // queue deeper than any before it, the figure is the least of three pairs of runs: what is allocated per message
    // shows in every pair.
    private async Task<double> AllocatedPerMessageAsync(Func<DuplexEnd, DuplexEnd> wrap)
    {
        await using var hub = new BrokerHub();
        await AllocatedWhileTalkingAsync(hub, wrap, Long); // warm-up: the pools, the runtime
        await AllocatedWhileTalkingAsync(hub, wrap, Long);
        double least = double.MaxValue;
        for (int pair = 0; pair < 3; pair++)
        {
            long shortRun = await AllocatedWhileTalkingAsync(hub, wrap, Short);
            long longRun = await AllocatedWhileTalkingAsync(hub, wrap, Long);
            double perMessage = (longRun - shortRun) / ((double)(Long - Short) * Members);
            output.WriteLine($"{perMessage:0.0} bytes per message fanned out to {Members - 1} members; {shortRun} bytes for {Short} messages each, {longRun} for {Long}");
            least = Math.Min(least, perMessage);
        }
        return least;
    }

    private static async Task<long> AllocatedWhileTalkingAsync(BrokerHub hub, Func<DuplexEnd, DuplexEnd> wrap, int messages)
    {
        using var listener = LoopbackListener.Tcp4(Members);
        var clients = new List<Socket>();
        var serving = new List<Task<RelayResult>>();
        try
        {
            await LoopbackMembers.ConnectAsync(listener, Members, end => hub.ServeAsync(wrap(end), CancellationToken.None), clients, serving);
            while (hub.Count < Members) await Task.Delay(10);
            long expected = (long)(Members - 1) * messages * MessageSize;
            var received = new long[Members];
            var clientAllocated = new long[2 * Members];
            var threads = new List<Thread>();
            for (int i = 0; i < Members; i++)
            {
                (Socket client, int at) = (clients[i], i);
                threads.Add(new Thread(() => clientAllocated[2 * at] = Measured(() => Talk(client, messages))));
                threads.Add(new Thread(() => clientAllocated[2 * at + 1] = Measured(() => received[at] = Drain(client, expected))));
            }

            long before = GC.GetTotalAllocatedBytes(precise: true);
            foreach (Thread thread in threads) thread.Start();
            await Task.Run(() => threads.ForEach(thread => Assert.True(thread.Join(Bound), "a member's client did not finish")));
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before - clientAllocated.Sum();

            Assert.All(received, n => Assert.Equal(expected, n));
            return allocated;
        }
        finally
        {
            foreach (Socket client in clients) client.Dispose();
            await Task.WhenAll(serving).WaitAsync(Bound);
        }
    }

    private static long Measured(Action work)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        work();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    // A failure ends the thread quietly (an exception would end the test process): the drained counts tell.
    private static void Talk(Socket client, int messages)
    {
        byte[] message = new byte[MessageSize];
        try
        {
            for (int i = 0; i < messages; i++) client.Send(message);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private static long Drain(Socket client, long expected)
    {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            int n;
            while (total < expected && (n = client.Receive(buffer)) > 0) total += n;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        return total;
    }

    /// <summary>A member's end whose every read allocates 1 KiB, on the broker's thread that reads it.</summary>
    private sealed class AllocatingEnd(DuplexEnd inner) : DuplexEndDecorator(inner)
    {
        public byte[] Last { get; private set; } = [];

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
        {
            Last = new byte[1024];
            return base.ReadAsync(buffer, cancel);
        }
    }
}
