using System.Globalization;
using System.Security.Cryptography;
using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Relay;

/// <summary>
/// A file sent with <c>sockit cat</c>: <c>--sha256</c> on both ends prints digests that match each other and
/// the file; <c>--expect-sha256</c> turns a mismatch into one line and exit 1; the progress meter appears
/// only on a terminal.
/// </summary>
public sealed class TransferChecksumTests
{
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task BothEndsPrintTheDigestOfTheFile()
    {
        using var dir = new TempDir();
        string file = dir.File("send.bin"), received = dir.File("received.bin");
        string expected = WriteRandom(file, 32 * 1024 * 1024);
        int port = FreePort.Tcp();
        string p = port.ToString(CultureInfo.InvariantCulture);

        // No -v on either side, stderr a pipe: the two sha256 lines must be all there is (no progress text).
        await using var receiver = Shell.Run($"{Shell.Sockit} cat --sha256 -l 127.0.0.1 {p}", "/dev/null", received);
        await Shell.WaitForListenerAsync(port);
        await using var sender = Shell.Run($"{Shell.Sockit} cat --sha256 127.0.0.1 {p}", file, "/dev/null");
        Assert.Equal(0, await sender.WaitForExitAsync(Bound));
        Assert.Equal(0, await receiver.WaitForExitAsync(Bound));

        Assert.Equal([$"sha256 {expected}  sent", $"sha256 {EmptySha256}  received"], sender.StdoutLines);
        Assert.Equal([$"sha256 {EmptySha256}  sent", $"sha256 {expected}  received"], receiver.StdoutLines);
        Assert.Equal(expected, Hash(received));
    }

    [Fact]
    public async Task ExpectedDigestMismatchIsOneLineAndExitOne()
    {
        using var dir = new TempDir();
        string file = dir.File("send.bin");
        string actual = WriteRandom(file, 100_000);
        string wrong = new('0', 64);

        (int exit, IReadOnlyList<string> lines) = await TransferAsync(file, $"--expect-sha256 {wrong}");
        Assert.Equal(1, exit);
        Assert.Equal([$"[Checksum error]: received 100000 bytes with sha256 {actual}, expected {wrong}"], lines);

        (exit, lines) = await TransferAsync(file, $"--expect-sha256 {actual.ToUpperInvariant()}");
        Assert.Equal(0, exit);
        Assert.Empty(lines);
    }

    [Fact]
    public async Task ProgressAppearsOnATerminalOnly()
    {
        const string script = "/usr/bin/script";
        if (!File.Exists(script)) return;
        using var dir = new TempDir();
        string file = dir.File("send.bin");
        WriteRandom(file, 4 * 1024 * 1024);

        foreach (bool terminal in new[] { true, false })
        {
            int port = FreePort.Tcp();
            string p = port.ToString(CultureInfo.InvariantCulture);
            await using var receiver = Shell.Run($"{Shell.Sockit} cat -l 127.0.0.1 {p}", "/dev/null", "/dev/null");
            await Shell.WaitForListenerAsync(port);
            string send = $"{Shell.Sockit} cat 127.0.0.1 {p} < {Shell.Quote(file)}";
            // Under script(1) stdin is the file but stderr is a pseudo-terminal; otherwise stderr is our pipe.
            await using RunningProcess sender = terminal
                ? RunningProcess.Start(script, "-qc", send, "/dev/null")
                : RunningProcess.Start("/bin/bash", "-c", $"exec {send}");
            Assert.Equal(0, await sender.WaitForExitAsync(Bound));
            Assert.Equal(0, await receiver.WaitForExitAsync(Bound));
            string all = string.Join('\n', sender.StdoutLines) + sender.Stderr;
            if (terminal) Assert.Contains("4.0 MiB in ", all, StringComparison.Ordinal);
            else Assert.Equal("", all);
        }
    }

    private static async Task<(int Exit, IReadOnlyList<string> Lines)> TransferAsync(string file, string receiverFlags)
    {
        int port = FreePort.Tcp();
        string p = port.ToString(CultureInfo.InvariantCulture);
        await using var receiver = Shell.Run($"{Shell.Sockit} cat {receiverFlags} -l 127.0.0.1 {p}", "/dev/null", "/dev/null");
        await Shell.WaitForListenerAsync(port);
        await using var sender = Shell.Run($"{Shell.Sockit} cat 127.0.0.1 {p}", file, "/dev/null");
        Assert.Equal(0, await sender.WaitForExitAsync(Bound));
        return (await receiver.WaitForExitAsync(Bound), receiver.StdoutLines);
    }

    private static string WriteRandom(string path, int size)
    {
        byte[] data = RandomNumberGenerator.GetBytes(size);
        File.WriteAllBytes(path, data);
        return Convert.ToHexStringLower(SHA256.HashData(data));
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
