using System.Text;
using Sockit.Relay;

namespace Sockit.IntegrationTests.Exec;

/// <summary>The library's <see cref="ExecEnd"/> on its own: pipes, half-close, and how a program is stopped.</summary>
public sealed class ExecEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ClosingStdinLetsTheProgramFinishItsOutput()
    {
        await using ExecEnd program = ExecEnd.Start(["/bin/sh", "-c", "wc -c; echo done"]);
        await program.WriteAsync(new byte[] { 0, 0xff, (byte)'\n' }, CancellationToken.None);
        await program.CompleteWritesAsync();
        Assert.Equal("3\ndone\n", Encoding.ASCII.GetString(await ReadAllAsync(program)));
        Assert.Equal(new ExecExit(0, null), await program.Exited.WaitAsync(Bound));
    }

    [Fact]
    public async Task StartShellPassesTheVariablesGiven()
    {
        var options = new ExecOptions { Environment = new Dictionary<string, string> { ["SOCKIT_TEST_VAR"] = "$(not run)" } };
        await using ExecEnd program = ExecEnd.StartShell("printf %s \"$SOCKIT_TEST_VAR\"", options);
        await program.CompleteWritesAsync();
        Assert.Equal("$(not run)", Encoding.ASCII.GetString(await ReadAllAsync(program)));
    }

    [Fact]
    public async Task DisposingStopsAProgramThatIgnoresItsEofWithSigterm()
    {
        ExecEnd program = ExecEnd.Start(["sleep", "30"], new ExecOptions { Grace = TimeSpan.FromMilliseconds(200) });
        await program.DisposeAsync().AsTask().WaitAsync(Bound);
        Assert.Equal(new ExecExit(143, 15), await program.Exited);
        Assert.Equal("killed by signal 15", (await program.Exited).ToString());
        Assert.False(Directory.Exists($"/proc/{program.ProcessId}"));
    }

    [Fact]
    public async Task AProgramThatCannotRunIsAnIOExceptionNamingIt()
    {
        var e = await Assert.ThrowsAsync<IOException>(() => Task.FromResult(ExecEnd.Start(["/nonexistent/program", "x"])));
        Assert.Contains("cannot run '/nonexistent/program'", e.Message, StringComparison.Ordinal);
    }

    private static async Task<byte[]> ReadAllAsync(ExecEnd program)
    {
        using var deadline = new CancellationTokenSource(Bound);
        var all = new MemoryStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = await program.ReadAsync(buffer, deadline.Token)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }
}
