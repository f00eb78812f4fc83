using System.Net.Sockets;
using System.Text;

namespace Sockit.IntegrationTests.Broker;

/// <summary>
/// Reads a chat member's socket until it has seen a number of lines that start with one speaker's prefix, checking
/// each of those lines' length; announcements are skipped, and a line from anyone else fails at once (rather than
/// waiting to the bound for lines that will never come). Cheap enough for gigabytes.
/// </summary>
internal static class LineTally
{
    /// <summary>Counts <paramref name="prefix"/>'s lines; <paramref name="heard"/>[<paramref name="index"/>] follows the count as it goes.</summary>
    public static async Task<long> CountAsync(Socket socket, string prefix, int lineLength, long wanted, long[] heard, int index, CancellationToken cancel)
    {
        byte[] expect = Encoding.ASCII.GetBytes(prefix);
        byte[] announce = Encoding.ASCII.GetBytes("<announce> ")[..Math.Min(expect.Length, 11)];
        byte[] buffer = new byte[64 * 1024];
        var head = new List<byte>(expect.Length);
        long lines = 0, length = 0;
        bool atStart = true, counting = false;
        while (lines < wanted)
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel);
            if (n == 0) throw new Xunit.Sdk.XunitException($"EOF after {lines} of {wanted} lines");
            Volatile.Write(ref heard[index], lines);
            int at = 0;
            while (at < n)
            {
                if (atStart)
                {
                    head.Add(buffer[at]);
                    if (head.Count < expect.Length && buffer[at] != '\n')
                    {
                        at++;
                        continue;
                    }
                    counting = head.SequenceEqual(expect);
                    if (!counting && !head.Take(announce.Length).SequenceEqual(announce))
                        throw new Xunit.Sdk.XunitException($"a line from someone else: {Encoding.ASCII.GetString([.. head])}... (expected {prefix})");
                    length = head.Count;
                    atStart = buffer[at] == '\n';
                    head.Clear();
                    at++;
                    continue;
                }
                int newline = buffer.AsSpan(at, n - at).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    length += n - at;
                    break;
                }
                length += newline + 1;
                at += newline + 1;
                if (counting)
                {
                    if (length != expect.Length + lineLength) throw new Xunit.Sdk.XunitException($"a line of {length} bytes, not {expect.Length + lineLength}");
                    lines++;
                }
                atStart = true;
            }
        }
        return lines;
    }
}
