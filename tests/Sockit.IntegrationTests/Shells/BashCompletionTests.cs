using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Shells;

/// <summary>
/// <c>sockit completion bash</c>, sourced by a real bash, which then completes command lines the way it does
/// at a prompt: COMP_WORDS and COMP_CWORD set, the function registered with <c>complete</c> called.
/// </summary>
public sealed class BashCompletionTests
{
    // Sources the script from the real CLI, then defines c WORD...: complete the last word, print one candidate a line.
    private static readonly string Prelude = $$"""
        source <({{Shell.Quote(Repo.SockitPath)}} completion bash) || exit 3
        function=$(complete -p sockit | sed -n 's/.*-F \([^ ]*\) sockit$/\1/p')
        [ -n "$function" ] || { echo "sockit has no completion function: $(complete -p sockit)" >&2; exit 4; }
        c() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); "$function" sockit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; printf '%s\n' "${COMPREPLY[@]}"; }

        """;

    private static Task<IReadOnlyList<string>> CompleteAsync(string script) => ShellRun.LinesAsync("bash", Prelude + script);

    [Fact]
    public async Task TheScriptRegistersAFunctionForSockit()
    {
        IReadOnlyList<string> lines = await CompleteAsync("complete -p sockit; compgen -A function | grep -c '^_sockit$'");
        Assert.Equal(["complete -F _sockit sockit", "1"], lines);
    }

    [Fact]
    public async Task AnEmptyWordCompletesToEveryCommand()
    {
        IReadOnlyList<string> lines = await CompleteAsync("c sockit ''");
        Assert.Equal((await HelpText.CommandsAsync()).Order(), lines.Where(l => l.Length > 0).Order());
    }

    [Theory]
    [InlineData("se", "serve")]
    [InlineData("co", "completion connect")]
    [InlineData("re", "relay resolve")]
    [InlineData("x", "")]
    public async Task APrefixCompletesToTheCommandsItStarts(string prefix, string expected)
    {
        IReadOnlyList<string> lines = await CompleteAsync($"c sockit {Shell.Quote(prefix)}");
        Assert.Equal(expected, string.Join(' ', lines.Where(l => l.Length > 0).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task ADashCompletesToEveryOptionOfEachCommand()
    {
        IReadOnlyList<string> commands = await HelpText.CommandsAsync();
        string script = string.Join('\n', commands.Select(c => $"echo '== {c}'; c sockit {c} -"));
        IReadOnlyList<string> lines = await CompleteAsync("echo '== '; c sockit -\n" + script);
        foreach (string command in commands.Prepend(""))
        {
            IReadOnlyList<string> expected = command.Length == 0 ? await HelpText.OptionsAsync() : await HelpText.OptionsAsync(command);
            IEnumerable<string> offered = lines.SkipWhile(l => l != "== " + command).Skip(1).TakeWhile(l => !l.StartsWith("== ", StringComparison.Ordinal));
            Assert.True(expected.Order().SequenceEqual(offered.Where(l => l.Length > 0).Order()),
                $"sockit {command} -: help lists [{string.Join(' ', expected.Order())}], bash offered [{string.Join(' ', offered.Order())}]");
        }
    }

    [Fact]
    public async Task AnOptionPrefixCompletesOnlyThatCommandsOptions()
    {
        Assert.Equal(["--backlog", "--bind"], (await CompleteAsync("c sockit serve --b")).Order(StringComparer.Ordinal));
        Assert.Equal(["--keep-open"], await CompleteAsync("c sockit nc --keep"));
    }

    [Fact]
    public async Task ThePathOfUnixCompletesToFileNamesAndAnAddressToNothing()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("grumpy.sock"), "");
        IReadOnlyList<string> path = await CompleteAsync($"c sockit serve --unix {Shell.Quote(dir.File("gru"))}");
        Assert.Equal([dir.File("grumpy.sock")], path);
        // An option's value is not a place for commands or options.
        Assert.Equal([""], await CompleteAsync("c sockit serve --bind ''"));
    }

    [Fact]
    public async Task AnOptionsValueIsNotTakenForACommand()
    {
        // 'serve' here is the value of -o (a file name), so the command is still cat and a dash offers cat's options.
        IReadOnlyList<string> lines = await CompleteAsync("c sockit cat -o serve --liste");
        Assert.Equal(["--listen"], lines);
    }

    [Fact]
    public async Task CompletionCompletesTheShellNames()
        => Assert.Equal(["bash", "fish", "pwsh", "zsh"], (await CompleteAsync("c sockit completion ''")).Order(StringComparer.Ordinal));
}
