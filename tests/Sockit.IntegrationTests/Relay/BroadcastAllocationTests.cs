using System.Net.Sockets;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.Relay;
using Xunit.Abstractions;

namespace Sockit.IntegrationTests.Relay;

/// <summary>Tests that count the whole process's allocations, so nothing else may run beside them.</summary>
[CollectionDefinition(nameof(AllocationMeasurement), DisableParallelization = true)]
public sealed class AllocationMeasurement;

/// <summary>The keep-open fan-out allocates nothing per chunk: one pooled chunk shared by every member's queue.</summary>
[Collection(nameof(AllocationMeasurement))]
public sealed class BroadcastAllocationTests(ITestOutputHelper output)
{
    private const int ChunkSize = RelayOptions.DefaultBufferSize;
    private const int Members = 4;
    // Generous: 4 x 80 MiB over loopback on a loaded 2-core CI machine took more than 20 s.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BroadcastToFourMembersAllocatesNothingPerChunk()
    {
        // The difference between a short and a long run is the cost of the extra chunks alone.
        long shortRun = await AllocatedWhileBroadcastingAsync(chunks: 256);
        long longRun = await AllocatedWhileBroadcastingAsync(chunks: 256 + 1024);
        double perChunk = (longRun - shortRun) / 1024.0;
        output.WriteLine($"{perChunk:0.0} bytes per chunk; {shortRun} bytes for 256 chunks, {longRun} for 1280");
        Assert.True(perChunk < 64, $"{perChunk:0.0} bytes allocated per chunk sent to {Members} members ({shortRun} and {longRun} bytes in all)");
    }

    private static async Task<long> AllocatedWhileBroadcastingAsync(int chunks)
    {
        using var listener = LoopbackListener.Tcp4(Members);
        var hub = new BroadcastHub(new StdioEnd(new CountedInput(chunks), Stream.Null), new RelayOptions(), shutdownOnInputEof: true, BroadcastHub.DefaultSendQueueLimit);
        var clients = new List<Socket>();
        var serving = new List<Task<RelayResult>>();
        try
        {
            await LoopbackMembers.ConnectAsync(listener, Members, end => hub.ServeAsync(end, CancellationToken.None), clients, serving);
            Task<long>[] draining = clients.Select(DrainAsync).ToArray();
            while (hub.Count < Members) await Task.Delay(10);

            long before = GC.GetTotalAllocatedBytes(precise: true);
            await hub.BroadcastAsync(CancellationToken.None).WaitAsync(Bound);
            long[] received = await Task.WhenAll(draining).WaitAsync(Bound);
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

            Assert.All(received, n => Assert.Equal((long)chunks * ChunkSize, n));
            return allocated;
        }
        finally
        {
            foreach (Socket client in clients) client.Dispose();
            await Task.WhenAll(serving).WaitAsync(Bound);
        }
    }

    private static async Task<long> DrainAsync(Socket client)
    {
        byte[] buffer = new byte[ChunkSize];
        long total = 0;
        int n;
        while ((n = await client.ReceiveAsync(buffer.AsMemory(), SocketFlags.None)) > 0) total += n;
        return total;
    }

    /// <summary>Stdin stand-in: <c>chunks</c> full reads, then EOF, without allocating.</summary>
    private sealed class CountedInput(int chunks) : Stream
    {
        private int _left = chunks;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(Read(buffer.Span));

        public override int Read(Span<byte> buffer)
        {
            if (_left == 0) return 0;
            _left--;
            int n = Math.Min(buffer.Length, ChunkSize);
            buffer[..n].Fill((byte)_left);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
