using System.CommandLine;
using Sockit.Cli.Output;
using Sockit.Cli.Shell;

namespace Sockit.Cli.Commands;

/// <summary><c>sockit man</c>: prints the sockit(1) man page (roff), written from the command tree of this run.</summary>
internal static class ManCommand
{
    public const string Usage = "sockit man";

    public static Command Create()
    {
        var command = new Command("man", "Print the sockit(1) man page in roff (e.g. sockit man | man -l -)");
        command.SetPlan(result =>
        {
            CommandNode tree = CommandTree.Read(result.RootCommandResult.Command);
            return _ =>
            {
                LineWriter.Stdout.WriteLine(ManPage.Text(tree, ShellText.Version()).TrimEnd('\n'));
                return Task.FromResult(ExitCodes.Success);
            };
        });
        return command;
    }
}
