using Sockit.IntegrationTests.Infrastructure;

namespace Sockit.IntegrationTests.Shells;

/// <summary>Runs a script in a real shell (bash, fish, zsh) and returns its stdout lines, failing unless it exits 0.</summary>
public static class ShellRun
{
    public static async Task<IReadOnlyList<string>> LinesAsync(string shell, string script)
    {
        await using var process = RunningProcess.Start(Peers.Require(shell), "-c", script);
        int exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"{shell} exited {exit}\nstdout:\n{string.Join('\n', process.StdoutLines)}\nstderr:\n{process.Stderr}");
        return process.StdoutLines;
    }
}
