using System.CommandLine;
using System.CommandLine.Completions;
using Sockit.Cli.Output;
using Sockit.Cli.Shell;

namespace Sockit.Cli.Commands;

/// <summary>
/// <c>sockit completion bash|zsh|fish|pwsh</c>: prints a completion script for that shell, written from the
/// command tree of this very run, so it lists exactly the commands and options this sockit accepts.
/// </summary>
internal static class CompletionCommand
{
    public const string Usage = "sockit completion bash|zsh|fish|pwsh";

    private static readonly Dictionary<string, Func<CommandNode, string, string>> Shells = new()
    {
        ["bash"] = BashCompletion.Script,
        ["zsh"] = ZshCompletion.Script,
        ["fish"] = FishCompletion.Script,
        ["pwsh"] = PwshCompletion.Script,
    };

    public static Command Create()
    {
        var shell = new Argument<string>("SHELL") { Description = "The shell to complete for: bash, zsh, fish or pwsh" };
        // Offered to completion (and so listed in the scripts and the man page); checked in the plan for a one-line error.
        shell.CompletionSources.Add(_ => Shells.Keys.Select(name => new CompletionItem(name)));
        var command = new Command("completion", "Print a completion script for bash, zsh, fish or PowerShell (e.g. source <(sockit completion bash))")
        {
            shell,
        };
        command.SetPlan(result =>
        {
            string name = result.GetValue(shell)!;
            if (!Shells.TryGetValue(name, out Func<CommandNode, string, string>? script))
                throw new UserError($"unknown shell '{name}': give bash, zsh, fish or pwsh");
            CommandNode tree = CommandTree.Read(result.RootCommandResult.Command);
            return _ =>
            {
                LineWriter.Stdout.WriteLine(script(tree, ShellText.Version()).TrimEnd('\n'));
                return Task.FromResult(ExitCodes.Success);
            };
        });
        return command;
    }
}
