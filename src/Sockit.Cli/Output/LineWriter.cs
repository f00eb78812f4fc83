using System.Buffers;
using System.Text;

namespace Sockit.Cli.Output;

/// <summary>
/// Writes whole lines to stdout or stderr and flushes each one at once, also when the stream is a pipe or a
/// file, so a watching script sees every line as it happens. One write call per line under a lock keeps
/// lines from concurrent clients from interleaving mid-line.
/// </summary>
internal sealed class LineWriter(Stream stream)
{
    private readonly Lock _gate = new();

    public static readonly LineWriter Stdout = new(Console.OpenStandardOutput());
    public static readonly LineWriter Stderr = new(Console.OpenStandardError());

    public void WriteLine(string line)
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
}
