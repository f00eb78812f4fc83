using System.Net.Sockets;
using System.Text;
using Sockit.Relay;

namespace Sockit.Tests;

public sealed class RelayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RelayCopiesBothWaysAndHalfClosesEachSink()
    {
        byte[] fromA = RandomBytes(300_000), fromB = RandomBytes(123_457);
        var outA = new MemoryStream();
        var outB = new MemoryStream();
        var a = new StdioEnd(new MemoryStream(fromA), outA);
        var b = new StdioEnd(new MemoryStream(fromB), outB);

        RelayResult result = await DuplexRelay.RunAsync(a, b, new RelayOptions { BufferSize = 4096 }, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(RelayEndReason.BothEof, result.Reason);
        Assert.Equal(fromA.Length, result.BytesAToB);
        Assert.Equal(fromB.Length, result.BytesBToA);
        Assert.Equal(fromA, outB.ToArray());
        Assert.Equal(fromB, outA.ToArray());
        Assert.False(outA.CanWrite); // closed: the half-close reached both sinks
        Assert.False(outB.CanWrite);
    }

    [Fact]
    public async Task AResetIsReportedWithTheBytesMovedSoFar()
    {
        var a = new StdioEnd(new MemoryStream(RandomBytes(1000)), new MemoryStream());
        var b = new FailingEnd(new SocketException((int)SocketError.ConnectionReset));

        RelayResult result = await DuplexRelay.RunAsync(a, b, new RelayOptions(), CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(RelayEndReason.PeerReset, result.Reason);
        Assert.IsType<SocketException>(result.Error);
        Assert.False(result.Clean);
    }

    [Fact]
    public async Task IdleTimeoutEndsARelayWhereNothingMoves()
    {
        var a = new StdioEnd(new BlockingStream(), new MemoryStream());
        var b = new StdioEnd(new BlockingStream(), new MemoryStream());
        var options = new RelayOptions { IdleTimeout = TimeSpan.FromMilliseconds(100) };

        RelayResult result = await DuplexRelay.RunAsync(a, b, options, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(RelayEndReason.IdleTimeout, result.Reason);
    }

    [Fact]
    public async Task QuitAfterInputEofStopsWaitingForTheOtherSide()
    {
        var outB = new MemoryStream();
        var a = new StdioEnd(new MemoryStream("bye"u8.ToArray()), new MemoryStream());
        var b = new StdioEnd(new BlockingStream(), outB);
        var options = new RelayOptions { QuitAfterInputEof = TimeSpan.Zero };

        RelayResult result = await DuplexRelay.RunAsync(a, b, options, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(RelayEndReason.QuitAfterInputEof, result.Reason);
        Assert.Equal("bye", Encoding.ASCII.GetString(outB.ToArray()));
    }

    [Fact]
    public async Task CancellationEndsTheRelay()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var a = new StdioEnd(new BlockingStream(), new MemoryStream());
        var b = new StdioEnd(new BlockingStream(), new MemoryStream());

        RelayResult result = await DuplexRelay.RunAsync(a, b, new RelayOptions(), cancel.Token).WaitAsync(Bound);

        Assert.Equal(RelayEndReason.Cancelled, result.Reason);
    }

    [Theory]
    [InlineData("a\nb\n", "a\r\nb\r\n")]
    [InlineData("a\r\nb", "a\r\nb")]
    [InlineData("\n\n", "\r\n\r\n")]
    [InlineData("no newline", "no newline")]
    public async Task CrlfTurnsBareLineFeedsIntoCrlf(string input, string expected)
    {
        var end = new CrlfEnd(new StdioEnd(new MemoryStream(Encoding.ASCII.GetBytes(input)), new MemoryStream()));
        byte[] buffer = new byte[64];
        var all = new StringBuilder();
        int n;
        while ((n = await end.ReadAsync(buffer, CancellationToken.None)) > 0) all.Append(Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(expected, all.ToString());
    }

    [Fact]
    public void CrlfRemembersACarriageReturnAcrossReads()
    {
        var end = new CrlfEnd(new StdioEnd(Stream.Null, Stream.Null));
        byte[] first = new byte[4], second = new byte[4];
        first[0] = (byte)'\r';
        second[0] = (byte)'\n';
        Assert.Equal(1, end.Expand(first, 1));
        Assert.Equal(1, end.Expand(second, 1));
        Assert.Equal((byte)'\n', second[0]);
    }

    private static byte[] RandomBytes(int n)
    {
        byte[] bytes = new byte[n];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private sealed class FailingEnd(Exception error) : DuplexEnd
    {
        public override string Name => "failing";
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel) => ValueTask.FromException<int>(error);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel) => ValueTask.FromException(error);
        public override ValueTask CompleteWritesAsync() => ValueTask.CompletedTask;
    }

    /// <summary>A read that never completes (a silent terminal).</summary>
    private sealed class BlockingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => new(new TaskCompletionSource<int>().Task);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
