using System.Text;
using Sockit.Cli.Output;

namespace Sockit.Tests;

/// <summary>The queued (server) mode of <see cref="LineWriter"/>: whole lines, in order, all written by Drain, never a throw.</summary>
public sealed class LineWriterTests
{
    [Fact]
    public void QueuedLinesFromManyThreadsStayWholeAndInOrderPerThread()
    {
        var stream = new MemoryStream();
        var writer = new LineWriter(stream);
        writer.StartBackground();
        const int threads = 4, lines = 2000;
        Parallel.For(0, threads, t =>
        {
            for (int i = 0; i < lines; i++) writer.WriteLine($"t{t} line {i} é");
        });
        writer.Drain();
        string[] written = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        Assert.Equal("", written[^1]);
        Assert.Equal(threads * lines, written.Length - 1);
        for (int t = 0; t < threads; t++)
        {
            string prefix = $"t{t} ";
            Assert.Equal(Enumerable.Range(0, lines).Select(i => $"t{t} line {i} é"), written.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void AQuietLineIsWrittenWithoutDrain()
    {
        var stream = new FlushCountingStream();
        var writer = new LineWriter(stream);
        writer.StartBackground();
        writer.WriteLine("hello");
        Assert.True(stream.Flushed.Wait(TimeSpan.FromSeconds(30)), "the line was not flushed");
        Assert.Equal("hello\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void ASteadyTrickleOfLinesIsWrittenInBatches()
    {
        // A line every 50 us, as a busy server logs: without the writer's pause each line woke it for a write of its own.
        var stream = new WriteCountingStream();
        var writer = new LineWriter(stream);
        writer.StartBackground();
        const int lines = 2000;
        long gap = System.Diagnostics.Stopwatch.Frequency / 20_000;
        for (int i = 0; i < lines; i++)
        {
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + gap;
            writer.WriteLine($"line {i}");
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
        }
        writer.Drain();
        Assert.Equal(Enumerable.Range(0, lines).Select(i => $"line {i}\n"), Encoding.UTF8.GetString(stream.ToArray()).Split('\n')[..^1].Select(l => l + "\n"));
        Assert.True(stream.Writes <= lines / 5, $"{stream.Writes} writes for {lines} lines");
    }

    [Fact]
    public void ABrokenStreamDropsLinesButNeverThrows()
    {
        var writer = new LineWriter(new BrokenStream());
        writer.StartBackground();
        for (int i = 0; i < 100; i++) writer.WriteLine("lost");
        writer.Drain();
        writer.WriteLine("still fine");
        writer.Drain();
    }

    private sealed class FlushCountingStream : MemoryStream
    {
        public ManualResetEventSlim Flushed { get; } = new();

        public override void Flush()
        {
            base.Flush();
            Flushed.Set();
        }
    }

    private sealed class WriteCountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            base.Write(buffer, offset, count);
        }
    }

    private sealed class BrokenStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");
    }
}
