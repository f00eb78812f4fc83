using System.Buffers;
using System.Text;

namespace Sockit.Cli.Output;

/// <summary>
/// Writes whole lines to stdout or stderr and flushes them at once, also when the stream is a pipe or a
/// file, so a watching script sees every line as it happens. Lines from concurrent callers never
/// interleave mid-line.
/// </summary>
/// <remarks>
/// Two modes. By default each line is one synchronous write+flush under a lock (short-lived commands).
/// After <see cref="StartBackground"/> (servers), <see cref="WriteLine"/> only queues the line and returns:
/// one writer thread takes everything queued, writes it as one batch, and flushes whenever the queue has
/// drained, so a caller on a connection's path never waits for a slow or full pipe, lines stay whole and in
/// order, and a line still appears at once when the server is quiet. <see cref="DrainAll"/> (called before
/// the process exits) writes everything queued. A closed stdout drops lines; it never stops the caller.
/// </remarks>
internal sealed class LineWriter(Stream stream)
{
    /// <summary>Lines held while the stream is not keeping up; beyond this, lines are counted and dropped.</summary>
    private const int MaxQueuedLines = 100_000;

    /// <summary>How long the writer lets lines gather after writing a batch.</summary>
    private static readonly TimeSpan BatchPause = TimeSpan.FromMilliseconds(1);

    private readonly object _gate = new();
    private Queue<string>? _queue;
    private bool _writing;
    private long _dropped;

    public static readonly LineWriter Stdout = new(Console.OpenStandardOutput());
    public static readonly LineWriter Stderr = new(Console.OpenStandardError());

    /// <summary>Switches both standard writers to queued mode with their own writer threads.</summary>
    public static void StartBackgroundAll()
    {
        Stdout.StartBackground();
        Stderr.StartBackground();
    }

    /// <summary>Waits until everything queued on both standard writers has been written.</summary>
    public static void DrainAll()
    {
        Stdout.Drain();
        Stderr.Drain();
    }

    /// <summary>From now on, lines are queued and written by a writer thread of this writer's own.</summary>
    public void StartBackground()
    {
        lock (_gate)
        {
            if (_queue is not null) return;
            _queue = new Queue<string>();
        }
        var thread = new Thread(WriterLoop) { IsBackground = true, Name = "sockit line writer" };
        thread.Start();
    }

    public void WriteLine(string line)
    {
        lock (_gate)
        {
            if (_queue is not null)
            {
                if (_queue.Count >= MaxQueuedLines)
                {
                    _dropped++;
                    return;
                }
                _queue.Enqueue(line);
                if (_queue.Count == 1) Monitor.PulseAll(_gate);
                return;
            }
        }
        WriteDirect(line);
    }

    /// <summary>Returns once every line queued so far is written (or dropped because the stream is closed).</summary>
    public void Drain()
    {
        lock (_gate)
        {
            while (_queue is not null && (_queue.Count > 0 || _writing)) Monitor.Wait(_gate);
        }
    }

    private void WriteDirect(string line)
    {
        int max = Encoding.UTF8.GetMaxByteCount(line.Length) + 1;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            int length = Encoding.UTF8.GetBytes(line, buffer);
            buffer[length++] = (byte)'\n';
            lock (_gate)
            {
                stream.Write(buffer, 0, length);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // The reader went away (a closed pipe); losing log lines must not take the server down.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriterLoop()
    {
        var batch = new List<string>();
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            long dropped;
            lock (_gate)
            {
                _writing = false;
                Monitor.PulseAll(_gate);
                while (_queue!.Count == 0) Monitor.Wait(_gate);
                while (_queue.Count > 0) batch.Add(_queue.Dequeue());
                dropped = _dropped;
                _dropped = 0;
                _writing = true;
            }
            if (dropped > 0) batch.Add($"[log]: {dropped} lines dropped (output not keeping up)");
            buffer = WriteBatch(batch, buffer);
            batch.Clear();
            // Let lines gather before the next batch. Without this pause a busy server woke this thread for nearly
            // every line (the queue went 0 -> 1 each time the writer had just emptied it): a futex wake and two
            // context switches per line, about a fifth of a logged grumpy exchange's CPU (docs/benchmarks.md,
            // "The grumpy server's log lines"). A quiet server's line still goes out at once; lines behind it wait
            // at most this long.
            Thread.Sleep(BatchPause);
        }
    }

    /// <summary>Encodes the batch into as few writes as the buffer allows, then flushes once.</summary>
    private byte[] WriteBatch(List<string> batch, byte[] buffer)
    {
        try
        {
            int used = 0;
            foreach (string line in batch)
            {
                int max = Encoding.UTF8.GetMaxByteCount(line.Length) + 1;
                if (used + max > buffer.Length)
                {
                    if (used > 0) stream.Write(buffer, 0, used);
                    used = 0;
                    if (max > buffer.Length) buffer = new byte[max];
                }
                used += Encoding.UTF8.GetBytes(line, buffer.AsSpan(used));
                buffer[used++] = (byte)'\n';
            }
            if (used > 0) stream.Write(buffer, 0, used);
            stream.Flush();
        }
        catch (IOException)
        {
            // A closed pipe: the lines are lost, the server goes on.
        }
        return buffer;
    }
}
