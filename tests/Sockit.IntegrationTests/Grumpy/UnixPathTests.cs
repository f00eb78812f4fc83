using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Grumpy;

/// <summary>Unix socket files: stale ones are replaced, anything else is never deleted; abstract names; --mode.</summary>
public sealed class UnixPathTests
{
    private const string Reply = ServeFamiliesTests.Reply;

    private static async Task AnswersAsync(string path)
    {
        await using var client = RunningProcess.Sockit("connect", "--unix", path);
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal([$"CLIENT CONNECTED TO SERVER AT {path}", $"{path} said: {Reply}"], client.StdoutLines);
    }

    [Fact]
    public async Task StaleSocketFileOfAKilledServerIsReplaced()
    {
        using var dir = new TempDir();
        string path = dir.File("stale.sock");
        await using (var killed = await ServerProcess.StartAsync("--unix", path))
        {
            killed.Process.Kill(); // SIGKILL: no chance to remove the file
            await killed.Process.WaitForExitAsync();
        }
        Assert.True(File.Exists(path), "kill -9 leaves the socket file behind");

        await using var server = await ServerProcess.StartAsync("--unix", path);
        Assert.Equal($"SERVER AT {path} LISTENING FOR CONNECTIONS", server.ListeningLine);
        await AnswersAsync(path);
    }

    [Fact]
    public async Task RegularFileAtThePathIsNeverDeleted()
    {
        using var dir = new TempDir();
        string path = dir.File("precious.txt");
        await File.WriteAllTextAsync(path, "do not delete me");

        await using var sockit = RunningProcess.Sockit("serve", "--unix", path);
        Assert.Equal(1, await sockit.WaitForExitAsync());
        Assert.Equal($"[Server bind error]: {path} exists and is not a socket; refusing to replace it\n", sockit.Stderr);
        Assert.Equal("do not delete me", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task PathOfALiveServerIsNotTaken()
    {
        using var dir = new TempDir();
        string path = dir.File("live.sock");
        await using var first = await ServerProcess.StartAsync("--unix", path);

        await using var second = RunningProcess.Sockit("serve", "--unix", path);
        Assert.Equal(1, await second.WaitForExitAsync());
        Assert.Contains("Address already in use", second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Stderr, StringComparison.Ordinal);
        await AnswersAsync(path);
    }

    [Fact]
    public async Task AbstractNameWorks()
    {
        string name = $"@sockit-test-{Guid.NewGuid():N}";
        await using var server = await ServerProcess.StartAsync("--unix", name);
        Assert.Equal($"SERVER AT {name} LISTENING FOR CONNECTIONS", server.ListeningLine);
        await AnswersAsync(name);

        // Python spells an abstract name with a leading NUL.
        string script = $$"""
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect("\0{{name[1..]}}")
            s.sendall(b"abstract hello\n")
            sys.stdout.write(s.makefile().read())
            """;
        await using var python = RunningProcess.Start(Peers.Python, "-c", script);
        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal([Reply], python.StdoutLines);
        await server.Process.WaitForLineAsync("unnamed said: abstract hello");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ModeSetsTheSocketFilePermissions()
    {
        using var dir = new TempDir();
        string path = dir.File("mode.sock");
        await using var server = await ServerProcess.StartAsync("--unix", path, "--mode", "600");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        await AnswersAsync(path);
    }
}
