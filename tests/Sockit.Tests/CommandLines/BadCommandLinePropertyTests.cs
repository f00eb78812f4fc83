using CsCheck;
using Sockit.Cli.Commands;

namespace Sockit.Tests.CommandLines;

/// <summary>Run alone: the check that nothing was left listening reads this whole process's sockets.</summary>
[CollectionDefinition(nameof(ProcessWideSockets), DisableParallelization = true)]
public sealed class ProcessWideSockets;

/// <summary>
/// Ten thousand generated bad command lines (CsCheck; the seed is printed on failure, and CsCheck_Seed
/// replays it), run in-process through the same entry point as the real program: each must be refused
/// before anything is opened, with exit 1 and exactly one line, and leave no socket listening.
/// </summary>
[Collection(nameof(ProcessWideSockets))]
public sealed class BadCommandLinePropertyTests
{
    private const int Lines = 10_000;

    [Fact]
    public async Task EveryBadCommandLineIsOneLineExitOneAndListensOnNothing()
    {
        IReadOnlySet<string> before = ListeningSockets.OfThisProcess();
        int checkedLines = 0;
        await BadCommandLines.Lines.SampleAsync(async argv =>
        {
            PreparedLine prepared = SockitCommandLine.Prepare(argv);
            Assert.True(prepared.Error is not null, "accepted: " + Show(argv));
            var stderr = new List<string>();
            int exitCode = await prepared.RunAsync(stderr.Add);
            Assert.Equal(1, exitCode);
            string line = Assert.Single(stderr);
            Assert.False(string.IsNullOrWhiteSpace(line));
            Assert.DoesNotContain('\n', line);
            Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
            // "sockit: ..." is the net for exceptions nobody expected: a bad line must be caught on purpose.
            Assert.False(line.StartsWith("sockit: ", StringComparison.Ordinal), line);
            Interlocked.Increment(ref checkedLines);
        }, iter: Lines, print: Show);
        Assert.True(checkedLines >= Lines);
        Assert.Empty(ListeningSockets.OfThisProcess().Except(before));
    }

    [Fact]
    public void TheListeningCheckSeesAListener()
    {
        IReadOnlySet<string> before = ListeningSockets.OfThisProcess();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        Assert.Single(ListeningSockets.OfThisProcess().Except(before));
    }

    private static string Show(string[] argv) => "sockit " + string.Join(' ', argv.Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? $"'{a}'" : a));
}
