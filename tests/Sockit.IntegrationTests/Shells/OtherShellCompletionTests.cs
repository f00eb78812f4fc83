using Sockit.IntegrationTests.Infrastructure;
using Sockit.IntegrationTests.Relay;

namespace Sockit.IntegrationTests.Shells;

/// <summary>
/// The fish, zsh and PowerShell scripts. fish completes for real (<c>complete -C</c> asks it what it would offer
/// at the prompt); zsh parses its script (completing needs a terminal); pwsh is not installed here, so its script
/// is checked for every command and option, and for balanced braces.
/// </summary>
public sealed class OtherShellCompletionTests
{
    private static readonly string Sockit = Shell.Quote(Repo.SockitPath);

    private static async Task<IReadOnlyList<string>> FishAsync(string line)
        => [.. (await ShellRun.LinesAsync("fish", $"{Sockit} completion fish | source; or exit 3; complete -C {Shell.Quote(line)}"))
            .Select(l => l.Split('\t')[0])];

    [Fact]
    public async Task FishCompletesEveryCommand()
        => Assert.Equal((await HelpText.CommandsAsync()).Order(StringComparer.Ordinal), (await FishAsync("sockit ")).Order(StringComparer.Ordinal));

    [Fact]
    public async Task FishCompletesEveryLongOptionOfServeAndNc()
    {
        foreach (string command in new[] { "serve", "nc" })
        {
            IReadOnlyList<string> offered = await FishAsync($"sockit {command} --");
            IEnumerable<string> expected = (await HelpText.OptionsAsync(command)).Where(o => o.StartsWith("--", StringComparison.Ordinal));
            Assert.Equal(expected.Order(StringComparer.Ordinal), offered.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task FishCompletesShellNamesAndKnowsAnOptionsValueIsNoCommand()
    {
        Assert.Equal(["bash", "fish", "pwsh", "zsh"], (await FishAsync("sockit completion ")).Order(StringComparer.Ordinal));
        Assert.Equal(["--listen"], await FishAsync("sockit cat -o serve --liste"));
    }

    [Fact]
    public async Task ZshParsesItsScriptAndRegistersIt()
    {
        IReadOnlyList<string> lines = await ShellRun.LinesAsync("zsh",
            $"autoload -U compinit && compinit -u -D && source <({Sockit} completion zsh) && print -r -- ${{_comps[sockit]}}");
        Assert.Equal(["_sockit"], lines);
    }

    [Fact]
    public async Task ThePowerShellScriptNamesEveryCommandAndOption()
    {
        string script = string.Join('\n', await HelpText.HelpAsync("completion", "pwsh"));
        Assert.StartsWith("# PowerShell completion for sockit ", script, StringComparison.Ordinal);
        Assert.Contains("Register-ArgumentCompleter -Native -CommandName sockit", script, StringComparison.Ordinal);
        Assert.Equal(script.Count(c => c == '{'), script.Count(c => c == '}'));
        foreach (string command in await HelpText.CommandsAsync())
        {
            Assert.Contains($"'sockit {command}' = @{{", script, StringComparison.Ordinal);
            foreach (string option in await HelpText.OptionsAsync(command))
                Assert.Contains($"'{option}'", script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnUnknownShellIsOneLineAndExit1()
    {
        await using var sockit = RunningProcess.Sockit("completion", "tcsh");
        Assert.Equal(1, await sockit.WaitForExitAsync());
        Assert.Equal("unknown shell 'tcsh': give bash, zsh, fish or pwsh", sockit.Stderr.TrimEnd('\n'));
        Assert.Empty(sockit.StdoutLines);
    }
}
