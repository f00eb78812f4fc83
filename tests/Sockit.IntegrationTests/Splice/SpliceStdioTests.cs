using System.Globalization;
using System.Text;
using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Splice;

/// <summary>
/// <c>sockit cat</c> between a socket and stdin/stdout that are files or pipes, with the splice(2) fast path on and
/// off: the same bytes land (SHA-256) whether stdout is a file or a pipe, a stdin file is read at its position
/// after a first chunk read the portable way, and a file opened for appending keeps what it held.
/// </summary>
public sealed class SpliceStdioTests
{
    private const long Size = 64L * 1024 * 1024;

    [Theory]
    [InlineData(true, "> {out}", false)]
    [InlineData(false, "> {out}", false)]
    [InlineData(true, "| cat > {out}", true)]
    [InlineData(false, "| cat > {out}", false)]
    [InlineData(true, "> {fifo}", true)]
    [InlineData(false, "> {fifo}", false)]
    public async Task CatFromAFileIntoAFileOrPipeLandsTheSameBytes(bool splice, string redirect, bool receiverSplices)
    {
        using var dir = new TempDir();
        string sent = SplicePeers.RandomFile(dir.File("up"), Size);
        // A named pipe (mkfifo) is a pipe too, though /proc shows it by its path: bench/run.sh's receiver writes one.
        await using RunningProcess? drain = redirect.Contains("{fifo}", StringComparison.Ordinal)
            ? RunningProcess.Start("/bin/bash", "-c", $"mkfifo {Shell.Quote(dir.File("fifo"))} && exec cat < {Shell.Quote(dir.File("fifo"))} > {Shell.Quote(dir.File("out"))}")
            : null;
        for (int i = 0; drain is not null && !File.Exists(dir.File("fifo")) && i < 1500; i++) await Task.Delay(20);
        (RunningProcess listener, int port) = await ListenAsync(splice, redirect.Replace("{out}", Shell.Quote(dir.File("out")), StringComparison.Ordinal)
            .Replace("{fifo}", Shell.Quote(dir.File("fifo")), StringComparison.Ordinal));
        await using var _ = listener;

        await using var client = Shell.Run($"{SplicePeers.SockitCommand(splice)} cat --trace 127.0.0.1 {port}", dir.File("up"), "/dev/null");
        Assert.Equal(0, await client.WaitForExitAsync(SplicePeers.Bound));
        Assert.Equal(0, await listener.WaitForExitAsync(SplicePeers.Bound));
        if (drain is not null) Assert.Equal(0, await drain.WaitForExitAsync(SplicePeers.Bound));
        Assert.Equal(sent, BulkData.Hash(dir.File("out")));
        Assert.Contains($"sent 0 bytes, received {Size} bytes; ended: both directions closed", listener.Stderr, StringComparison.Ordinal);
        // The sender splices from its stdin file; the receiver into a pipe, not into a file (write(2) is cheaper there).
        int sender = SplicePeers.SpliceCalls(string.Join('\n', client.StdoutLines)), receiver = SplicePeers.SpliceCalls(listener.Stderr);
        Assert.Equal(splice, sender > 0);
        Assert.Equal(receiverSplices, receiver > 0);
    }

    [Fact]
    public async Task StdoutOpenedForAppendingKeepsWhatItHeldAndGetsEveryByte()
    {
        using var dir = new TempDir();
        const long size = 8L * 1024 * 1024;
        SplicePeers.RandomFile(dir.File("up"), size);
        await File.WriteAllTextAsync(dir.File("out"), "held before\n");
        (RunningProcess listener, int port) = await ListenAsync(splice: true, $">> {Shell.Quote(dir.File("out"))}");
        await using var _ = listener;

        await using var client = Shell.Run($"{SplicePeers.SockitCommand(true)} cat 127.0.0.1 {port}", dir.File("up"), "/dev/null");
        Assert.Equal(0, await client.WaitForExitAsync(SplicePeers.Bound));
        Assert.Equal(0, await listener.WaitForExitAsync(SplicePeers.Bound));
        byte[] up = await File.ReadAllBytesAsync(dir.File("up")), landed = await File.ReadAllBytesAsync(dir.File("out"));
        byte[] expected = [.. Encoding.ASCII.GetBytes("held before\n"), .. up];
        Assert.True(expected.SequenceEqual(landed), "the appended file is not what it held plus every byte received");
    }

    /// <summary><c>sockit cat -l 127.0.0.1 0 -v --trace &lt; /dev/null REDIRECT</c> under bash; its stderr is the process's stderr.</summary>
    private static async Task<(RunningProcess Listener, int Port)> ListenAsync(bool splice, string redirect)
    {
        var listener = RunningProcess.Start("/bin/bash", "-c", $"{SplicePeers.SockitCommand(splice)} cat -l 127.0.0.1 0 -v --trace < /dev/null {redirect}");
        string line = await listener.WaitForStderrLineAsync("Listening on ");
        return (listener, int.Parse(line[(line.LastIndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture));
    }
}
