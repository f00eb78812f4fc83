using System.Text;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Exec;

/// <summary>Bytes from a peer reach the program on its stdin, byte for byte, and nowhere else (no shell, no variable).</summary>
public sealed class HostilePayloadTests
{
    // Copies stdin to stdout, then prints its environment after a marker: one exec per connection, no shell.
    private const string EchoThenEnvironment = """
        #include <stdio.h>
        #include <unistd.h>
        extern char **environ;
        int main(void) {
            char buf[65536]; ssize_t n;
            while ((n = read(0, buf, sizeof buf)) > 0)
                for (ssize_t off = 0; off < n; ) { ssize_t w = write(1, buf + off, n - off); if (w <= 0) return 1; off += w; }
            fputs("\n--environment--\n", stdout);
            for (char **e = environ; *e; e++) { fputs(*e, stdout); fputc('\n', stdout); }
            return 0;
        }
        """;

    private const string Marker = "\n--environment--\n";

    [Fact]
    public async Task AThousandHostilePayloadsReachOnlyTheProgramsStdin()
    {
        using var dir = new TempDir();
        string program = await SeedPrograms.CompileAsync(dir.Path, "echo_env", EchoThenEnvironment);
        await using var listener = await ExecListener.StartAsync(Families.IPv4, ["-e", program], "-k");
        byte[][] payloads = Enumerable.Range(0, 1000).Select(i => Payload(i, dir.Path)).ToArray();

        // Eight payloads per connection (one program each): 125 programs keep the test within its bound on a
        // loaded machine, and a connection's bytes must still come back exactly, in order.
        const int perConnection = 8;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(25));
        await Parallel.ForEachAsync(Enumerable.Range(0, payloads.Length / perConnection), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = deadline.Token }, async (c, _) =>
        {
            int first = c * perConnection;
            byte[] request = payloads[first..(first + perConnection)].SelectMany(p => p).ToArray();
            byte[] reply = await listener.ExchangeAsync(request);
            byte[] marker = Encoding.ASCII.GetBytes(Marker);
            int split = reply.AsSpan().LastIndexOf(marker);
            Assert.True(split >= 0, $"connection {c}: no environment marker in the reply");
            Assert.True(reply.AsSpan(0, split).SequenceEqual(request), $"payloads {first}..{first + perConnection - 1} came back changed");
            string environment = Encoding.UTF8.GetString(reply, split + marker.Length, reply.Length - split - marker.Length);
            for (int i = first; i < first + perConnection; i++) Assert.DoesNotContain(Token(i), environment, StringComparison.Ordinal);
        });

        Assert.Empty(Directory.GetFiles(dir.Path, "touched*"));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "sockit-injected-*"));
    }

    private static string Token(int i) => $"#payload{i}#";

    /// <summary>Shell and format metacharacters, command substitution, NULs, newlines, invalid UTF-8, 64 KiB lines.</summary>
    private static byte[] Payload(int i, string dir)
    {
        string touch = $"touch {dir}/touched{i}";
        string text = (i % 12) switch
        {
            0 => $"$({touch})",
            1 => $"`{touch}`",
            2 => $"; {touch}\n",
            3 => $"| {touch} && {touch}; exit 0",
            4 => $"a\0b\0$({touch})\0",
            5 => "\n\n\r\n\r" + touch + "\n",
            6 => $"${{IFS}}$(touch${{IFS}}/tmp/sockit-injected-{i})'\"\\",
            7 => "%s%n%x %99999999s \u001b[2J\u001b]0;title\u0007",
            8 => new string('A', 64 * 1024) + "\n" + new string('B', 64 * 1024),
            9 => $"NCAT_REMOTE_ADDR=$({touch})\nPATH=/nonexistent\n",
            10 => "\\\\\\'\"\"'$$$!!*?[a-z]{a,b}~",
            _ => "",
        };
        byte[] head = Encoding.UTF8.GetBytes(text + Token(i));
        if (i % 12 != 11) return head;
        var random = new byte[1 + i % 4096];
        new Random(i).NextBytes(random); // every byte value, including NUL, 0xFF and lone UTF-8 continuation bytes
        return [.. head, .. random];
    }
}
