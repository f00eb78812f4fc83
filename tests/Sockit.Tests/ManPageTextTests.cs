using Sockit.Cli.Commands;
using Sockit.Cli.Shell;

namespace Sockit.Tests;

/// <summary>How the man page and completion generators read the command tree and write roff.</summary>
public sealed class ManPageTextTests
{
    private static readonly CommandNode Root = CommandTree.Read(SockitCommandLine.Tree());

    [Theory]
    [InlineData("--bind", "\\-\\-bind")]
    [InlineData("C:\\path", "C:\\epath")]
    [InlineData(".hidden is read as a request", "\\&.hidden is read as a request")]
    [InlineData("'quoted' too", "\\&'quoted' too")]
    [InlineData("two\nlines", "two lines")]
    public void RoffTextIsEscaped(string text, string expected) => Assert.Equal(expected, ManPage.Escape(text));

    [Fact]
    public void OptionalArgumentsAreBracketedInTheSynopsis()
    {
        Assert.Equal("sockit serve [options] [PORT]", ManPage.Synopsis(Root.Subcommands.Single(c => c.Name == "serve")));
        Assert.Equal("sockit cat [options] [ARGS...]", ManPage.Synopsis(Root.Subcommands.Single(c => c.Name == "cat")));
        Assert.Equal("sockit man [options]", ManPage.Synopsis(Root.Subcommands.Single(c => c.Name == "man")));
    }

    [Fact]
    public void HelpIsInheritedByEveryCommandAndVersionIsOnlyAtTheRoot()
    {
        foreach (CommandNode command in Root.SelfAndDescendants())
        {
            Assert.Contains(command.Options, o => o.Names.SequenceEqual(["-?", "-h", "--help"]));
            Assert.Equal(command == Root, command.Options.Any(o => o.Names.Contains("--version")));
        }
    }

    [Fact]
    public void AnOptionThatTakesAValueHasItsHelpNameAndDefault()
    {
        OptionNode timeout = Root.Subcommands.Single(c => c.Name == "serve").Options.Single(o => o.Names.Contains("--timeout"));
        Assert.Equal(("DURATION", "30s"), (timeout.HelpName, timeout.Default));
        OptionNode trace = Root.Subcommands.Single(c => c.Name == "serve").Options.Single(o => o.Names.Contains("--trace"));
        Assert.False(trace.TakesValue);
        Assert.Equal(["bash", "fish", "pwsh", "zsh"], Root.Subcommands.Single(c => c.Name == "completion").Arguments.Single().Choices);
    }
}
