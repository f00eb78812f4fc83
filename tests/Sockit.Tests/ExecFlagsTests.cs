using Sockit.Cli;
using Sockit.Cli.Commands;
using Sockit.Cli.Relay;
using Sockit.Relay;

namespace Sockit.Tests;

public sealed class ExecFlagsTests
{
    [Theory]
    [InlineData("/bin/echo a b", new[] { "/bin/echo", "a", "b" })]
    [InlineData("  /bin/echo \t a   b  ", new[] { "/bin/echo", "a", "b" })]
    [InlineData(@"/bin/echo a\ b c", new[] { "/bin/echo", "a b", "c" })]
    [InlineData("/bin/echo \"d e\"", new[] { "/bin/echo", "\"d", "e\"" })] // quotes are not special, as in ncat
    [InlineData("/bin/echo $(id) `id` ;|&>*", new[] { "/bin/echo", "$(id)", "`id`", ";|&>*" })]
    [InlineData(@"x\\y\", new[] { @"x\y\" })]
    [InlineData("   ", new string[0])]
    public void DashESplitsOnWhitespaceWithoutAShell(string commandLine, string[] argv)
        => Assert.Equal(argv, ExecCommandLine.Split(commandLine));

    [Theory]
    [InlineData("nc")]
    [InlineData("cat")]
    public void DashEAndDashCSetTheProgram(string command)
    {
        CatSettings e = CatCommand.Parse(command, "-l", "9000", "-e", "/bin/cat -u");
        Assert.Equal(["/bin/cat", "-u"], e.Exec!.Argv!);
        Assert.Null(e.Exec.ShellCommand);
        CatSettings c = CatCommand.Parse(command, "--sh-exec", "echo $HOME | wc", "127.0.0.1", "80");
        Assert.Equal("echo $HOME | wc", c.Exec!.ShellCommand);
        Assert.Null(c.Exec.Argv);
        Assert.Equal(["cat"], CatCommand.Parse(command, "-lk", "9000", "--exec", "cat").Exec!.Argv!);
        Assert.Null(CatCommand.Parse(command, "-l", "9000").Exec);
    }

    [Theory]
    [InlineData("give -e PROG or -c CMD, not both", "-l", "9000", "-e", "/bin/cat", "-c", "cat")]
    [InlineData("-e/-c over UDP is not supported yet", "-l", "-u", "9000", "-e", "/bin/cat")]
    [InlineData("-e needs a program", "-l", "9000", "-e", "  ")]
    [InlineData("-c needs a shell command", "-l", "9000", "-c", "")]
    [InlineData("[Exec error]: cannot run 'no-such-program-here'", "-l", "9000", "-e", "no-such-program-here x")]
    [InlineData("[Exec error]: cannot run '/etc/passwd'", "-l", "9000", "-e", "/etc/passwd")]
    [InlineData("-o is about stdin/stdout", "-l", "9000", "-e", "/bin/cat", "-o", "log")]
    [InlineData("--sha256 is about stdin/stdout", "-l", "9000", "-c", "cat", "--sha256")]
    [InlineData("-q is about stdin/stdout", "127.0.0.1", "80", "-e", "/bin/cat", "-q", "1")]
    [InlineData("-z only probes ports", "-z", "127.0.0.1", "80", "-e", "/bin/cat")]
    public void BadExecCombinationsAreOneLine(string message, params string[] argv)
    {
        var e = Assert.Throws<UserError>(() => CatCommand.Parse("nc", argv));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
